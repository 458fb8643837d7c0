/**
 * Bench: what one proxy with no toxics costs on the data path, against a direct connection on loopback.
 * The proxy runs in its own process through the CLI (as `session-chaos toxiproxy` does); the client and
 * the upstream run here.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
// Started by its path: this import (erased at run time) names the edge for the import rules.
import type {} from '../main.ts';
import { splitHostPort } from '../src/address.ts';

const ROUND_TRIPS = 6000;
const WARMUP_ROUND_TRIPS = 1000;
const BLOCK = 500;
const MESSAGE = Buffer.alloc(32, 0x61);
const THROUGHPUT_BYTES = 256 * 1024 * 1024;
const WARMUP_BYTES = 64 * 1024 * 1024;
const THROUGHPUT_RUNS = 5;
const WARMUP_RUNS = 2;
const WRITE_SIZE = 1024 * 1024;
const TARGET_ADDED_P50_US = 100;
const TARGET_MB_PER_S = 500;

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

async function startProxyServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout as NodeJS.ReadableStream }), 'line')) as [
    string,
  ];
  const url = /listening on (\S+)/.exec(line)?.[1];
  if (url === undefined) throw new Error(`toxiproxy server printed "${line}" instead of its URL`);
  return { url, child };
}

async function createProxy(apiUrl: string, name: string, upstreamPort: number): Promise<number> {
  const res = await fetch(`${apiUrl}/proxies`, {
    method: 'POST',
    body: JSON.stringify({ name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreamPort}` }),
  });
  if (res.status !== 201)
    throw new Error(`creating proxy ${name} answered ${res.status}: ${await res.text()}`);
  const { listen } = (await res.json()) as { listen: string };
  return splitHostPort(listen).port;
}

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** Echo for round trips, in this thread: one message is in flight at a time. */
const echoServer = (): Server => createServer({ noDelay: true }, (socket) => socket.pipe(socket));

/** The throughput sink runs in a worker thread so that reading does not compete with the writer for one
 * event loop: reads an 8-byte length header, then that many bytes, and answers "k". */
