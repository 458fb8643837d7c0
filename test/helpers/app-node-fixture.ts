/** Test fixture for infra/app-node: real child processes (app nodes, redis-server), an HTTP client with a cookie jar. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVER = 'infra/app-node/server.ts';
const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

const started = new Set<ChildProcess>();

/** SIGKILLs every process this fixture started that is still running (for `after` hooks). */
export async function killAll(): Promise<void> {
  const running = [...started].filter((p) => p.exitCode === null && p.signalCode === null);
  await Promise.all(running.map((p) => killProcess(p, 'SIGKILL')));
  started.clear();
}

async function killProcess(proc: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = once(proc, 'exit');
  proc.kill(signal);
  await exited;
}

function track(proc: ChildProcess): ChildProcess {
  started.add(proc);
  proc.on('exit', () => started.delete(proc));
  return proc;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/** Polls `probe` until it returns true; throws with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 10_000,
): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    if (await probe().catch(() => false)) return performance.now() - start;
    await sleep(50);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

function collect(proc: ChildProcess): () => string {
  let out = '';
  proc.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  proc.stderr?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  return () => out;
}

// ---------- redis-server ----------

function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(500);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => {
      resolve(data.toString().startsWith('+PONG'));
      socket.destroy();
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      resolve(false);
      socket.destroy();
    });
  });
}

export interface RedisServer {
  port: number;
  url: string;
  proc: ChildProcess;
  kill(): Promise<void>;
  output(): string;
}

export async function startRedis(port?: number): Promise<RedisServer> {
  const p = port ?? (await freePort());
  const args = ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const proc = track(spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  const output = collect(proc);
  await waitFor(`redis-server on port ${p}`, async () => {
    if (proc.exitCode !== null) throw new Error(`redis-server exited: ${output()}`);
    return redisPing(p);
  });
  return { port: p, url: `redis://127.0.0.1:${p}`, proc, output, kill: () => killProcess(proc, 'SIGKILL') };
}

// ---------- app nodes ----------

export type AppEnv = Record<string, string>;

function appEnv(env: AppEnv): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env };
}

function spawnApp(env: AppEnv): ChildProcess {
  const args = ['--import', 'tsx', SERVER];
  return track(
    spawn(process.execPath, args, { cwd: ROOT, env: appEnv(env), stdio: ['ignore', 'pipe', 'pipe'] }),
  );
}

export interface AppNode {
  id: string;
  port: number;
  url: string;
  proc: ChildProcess;
  output(): string;
  /** Sends a signal and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startApp(id: string, env: AppEnv = {}): Promise<AppNode> {
  const port = await freePort();
  const proc = spawnApp({ NODE_ID: id, PORT: String(port), ...env });
  const output = collect(proc);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`app node ${id} /healthz`, async () => {
    if (proc.exitCode !== null) throw new Error(`app node ${id} exited ${proc.exitCode}: ${output()}`);
    const res = await fetch(`${url}/healthz`);
    return res.status === 200;
  }).catch((err: unknown) => {
    throw new Error(`${(err as Error).message}\n${output()}`);
  });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const exited = once(proc, 'exit');
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    await exited;
    return proc.exitCode;
  };
  return { id, port, url, proc, output, stop };
}

export interface Exited {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the app with exactly `env` (plus PATH/HOME) and waits for it to exit on its own. */
export async function runToExit(env: AppEnv, timeoutMs = 15_000): Promise<Exited> {
  const proc = spawnApp(env);
  let stdout = '';
  let stderr = '';
  proc.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  proc.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
  const [code] = (await once(proc, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

// ---------- HTTP client with a cookie jar ----------

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  ms: number;
  /** The parsed JSON body. */
  body: unknown;
}

export interface RequestOptions {
  method?: string;
  json?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** Abort when no response within this time (default 5 s): a hanging app fails the test quickly. */
  timeoutMs?: number;
}

/** One user: keeps the `sid` cookie between requests, never follows redirects. */
export class Client {
  sid: string | undefined;

  constructor(public baseUrl: string) {}

  /** The same user talking to another node. */
  on(baseUrl: string): Client {
    const other = new Client(baseUrl);
    other.sid = this.sid;
    return other;
  }

  /** Resolves as soon as the status and headers arrive; the body is left unread. */
  async send(path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    }
    if (this.sid !== undefined) headers.cookie = `sid=${this.sid}`;
    const method = options.method ?? (body === undefined ? 'GET' : 'POST');
    const signal = AbortSignal.timeout(options.timeoutMs ?? 5000);
    const res = await fetch(this.baseUrl + path, { method, headers, body, redirect: 'manual', signal });
    this.remember(res.headers);
    return res;
  }

  async request(path: string, options: RequestOptions = {}): Promise<Reply> {
    const start = performance.now();
    const res = await this.send(path, options);
    const text = await res.text();
    const ms = performance.now() - start;
    return { status: res.status, headers: res.headers, text, ms, body: parseJson(text) };
  }

  private remember(headers: Headers): void {
    for (const cookie of headers.getSetCookie()) {
      const match = /^sid=([^;]*)/.exec(cookie);
      if (match) this.sid = match[1] === '' ? undefined : match[1];
    }
  }

  /** The session id inside the signed cookie (the key suffix in the store). */
  sessionId(): string | undefined {
    if (this.sid === undefined) return undefined;
    const signed = decodeURIComponent(this.sid);
    return signed.slice(2, signed.lastIndexOf('.'));
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// ---------- tiny HTML inspection ----------

export type Attrs = Record<string, string>;

/** Attributes of every `<tag ...>` opening tag in `html`. */
export function tags(html: string, tag: string): Attrs[] {
  const found: Attrs[] = [];
  for (const m of html.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'gi'))) {
    const attrs: Attrs = {};
    for (const a of (m[1] ?? '').matchAll(/([\w-]+)(?:="([^"]*)")?/g))
      attrs[(a[1] ?? '').toLowerCase()] = a[2] ?? '';
    found.push(attrs);
  }
  return found;
}

/** Text content of the element with this id (no nested tags expected). */
export function textById(html: string, id: string): string | undefined {
  return new RegExp(`<(\\w+)[^>]*\\bid="${id}"[^>]*>([^<]*)</\\1>`).exec(html)?.[2];
}

/** The slice of html from the element with this id to its closing tag (no nesting of the same tag). */
export function elementById(html: string, tag: string, id: string): string | undefined {
  return new RegExp(`<${tag}\\b[^>]*\\bid="${id}"[^>]*>[\\s\\S]*?</${tag}>`).exec(html)?.[0];
}
