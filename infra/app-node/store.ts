/** Session store creation: in-memory, or Redis through connect-redis. */
import { RedisStore } from 'connect-redis';
import session from 'express-session';
import { createClient } from 'redis';
import type { Config } from './config.ts';

export type Log = (line: string) => void;

/** The store failed or did not answer: never to be confused with "no session". */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

/** Thrown when the store cannot be reached at start. */
export class StoreStartError extends Error {
  override name = 'StoreStartError';
}

export interface SessionStore {
  store: session.Store;
  close(): Promise<void>;
}

type Done<T> = (err: unknown, value?: T) => void;

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

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

function redisClient(url: string, timeoutMs: number) {
  return createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: timeoutMs },
    socket: {
      connectTimeout: 1000,
      reconnectStrategy: (retries: number) => Math.min(100 + retries * 25, 200),
    },
  });
}

type RedisClient = ReturnType<typeof redisClient>;

/** Logs connection trouble once per distinct error, and the recovery. */
function watch(client: RedisClient, url: string, log: Log): void {
  let lastError = '';
  client.on('error', (err: unknown) => {
    const text = describe(err);
    if (text !== lastError) log(`redis ${url}: ${text}; reconnecting`);
    lastError = text;
  });
  client.on('ready', () => {
    if (lastError !== '') log(`redis ${url}: connected again`);
    lastError = '';
  });
}

async function connectWithin(client: RedisClient, url: string, waitMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StoreStartError(`redis at ${url} not reachable within ${waitMs} ms`)),
      waitMs,
    );
  });
  try {
    await Promise.race([client.connect(), deadline]);
  } catch (err) {
    if (client.isOpen) client.destroy();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

async function createRedisStore(url: string, config: Config, log: Log): Promise<SessionStore> {
  const client = redisClient(url, config.storeTimeoutMs);
  watch(client, url, log);
  await connectWithin(client, url, config.storeWaitMs);
  const inner = new RedisStore({ client, prefix: 'sess:', disableTouch: true });
  return {
    store: new GuardedStore(inner, config.storeTimeoutMs),
    close: async () => {
      if (client.isOpen) client.destroy();
    },
  };
}

export async function createSessionStore(config: Config, log: Log): Promise<SessionStore> {
  if (config.store.kind === 'redis') return createRedisStore(config.store.url, config, log);
  const store = new GuardedStore(new session.MemoryStore(), config.storeTimeoutMs);
  return { store, close: async () => {} };
}
