/** Sessions in Redis through connect-redis: one server, or a primary found through Sentinel (node-redis). */
import { RedisStore } from 'connect-redis';
import { createClient, createSentinel } from 'redis';
import type { Config } from '../config.ts';
import { describe, type Log, type OpenedStore, within } from './common.ts';

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

export async function openRedis(url: string, config: Config, log: Log): Promise<OpenedStore> {
  const client = createClient({ url, ...clientOptions(config.storeTimeoutMs) });
  watch(client, url, log);
  try {
    await within(client.connect(), `redis at ${url}`, config.storeWaitMs);
  } catch (err) {
    if (client.isOpen) client.destroy();
    throw err;
  }
  return {
    inner: new RedisStore({ client, prefix: 'sess:', disableTouch: true }),
    close: async () => {
      if (client.isOpen) client.destroy();
    },
  };
}

/**
 * `redis-sentinel://s1:p1/name?sentinels=s1:p1,s2:p2&map=real=proxy,…&reads=replica`: asks the Sentinels
 * for the primary of `name` and follows it when they fail over; `map` rewrites the addresses Sentinel hands
 * out (so each node reaches the servers through its own link proxies); `reads=replica` reads from replicas.
 */
export function sentinelOptions(url: string) {
  const parsed = new URL(url);
  const sentinelRootNodes = (parsed.searchParams.get('sentinels') ?? parsed.host)
    .split(',')
    .map((address) => {
      const [host = '', port = ''] = address.split(':');
      return { host, port: Number(port) };
    });
  const map = Object.fromEntries(
    (parsed.searchParams.get('map') ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => {
        const [real = '', via = ''] = pair.split('=');
        const [host = '', port = ''] = via.split(':');
        return [real, { host, port: Number(port) }];
      }),
  );
  return {
    name: parsed.pathname.slice(1),
    sentinelRootNodes,
    nodeAddressMap: (address: string) => map[address],
    replicaPoolSize: parsed.searchParams.get('reads') === 'replica' ? 1 : 0,
  };
}

export async function openRedisSentinel(url: string, config: Config, log: Log): Promise<OpenedStore> {
  const options = clientOptions(config.storeTimeoutMs);
  const sentinel = createSentinel({
    ...sentinelOptions(url),
    nodeClientOptions: options,
    sentinelClientOptions: options,
    passthroughClientErrorEvents: true,
    scanInterval: 1000,
  });
  watch(sentinel, url, log);
  try {
    await within(sentinel.connect(), `redis sentinel at ${url}`, config.storeWaitMs);
  } catch (err) {
    sentinel.destroy();
    throw err;
  }
  return {
    inner: new RedisStore({ client: sentinel, prefix: 'sess:', disableTouch: true }),
    close: async () => sentinel.destroy(),
  };
}
