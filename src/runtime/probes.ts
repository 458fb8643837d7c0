/** Probes of running services: readiness checks, round-trip times, whether connections are refused. */
import { connect } from 'node:net';
import { hostPort } from './host.ts';
import type { Readiness } from './readiness.ts';

/** GET url answers with 200. */
export function httpOk(what: string, url: string): Readiness {
  return {
    condition: `${what} answers GET ${url} with 200`,
    async probe() {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`status ${response.status}`);
    },
  };
}

/** A line-protocol server answers `request` with a line starting with `expected` (e.g. Redis PING → +PONG). */
export function answers(
  what: string,
  address: string,
  request: string,
  expected: string,
  shown = JSON.stringify(request.trim()),
): Readiness {
  const { host, port } = hostPort(address);
  return {
    condition: `${what} answers ${shown} on ${address}`,
    probe: () =>
      new Promise<void>((resolve, reject) => {
        const socket = connect({ host, port });
        const fail = (error: Error): void => {
          socket.destroy();
          reject(error);
        };
        socket.setTimeout(1000, () => fail(new Error('timeout')));
        socket.on('error', fail);
        socket.on('connect', () => socket.write(request));
        socket.on('data', (data) => {
          socket.destroy();
          if (data.toString().startsWith(expected)) resolve();
          else reject(new Error(`answered ${JSON.stringify(data.toString().trim().slice(0, 80))}`));
        });
      }),
  };
}

/** A Redis server takes the password and answers PING with PONG. */
export const redisPong = (what: string, address: string, password: string): Readiness =>
  answers(what, address, `AUTH ${password}\r\nPING\r\n`, '+OK\r\n+PONG', 'PING with the password');

/**
 * The time from connecting to `address` (and sending `send`, unless empty: the server speaks first) to the
 * first byte of its answer, in ms; rejects when nothing answers within `timeoutMs`.
 */
export function timeRoundTrip(address: string, send: string, timeoutMs: number): Promise<number> {
  const { host, port } = hostPort(address);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let sentAt = 0;
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('closed without an answer')));
    socket.on('connect', () => {
      sentAt = performance.now();
      if (send) socket.write(send);
    });
    socket.once('data', () => {
      resolve(performance.now() - sentAt);
      socket.destroy();
    });
  });
}

/** Whether a connection to `address` is refused (nothing listens there); false when it is accepted. */
export function refusesConnections(address: string): Promise<boolean> {
  const { host, port } = hostPort(address);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setTimeout(1000, () => socket.destroy(new Error(`no answer from ${address} within 1 s`)));
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNREFUSED' ? resolve(true) : reject(error),
    );
  });
}