const SINK_SOURCE = `
const { createServer } = require('node:net');
const { parentPort } = require('node:worker_threads');
const server = createServer((socket) => {
  let expected = -1;
  let received = 0;
  socket.on('data', (chunk) => {
    if (expected < 0) {
      expected = Number(chunk.readBigUInt64BE(0));
      received = chunk.length - 8;
    } else received += chunk.length;
    if (received >= expected) socket.write('k');
  });
  socket.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

async function startSink(): Promise<{ port: number; worker: Worker }> {
  const worker = new Worker(SINK_SOURCE, { eval: true });
  const [port] = (await once(worker, 'message')) as [number];
  return { port, worker };
}

async function openSocket(port: number): Promise<Socket> {
  const socket = connect({ port, host: '127.0.0.1', noDelay: true });
  await once(socket, 'connect');
  return socket;
}

/** Round-trip times in µs, one per message. */
function roundTrips(socket: Socket, count: number): Promise<number[]> {
  return new Promise((resolve) => {
    const times: number[] = [];
    let pending = 0;
    let start = 0n;
    const send = (): void => {
      pending = MESSAGE.length;
      start = process.hrtime.bigint();
      socket.write(MESSAGE);
    };
    const onData = (chunk: Buffer): void => {
      pending -= chunk.length;
      if (pending > 0) return;
      times.push(Number(process.hrtime.bigint() - start) / 1000);
      if (times.length < count) send();
      else {
        socket.off('data', onData);
        resolve(times);
      }
    };
    socket.on('data', onData);
    send();
  });
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** Alternates blocks of direct and proxied round trips so machine noise hits both alike. */
async function measureLatency(directPort: number, proxyPort: number) {
  const direct = await openSocket(directPort);
  const proxied = await openSocket(proxyPort);
  await roundTrips(direct, WARMUP_ROUND_TRIPS);
  await roundTrips(proxied, WARMUP_ROUND_TRIPS);
  const samples = { direct: [] as number[], proxied: [] as number[] };
  for (let done = 0; done < ROUND_TRIPS; done += BLOCK) {
    samples.direct.push(...(await roundTrips(direct, BLOCK)));
    samples.proxied.push(...(await roundTrips(proxied, BLOCK)));
  }
  direct.destroy();
  proxied.destroy();
  const stats = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  };
  return { direct: stats(samples.direct), proxied: stats(samples.proxied) };
}

/** MB/s (10^6 bytes) for `total` bytes written with backpressure until the sink confirms them. */
async function measureThroughput(port: number, total = THROUGHPUT_BYTES): Promise<number> {
  const socket = await openSocket(port);
  const chunk = Buffer.alloc(WRITE_SIZE, 0x62);
  const header = Buffer.alloc(8);
  header.writeBigUInt64BE(BigInt(total));
  const confirmed = once(socket, 'data');
  const start = process.hrtime.bigint();
  socket.write(header);
  for (let sent = 0; sent < total; sent += WRITE_SIZE) {
    if (!socket.write(chunk)) await once(socket, 'drain');
  }
  await confirmed;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  socket.destroy();
  return total / 1e6 / seconds;
}

/** CPU seconds (user + system) a process used so far, from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime, in clock ticks of 1/100 s on Linux.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Median of alternating runs after a warm-up of both (JIT, allocator, TCP buffer growth). */
async function compareThroughput(directPort: number, proxyPort: number, proxyPid: number | undefined) {
  for (let i = 0; i < WARMUP_RUNS; i++) {
    await measureThroughput(directPort, WARMUP_BYTES);
    await measureThroughput(proxyPort, WARMUP_BYTES);
  }
  const runs = { direct: [] as number[], proxied: [] as number[] };
  let proxyCpu = 0;
  for (let i = 0; i < THROUGHPUT_RUNS; i++) {
    runs.direct.push(await measureThroughput(directPort));
    const before = cpuSeconds(proxyPid) ?? Number.NaN;
    runs.proxied.push(await measureThroughput(proxyPort));
    proxyCpu += (cpuSeconds(proxyPid) ?? Number.NaN) - before;
  }
  const median = (xs: number[]) =>
    percentile(
      [...xs].sort((a, b) => a - b),
      50,
    );
  // MB per CPU-second of the proxy process: what one free core could carry, whatever the machine's load.
  const perCpuSecond = (THROUGHPUT_RUNS * THROUGHPUT_BYTES) / 1e6 / proxyCpu;
  return { direct: median(runs.direct), proxied: median(runs.proxied), perCpuSecond };
}

const fmt = (n: number, digits = 0): string => n.toFixed(digits).padStart(8);

export async function run(): Promise<void> {
  const echo = echoServer();
  const sink = await startSink();
  const { url, child } = await startProxyServer();
  try {
    const echoPort = await listen(echo);
    const sinkPort = sink.port;
    const echoProxy = await createProxy(url, 'bench_echo', echoPort);
    const sinkProxy = await createProxy(url, 'bench_sink', sinkPort);

    // Throughput first: after thousands of ping-pong round trips the scheduler tends to keep the two
    // processes on one core for a while, which halves bulk throughput on a 2-core machine.
    const throughput = await compareThroughput(sinkPort, sinkProxy, child.pid);
    const latency = await measureLatency(echoPort, echoProxy);
    const addedP50 = latency.proxied.p50 - latency.direct.p50;
    const addedP99 = latency.proxied.p99 - latency.direct.p99;
    const { direct: directMBs, proxied: proxiedMBs } = throughput;

    const out = [
      `toxiproxy data path, no toxics: ${ROUND_TRIPS} round trips of ${MESSAGE.length} B; ` +
        `throughput = median of ${THROUGHPUT_RUNS} runs of ${THROUGHPUT_BYTES / 2 ** 20} MiB`,
      '                       p50 µs    p99 µs',
      `round trip, direct   ${fmt(latency.direct.p50, 1)}  ${fmt(latency.direct.p99, 1)}`,
      `round trip, proxied  ${fmt(latency.proxied.p50, 1)}  ${fmt(latency.proxied.p99, 1)}`,
      `added by the proxy   ${fmt(addedP50, 1)}  ${fmt(addedP99, 1)}`,
      `throughput, direct   ${fmt(directMBs)} MB/s`,
      `throughput, proxied  ${fmt(proxiedMBs)} MB/s`,
      `proxy capacity       ${fmt(throughput.perCpuSecond)} MB per CPU-second of the proxy process`,
      `machine: ${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(1)} (figures need a quiet machine)`,
      `target: added p50 <= ${TARGET_ADDED_P50_US} µs: ${addedP50 <= TARGET_ADDED_P50_US ? 'met' : 'NOT met'}`,
      `target: throughput >= ${TARGET_MB_PER_S} MB/s: ${proxiedMBs >= TARGET_MB_PER_S ? 'met' : 'NOT met'}`,
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
    echo.close();
    await sink.worker.terminate();
  }
}
