/** Sessions in Memcached through connect-memcached (on the `memcached` client). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import session from 'express-session';
import type { Config } from '../config.ts';
import { describe, type Log, type OpenedStore, within } from './common.ts';

/** The parts of the `memcached` client used here (the package ships no types). */
interface MemcachedClient {
  version(callback: (err: unknown, versions: unknown) => void): void;
  on(
    event: 'failure' | 'reconnected' | 'issue',
    listener: (details: { server?: string; messages?: string[] }) => void,
  ): void;
  end(): void;
}
type MemcachedStoreClass = new (
  options: Record<string, unknown>,
) => session.Store & { client: MemcachedClient };

const require = createRequire(import.meta.url);

/**
 * The `memcached` client pings a lost server's host (it spawns `ping -c 3 HOST` and takes any line on
 * stdout for "reachable") before it reconnects, and the app died when that spawn failed: on a machine
 * without ping (ENOENT), in a container without CAP_NET_RAW (EPERM). The app gives it a `ping` of its
 * own that says the host is reachable, which in the suite it always is (loopback, the case's network);
 * whether Memcached itself answers, the reconnect finds out.
 */
function pingShim(): string {
  const dir = mkdtempSync(join(tmpdir(), 'app-node-ping-'));
  writeFileSync(join(dir, 'ping'), '#!/bin/sh\necho "PING $3: reachable"\n', { mode: 0o755 });
  return dir;
}
const MemcachedStore = (require('connect-memcached') as (s: typeof session) => MemcachedStoreClass)(session);

/**
 * One server, `memcached://host:port`. The client fails a request after the store timeout, retries a lost
 * server every 200 ms instead of its default 30 s, and never gives up on it: a restarted Memcached is back
 * in use at once (empty: Memcached keeps nothing across a restart).
 */
export async function openMemcached(url: string, config: Config, log: Log): Promise<OpenedStore> {
  const { host } = new URL(url);
  const shim = pingShim();
  process.env.PATH = `${shim}${delimiter}${process.env.PATH ?? ''}`;
  const store = new MemcachedStore({
    hosts: [host],
    prefix: 'sess:',
    timeout: config.storeTimeoutMs,
    retries: 0,
    retry: 200,
    reconnect: 200,
    failures: 1_000_000,
    remove: false,
    idle: 0,
  });
  const client = store.client;
  client.on('issue', (details) => log(`memcached ${url}: ${(details.messages ?? []).join('; ')}; retrying`));
  client.on('reconnected', () => log(`memcached ${url}: connected again`));
  const version = new Promise<void>((resolve, reject) =>
    client.version((err) => (err ? reject(new Error(describe(err))) : resolve())),
  );
  const close = async (): Promise<void> => {
    client.end();
    rmSync(shim, { recursive: true, force: true });
  };
  await within(version, `memcached at ${url}`, config.storeWaitMs).catch(async (err: unknown) => {
    await close();
    throw err;
  });
  return { inner: store, close };
}
