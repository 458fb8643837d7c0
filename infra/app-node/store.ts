/** Session store creation: in memory, or in a store (stores/): every failure surfaces as StoreUnavailableError. */
import session from 'express-session';
import type { Cart } from './cart.ts';
import type { Config, StoreKind } from './config.ts';
import { describe, type Log, type OpenedStore, StoreUnavailableError } from './stores/common.ts';
import { openMemcached } from './stores/memcached.ts';
import { openMysql } from './stores/mysql.ts';
import { openRedis, openRedisSentinel } from './stores/redis.ts';

export interface SessionStore {
  store: session.Store;
  /** With SESSION_WRITES=atomic: an item appended in the store in one step, never a whole-session save. */
  appendItem?: AppendItem;
  close(): Promise<void>;
}

export type AppendItem = (sid: string, item: string) => Promise<Cart | null>;

type Done<T> = (err: unknown, value?: T) => void;

/** Runs a callback-style store operation with a deadline; any failure becomes StoreUnavailableError. */
function guarded<T>(timeoutMs: number, op: (done: Done<T>) => void, cb: Done<T>): void {
  let settled = false;
  const finish: Done<T> = (err, value) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    if (err) cb(err instanceof StoreUnavailableError ? err : new StoreUnavailableError(describe(err)));
    else cb(null, value);
  };
  const timer = setTimeout(
    () => finish(new StoreUnavailableError(`no answer within ${timeoutMs} ms`)),
    timeoutMs,
  );
  try {
    op(finish);
  } catch (err) {
    finish(err);
  }
}

/**
 * Wraps a store so that every failure (including a store that hangs) surfaces as StoreUnavailableError,
 * never as a missing session (express-session treats ENOENT and store 'disconnect' events as "no session").
 * It has no touch(): reads never write to the store.
 */
class GuardedStore extends session.Store {
  constructor(
    private readonly inner: session.Store,
    private readonly timeoutMs: number,
  ) {
    super();
  }

  override get(sid: string, cb: (err: unknown, sess?: session.SessionData | null) => void): void {
    guarded<session.SessionData | null>(this.timeoutMs, (done) => this.inner.get(sid, done), cb);
  }

  override set(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    guarded(
      this.timeoutMs,
      (done) => this.inner.set(sid, sess, done),
      (err) => cb?.(err),
    );
  }

  override destroy(sid: string, cb?: (err?: unknown) => void): void {
    guarded(
      this.timeoutMs,
      (done) => this.inner.destroy(sid, done),
      (err) => cb?.(err),
    );
  }
}

const OPENERS: Record<StoreKind, (url: string, config: Config, log: Log) => Promise<OpenedStore>> = {
  redis: openRedis,
  'redis-sentinel': openRedisSentinel,
  memcached: openMemcached,
  mariadb: openMysql,
};

export async function createSessionStore(config: Config, log: Log): Promise<SessionStore> {
  if (config.store.kind === 'memory') {
    const store = new GuardedStore(new session.MemoryStore(), config.storeTimeoutMs);
    return { store, close: async () => {} };
  }
  const opened = await OPENERS[config.store.kind](config.store.url, config, log);
  const store = new GuardedStore(opened.inner, config.storeTimeoutMs);
  const append = opened.appendItem?.bind(opened);
  if (!append) return { store, close: opened.close };
  const appendItem: AppendItem = (sid, item) =>
    new Promise((resolve, reject) =>
      guarded<Cart | null>(
        config.storeTimeoutMs,
        (done) => append(sid, item).then((cart) => done(null, cart), done),
        (err, cart) => (err ? reject(err) : resolve(cart ?? null)),
      ),
    );
  return { store, appendItem, close: opened.close };
}
