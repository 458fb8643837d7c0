/** Sessions in Redis through connect-redis: one server, or a primary found through Sentinel (node-redis). */

import { RedisStore } from 'connect-redis';
import type session from 'express-session';
import { createClient } from 'redis';
import { hostPort } from '../../../lib/address.ts';
import type { Cart } from '../cart.ts';
import type { Config } from '../config.ts';
import { describe, type Log, type OpenedStore, shown, within } from './common.ts';
import { appendItem, type Evaluate, saveReturningDropped } from './redis-scripts.ts';
import { type Address, SentinelFollower } from './sentinel.ts';

type Client = ReturnType<typeof createClient>;

/** Fails a command after `timeoutMs`, never queues one while disconnected, reconnects every 100–200 ms. */
const clientOptions = (timeoutMs: number) => ({
  disableOfflineQueue: true,
  commandOptions: { timeout: timeoutMs },
  socket: { connectTimeout: 1000, reconnectStrategy: (retries: number) => Math.min(100 + retries * 25, 200) },
});

interface Watched {
  on(event: 'error', listener: (err: unknown) => void): unknown;
}

/** Logs connection trouble once per distinct error, and the recovery. */
function watch(
  client: Watched & { on(event: 'ready', listener: () => void): unknown },
  url: string,
  log: Log,
): () => void {
  let lastError = '';
  client.on('error', (err: unknown) => {
    const text = describe(err);
    if (text !== lastError) log(`redis ${url}: ${text}; reconnecting`);
    lastError = text;
  });
  const ready = (): void => {
    if (lastError !== '') log(`redis ${url}: connected again`);
    lastError = '';
  };
  client.on('ready', ready);
  return ready;
}

/** connect-redis's expiry: the cookie's, else a day. */
function ttlSeconds(sess: session.SessionData): number {
  const expires = sess.cookie?.expires;
  return expires ? Math.ceil((Number(new Date(expires)) - Date.now()) / 1000) : 86_400;
}

/**
 * connect-redis, plus the two scripted writes: saves that log the items they drop (when `logDropped` is
 * given), and atomic item appends.
 */
class RedisSessions extends RedisStore {
  constructor(
    client: unknown,
    private readonly evaluate: Evaluate,
    private readonly logDropped: Log | null,
  ) {
    super({ client, prefix: 'sess:', disableTouch: true });
  }

  override async set(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): Promise<void> {
    if (!this.logDropped) return void (await super.set(sid, sess, cb));
    try {
      const json = JSON.stringify(sess);
      const dropped = await saveReturningDropped(this.evaluate, this.prefix + sid, json, ttlSeconds(sess));
      if (dropped.length > 0)
        this.logDropped(`save dropped user=${sess.user} items=${JSON.stringify(dropped)}`);
      cb?.();
    } catch (err) {
      cb?.(err);
    }
  }

  appendItem(sid: string, item: string): Promise<Cart | null> {
    return appendItem(this.evaluate, this.prefix + sid, item);
  }
}

/** The store a module opens: connect-redis's sessions, with atomic appends when SESSION_WRITES=atomic. */
function opened(
  client: unknown,
  evaluate: Evaluate,
  { config, log }: { config: Config; log: Log },
  close: () => Promise<void>,
): OpenedStore {
  const inner = new RedisSessions(client, evaluate, config.logOverwrites ? log : null);
  const atomic = config.sessionWrites === 'atomic' ? { appendItem: inner.appendItem.bind(inner) } : {};
  return { inner, ...atomic, close };
}

const evaluateOn =
  (client: Pick<Client, 'sendCommand'>): Evaluate =>
  (script, key, args) =>
    client.sendCommand(['EVAL', script, '1', key, ...args]);

export async function openRedis(url: string, config: Config, log: Log): Promise<OpenedStore> {
  const client = createClient({ url, ...clientOptions(config.storeTimeoutMs) });
  watch(client, shown(url), log);
  try {
    await within(client.connect(), `redis at ${shown(url)}`, config.storeWaitMs);
  } catch (err) {
    if (client.isOpen) client.destroy();
    throw err;
  }
  return opened(client, evaluateOn(client), { config, log }, async () => {
    if (client.isOpen) client.destroy();
  });
}

/**
 * `redis-sentinel://:password@s1:p1/name?sentinels=s1:p1,s2:p2&map=real=proxy,…&reads=replica`: asks the Sentinels
 * for the primary of `name` and follows it when they fail over; `map` rewrites the addresses Sentinel hands
 * out (so each node reaches the servers through its own link proxies); `reads=replica` reads from replicas.
 */
function sentinelOptions(url: string) {
  const parsed = new URL(url);
  const address = (text: string): Address => hostPort(text);
  const sentinels = (parsed.searchParams.get('sentinels') ?? parsed.host).split(',').map(address);
  const map = new Map(
    (parsed.searchParams.get('map') ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => {
        const [real = '', via = ''] = pair.split('=');
        return [real, address(via)];
      }),
  );
  return {
    name: parsed.pathname.slice(1),
    password: decodeURIComponent(parsed.password),
    sentinels,
    map: (real: string) => map.get(real) ?? address(real),
    readsFromReplica: parsed.searchParams.get('reads') === 'replica',
  };
}

export async function openRedisSentinel(url: string, config: Config, log: Log): Promise<OpenedStore> {
  const { readsFromReplica, password, ...where } = sentinelOptions(url);
  const options = { ...clientOptions(config.storeTimeoutMs), ...(password ? { password } : {}) };
  const follow = (role: 'primary' | 'replica') =>
    new SentinelFollower({ ...where, role, clientOptions: options, log });
  const writer = follow('primary');
  const reader = readsFromReplica ? follow('replica') : writer;
  const followers = [...new Set([writer, reader])];
  try {
    await within(
      Promise.all(followers.map((f) => f.start())),
      `redis sentinel at ${shown(url)}`,
      config.storeWaitMs,
    );
  } catch (err) {
    for (const f of followers) f.close();
    throw err;
  }
  // What connect-redis asks of its client: reads from the reader, every write to the primary.
  const client = {
    get: (key: string) => reader.client.get(key),
    set: (...args: Parameters<Client['set']>) => writer.client.set(...args),
    expire: (...args: Parameters<Client['expire']>) => writer.client.expire(...args),
    del: (...args: Parameters<Client['del']>) => writer.client.del(...args),
  };
  return opened(client, evaluateOn(writer.client), { config, log }, async () => {
    for (const f of followers) f.close();
  });
}
