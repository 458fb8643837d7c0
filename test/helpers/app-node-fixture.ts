/**
 * Test fixture for infra/app-node: app nodes and redis-server started through the runtime's process layer
 * (reserved ports, allowlisted environment, the ownership ledger), so a crashed test leaves nothing behind.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../src/runtime/host.ts';
import { reservePort } from '../../src/runtime/local/ports.ts';
import { ManagedProcess } from '../../src/runtime/local/process.ts';
import { answers, httpOk } from '../../src/runtime/probes.ts';
import { type Readiness, waitUntilReady } from '../../src/runtime/readiness.ts';
import type { AppClient } from '../../src/workload/http/app-client.ts';

/** The started processes' logs: a folder made on the first start, removed by killAll. */
let logs: string | undefined;
const started = new Set<ManagedProcess>();
let count = 0;

/** SIGKILLs every process this fixture started that is still running, and removes their logs (for `after` hooks). */
export async function killAll(): Promise<void> {
  await Promise.all([...started].map((p) => p.kill()));
  started.clear();
  if (logs) rmSync(logs, { recursive: true, force: true });
  logs = undefined;
}

export interface Started {
  port: number;
  process: ManagedProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Sends a signal and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

async function start(
  id: string,
  command: string,
  args: string[],
  env: Record<string, string>,
  ready: ((port: number) => Readiness) | null,
  port: number,
): Promise<Started> {
  count += 1;
  logs ??= mkdtempSync(join(tmpdir(), 'sc-app-node-'));
  const logFile = join(logs, `${count}-${id}.log`);
  const process = ManagedProcess.start({ id, command, args, env, cwd: ROOT, logFile });
  started.add(process);
  const output = (): string => readFileSync(logFile, 'utf8');
  if (ready) {
    await waitUntilReady(ready(port), { timeoutMs: 15_000, exited: () => process.exit }).catch(
      (error: Error) => {
        throw new Error(`${error.message}\n${output()}`);
      },
    );
  }
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> => {
    process.signal(signal);
    await process.exited;
    return process.child.exitCode;
  };
  return { port, process, output, stop };
}

export interface RedisServer extends Started {
  url: string;
}

export async function startRedis(port?: number): Promise<RedisServer> {
  const p = port ?? (await reservePort());
  const args = ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const redis = await start(
    'redis',
    'redis-server',
    args,
    {},
    (at) => answers('redis', `127.0.0.1:${at}`, 'PING\r\n', '+PONG'),
    p,
  );
  return { ...redis, url: `redis://127.0.0.1:${p}` };
}

export interface AppNode extends Started {
  id: string;
  url: string;
}

const SERVER = ['--import', 'tsx', 'infra/app-node/server.ts'];

export async function startApp(id: string, env: Record<string, string> = {}): Promise<AppNode> {
  const port = await reservePort();
  const url = `http://127.0.0.1:${port}`;
  const node = await start(
    id,
    process.execPath,
    SERVER,
    { NODE_ID: id, PORT: String(port), ...env },
    () => httpOk(id, `${url}/healthz`),
    port,
  );
  return { ...node, id, url };
}

export interface Exited {
  code: number | null;
  output: string;
}

/** Runs the app with exactly `env` (plus the allowlisted variables) and waits for it to exit on its own. */
export async function runToExit(env: Record<string, string>, timeoutMs = 15_000): Promise<Exited> {
  const app = await start('exits', process.execPath, SERVER, env, null, 0);
  const timer = setTimeout(() => app.process.signal('SIGKILL'), timeoutMs);
  await app.process.exited;
  clearTimeout(timer);
  return { code: app.process.child.exitCode, output: app.output() };
}

/** The session id inside the app's signed `sid` cookie (the key suffix in the store). */
export function sessionIdOf(client: AppClient): string | undefined {
  const sid = client.jar.get('sid');
  if (sid === undefined) return undefined;
  const signed = decodeURIComponent(sid);
  return signed.slice(2, signed.lastIndexOf('.'));
}

export { waitFor } from './wait.ts';
