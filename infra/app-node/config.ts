/** Environment → app configuration. Pure: no I/O; bad input throws a ConfigError with a one-line message. */
import { MISBEHAVIORS, type Misbehavior, type MisbehaviorConfig } from './misbehavior.ts';

/** The session stores the app can use, each with the URL schemes its STORE_URL may have and an example. */
export const STORES = {
  redis: { schemes: ['redis:', 'rediss:'], example: 'redis://127.0.0.1:6379' },
  'redis-sentinel': {
    schemes: ['redis-sentinel:'],
    example: 'redis-sentinel://127.0.0.1:26379/primary?sentinels=127.0.0.1:26379,127.0.0.1:26380',
  },
  memcached: { schemes: ['memcached:'], example: 'memcached://127.0.0.1:11211' },
  mariadb: { schemes: ['mysql:'], example: 'mysql://root@127.0.0.1:3306/sessions' },
} as const;
export type StoreKind = keyof typeof STORES;

export type StoreConfig = { kind: 'memory' } | { kind: StoreKind; url: string };

export interface Config {
  nodeId: string;
  port: number;
  host: string;
  store: StoreConfig;
  sessionSecret: string;
  logRequests: boolean;
  /** Longest a single store command may take before the request fails with 503. */
  storeTimeoutMs: number;
  /** How long to wait for the store at start before giving up. */
  storeWaitMs: number;
  /** Deliberate misbehavior, for checking the checkers (off unless APP_MISBEHAVE is set). */
  misbehavior: MisbehaviorConfig | null;
  /** Extra data every session carries from login (SESSION_PADDING_KB), as sessions holding a profile do. */
  sessionPaddingKb: number;
  /** whole: express-session saves the whole session after a change; atomic: Redis appends the item. */
  sessionWrites: 'whole' | 'atomic';
  /** Log the items each whole-session save drops from the stored session (Redis): lost updates' ground truth. */
  logOverwrites: boolean;
}

export type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_SESSION_SECRET = 'session-chaos-shared-secret';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const NODE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function value(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

function parseNodeId(env: Env): string {
  const id = value(env, 'NODE_ID');
  if (id === undefined)
    throw new ConfigError("NODE_ID is required: set it to this node's id, e.g. NODE_ID=app-1");
  if (!NODE_ID_PATTERN.test(id)) {
    throw new ConfigError(
      `NODE_ID "${id}" is invalid: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );
  }
  return id;
}

function parseInteger(env: Env, name: string, min: number, max: number, fallback?: number): number {
  const raw = value(env, name);
  if (raw === undefined) {
    if (fallback !== undefined) return fallback;
    throw new ConfigError(`${name} is required: set it to an integer from ${min} to ${max}`);
  }
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    throw new ConfigError(`${name} "${raw}" is invalid: set it to an integer from ${min} to ${max}`);
  }
  return n;
}

function parseStoreUrl(env: Env, kind: StoreKind): string {
  const raw = value(env, 'STORE_URL');
  const { schemes, example } = STORES[kind];
  const hint = `set STORE_URL=${example}`;
  if (raw === undefined) throw new ConfigError(`STORE_URL is required when SESSION_STORE=${kind}: ${hint}`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`STORE_URL "${raw}" is not a URL: ${hint}`);
  }
  if (!(schemes as readonly string[]).includes(url.protocol)) {
    const starts = schemes.map((scheme) => `${scheme}//`).join(' or ');
    throw new ConfigError(`STORE_URL "${raw}" must start with ${starts}: ${hint}`);
  }
  return raw;
}

function parseStore(env: Env): StoreConfig {
  const kind = value(env, 'SESSION_STORE');
  if (kind === undefined && value(env, 'STORE_URL') !== undefined) {
    throw new ConfigError('STORE_URL is set but SESSION_STORE is not: set SESSION_STORE=redis (or memory)');
  }
  if (kind === undefined || kind === 'memory') return { kind: 'memory' };
  if (kind in STORES) return { kind: kind as StoreKind, url: parseStoreUrl(env, kind as StoreKind) };
  throw new ConfigError(
    `SESSION_STORE "${kind}" is not supported: set SESSION_STORE=memory or one of ${Object.keys(STORES).join(', ')}`,
  );
}

function parseFlag(env: Env, name: string): boolean {
  const raw = value(env, name);
  if (raw === undefined || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new ConfigError(`${name} "${raw}" is invalid: set ${name}=1 to enable or ${name}=0 to disable`);
}

export function parseConfig(env: Env): Config {
  return {
    nodeId: parseNodeId(env),
    port: parseInteger(env, 'PORT', 0, 65535),
    host: value(env, 'HOST') ?? '127.0.0.1',
    store: parseStore(env),
    sessionSecret:
      env.SESSION_SECRET === undefined ? DEFAULT_SESSION_SECRET : parseSecret(env.SESSION_SECRET),
    logRequests: parseFlag(env, 'LOG_REQUESTS'),
    storeTimeoutMs: parseInteger(env, 'STORE_TIMEOUT_MS', 1, 600_000, 1000),
    storeWaitMs: parseInteger(env, 'STORE_WAIT_MS', 0, 600_000, 10_000),
    misbehavior: parseMisbehavior(env),
    sessionPaddingKb: parseInteger(env, 'SESSION_PADDING_KB', 0, 64, 0),
    ...parseScriptedWrites(env),
  };
}

/** SESSION_WRITES and APP_LOG_OVERWRITES: writes Redis runs as scripts (stores/redis-scripts.ts). */
function parseScriptedWrites(env: Env): Pick<Config, 'sessionWrites' | 'logOverwrites'> {
  const writes = value(env, 'SESSION_WRITES') ?? 'whole';
  if (writes !== 'whole' && writes !== 'atomic')
    throw new ConfigError(
      `SESSION_WRITES "${writes}" is invalid: set SESSION_WRITES=whole (the default) or atomic`,
    );
  const logOverwrites = parseFlag(env, 'APP_LOG_OVERWRITES');
  const store = value(env, 'SESSION_STORE') ?? 'memory';
  for (const [asked, name] of [
    [writes === 'atomic', 'SESSION_WRITES=atomic'],
    [logOverwrites, 'APP_LOG_OVERWRITES=1'],
  ] as const)
    if (asked && !store.startsWith('redis'))
      throw new ConfigError(
        `${name} needs SESSION_STORE=redis or redis-sentinel (Redis runs it as a script), not ${store}`,
      );
  return { sessionWrites: writes, logOverwrites };
}

export function parseMisbehavior(env: Env): MisbehaviorConfig | null {
  const raw = env.APP_MISBEHAVE?.trim();
  if (!raw) return null;
  const rates: MisbehaviorConfig['rates'] = {};
  for (const part of raw.split(',')) {
    const [name = '', rate = ''] = part.split(':');
    if (!MISBEHAVIORS.includes(name as Misbehavior) || !(Number(rate) > 0 && Number(rate) <= 1))
      throw new ConfigError(
        `APP_MISBEHAVE "${raw}" is invalid: use kind:share pairs, e.g. drop-write:0.1, kinds ${MISBEHAVIORS.join(', ')}`,
      );
    rates[name as Misbehavior] = Number(rate);
  }
  return {
    rates,
    forMs: Number(env.APP_MISBEHAVE_FOR_S ?? 3600) * 1000,
    seed: Number(env.APP_MISBEHAVE_SEED ?? 1),
  };
}

function parseSecret(secret: string): string {
  if (secret === '') {
    throw new ConfigError(
      'SESSION_SECRET is empty: unset it to use the default, or set the same secret on every node',
    );
  }
  return secret;
}
