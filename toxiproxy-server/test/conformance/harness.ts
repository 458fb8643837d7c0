/** Runs the conformance suite against `TOXIPROXY_URL` (e.g. a real Toxiproxy), or else against this server
 * started from its main.ts as a child process on a free port. Tests only talk HTTP and TCP to it. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type Proxy as ClientProxy, Toxiproxy } from 'toxiproxy-node-client';
// Started by its path: this import (erased at run time) names the edge for the import rules.
import type {} from '../../main.ts';
import { closeAllNet } from './net-kit.ts';

const MAIN = fileURLToPath(new URL('../../main.ts', import.meta.url));
const LISTENING = /^toxiproxy listening on (http:\/\/\S+)$/;

export interface ApiResult {
  status: number;
  /** Parsed JSON, or undefined when the body is empty or not JSON. */
  body: unknown;
  text: string;
  headers: Headers;
}

interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/** Ours, started as the real one is for this suite (with `-proxy-metrics`), `env` added to its own. */
async function spawnOurServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0', '--proxy-metrics'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const exited = once(child, 'exit');
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => String(line)),
    exited.then(([code]) => `exited with code ${code}`),
  ]);
  const url = LISTENING.exec(first)?.[1];
  if (url === undefined) throw new Error(`our toxiproxy server did not start: ${first}`);
  return { url, stop: () => stopChild(child, exited, lines) };
}

async function stopChild(
  child: ChildProcess,
  exited: Promise<unknown[]>,
  lines: { close(): void },
): Promise<void> {
  child.kill('SIGTERM');
  const [code, signal] = await exited;
  lines.close();
  if (code !== 0) throw new Error(`toxiproxy server exited with code ${code} (signal ${signal}) on SIGTERM`);
}

export class ToxiproxyUnderTest {
  url = '';
  client = new Toxiproxy('http://unset');
  private readonly names = new Set<string>();
  private seq = 0;

  /** A proxy name unique to this run; the proxy is deleted after the test. */
  name(label: string): string {
    const name = `conf_${process.pid}_${++this.seq}_${label}`;
    this.names.add(name);
    return name;
  }

  /** Creates an enabled proxy on 127.0.0.1 and a free port in front of `upstreamPort`. */
  async proxy(label: string, upstreamPort: number): Promise<ClientProxy & { port: number }> {
    const proxy = await this.client.createProxy({
      name: this.name(label),
      listen: '127.0.0.1:0',
      upstream: `127.0.0.1:${upstreamPort}`,
    });
    return Object.assign(proxy, { port: portOf(proxy.listen) });
  }

  async api(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResult> {
    const init: RequestInit = {
      method,
      headers: { 'User-Agent': 'session-chaos-conformance', ...headers },
      redirect: 'manual',
    };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await fetch(`${this.url}${path}`, init);
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  }

  async cleanup(): Promise<void> {
    for (const name of this.names) await this.api('DELETE', `/proxies/${name}`);
    this.names.clear();
    await closeAllNet();
  }
}

export function portOf(listen: string): number {
  const port = Number(listen.slice(listen.lastIndexOf(':') + 1));
  if (!Number.isInteger(port) || port <= 0) throw new Error(`no port in listen address "${listen}"`);
  return port;
}

/**
 * Call inside a `describe`: provides the server for its tests and cleans up after each one. `ourEnv`
 * starts our server with those variables (for behaviour only ours has); unused under TOXIPROXY_URL.
 */
export function useToxiproxy(ourEnv: Record<string, string> = {}): ToxiproxyUnderTest {
  const tp = new ToxiproxyUnderTest();
  let running: RunningServer | undefined;
  before(async function () {
    this.timeout(30000);
    const external = process.env.TOXIPROXY_URL;
    running = external
      ? { url: external.replace(/\/$/, ''), stop: async () => {} }
      : await spawnOurServer(ourEnv);
    tp.url = running.url;
    tp.client = new Toxiproxy(running.url);
  });
  afterEach(() => tp.cleanup());
  after(async function () {
    this.timeout(15000);
    await tp.cleanup();
    await running?.stop();
  });
  return tp;
}
