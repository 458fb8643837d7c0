/**
 * Every strategy as a row of data: how the load balancer spreads users, which app runs, and where sessions
 * live. The topology is derived from the row (src/topology); nothing else looks at a strategy's name.
 */
export type Balance = 'roundrobin' | 'sticky';

/**
 * Where a session lives: in the memory of the node that made it, in a shared store, or in the memory of
 * several app nodes that replicate it to each other (Tomcat's DeltaManager to all, BackupManager to one).
 */
export type SessionPlacement =
  | { in: 'node-memory' }
  | {
      in: 'store';
      store: StoreKind;
      shape: StoreShape;
      persistence?: 'aof';
      reads?: 'replica';
      /** atomic: the app appends an item in the store in one step instead of saving the whole session. */
      writes?: 'atomic';
    }
  | { in: 'replication'; manager: 'delta' | 'backup' };

export type StoreKind = 'redis' | 'memcached' | 'mariadb';
/** One server, or (Redis) a primary with a replica and three Sentinels that fail over to it. */
export type StoreShape = 'single' | 'primary-replica';
export type AppKind = 'app-node' | 'tomcat';
/** How a replicating node sends: async (answer first, Tomcat's usual) or sync (the peers acknowledge first). */
export type ReplicationMode = 'async' | 'sync';
export const REPLICATION_MODES: readonly ReplicationMode[] = ['async', 'sync'];

export interface Strategy {
  name: string;
  /** One line for `session-chaos list` and the report. */
  description: string;
  balance: Balance;
  app: AppKind;
  sessions: SessionPlacement;
  /** For replicating strategies: chosen as `name:sync` or `name:async`; async when not named. */
  replication?: ReplicationMode;
  /** What a reader of a report must know about how it was measured. */
  note?: string;
}

export const STRATEGY_TABLE = [
  {
    name: 'none',
    description: 'baseline: round-robin, each node keeps its sessions in memory (no sharing at all)',
    balance: 'roundrobin',
    app: 'app-node',
    sessions: { in: 'node-memory' },
  },
  {
    name: 'sticky',
    description: "HAProxy pins each user to one node (SERVERID cookie); sessions in that node's memory",
    balance: 'sticky',
    app: 'app-node',
    sessions: { in: 'node-memory' },
  },
  {
    name: 'redis',
    description: 'round-robin; every node keeps sessions in one shared Redis (connect-redis, no persistence)',
    balance: 'roundrobin',
    app: 'app-node',
    sessions: { in: 'store', store: 'redis', shape: 'single' },
  },
  {
    name: 'redis-atomic',
    description:
      'like redis, but an added item is appended in Redis by one script, never saved with a whole-session copy',
    balance: 'roundrobin',
    app: 'app-node',
    sessions: { in: 'store', store: 'redis', shape: 'single', writes: 'atomic' },
    note: "The reference app's fix for lost updates (SESSION_WRITES=atomic); a user's own app saves sessions its own way and is not run with it",
  },
  {
    name: 'redis-aof',
    description: 'like redis, with appendonly yes, appendfsync everysec: sessions survive a Redis restart',
    balance: 'roundrobin',
    app: 'app-node',
    sessions: { in: 'store', store: 'redis', shape: 'single', persistence: 'aof' },
  },
  {
    name: 'redis-replicated',
    description:
      'round-robin; sessions in a Redis primary with a replica, three Sentinels (quorum 2) to fail over',
    balance: 'roundrobin',
    app: 'app-node',
    sessions: { in: 'store', store: 'redis', shape: 'primary-replica' },
    note: 'Apps reach the Redis servers at the addresses Sentinel gives, not through proxies (node-redis did not leave a dead primary behind a proxy that still accepts connections); their Sentinel links and the replica → primary link are proxied until a failover, after which Sentinel points replication at real addresses',
  },
  {
    name: 'redis-replica-reads',
    description:
      'as redis-replicated, but each node reads sessions from the replica and writes them to the primary',
    balance: 'roundrobin',
    app: 'app-node',
    sessions: { in: 'store', store: 'redis', shape: 'primary-replica', reads: 'replica' },
    note: 'node-redis sends read-only commands (GET) to the replica; as for redis-replicated, apps reach the servers at the addresses Sentinel gives',
  },
  {
    name: 'memcached',
    description:
      'round-robin; every node keeps sessions in one Memcached (connect-memcached): LRU, no persistence',
    balance: 'roundrobin',
    app: 'app-node',
    sessions: { in: 'store', store: 'memcached', shape: 'single' },
  },
  {
    name: 'mysql',
    description:
      'round-robin; every node keeps sessions in MariaDB (express-mysql-session over mysql2), on disk',
    balance: 'roundrobin',
    app: 'app-node',
    sessions: { in: 'store', store: 'mariadb', shape: 'single' },
  },
  {
    name: 'sticky-tomcat',
    description: 'HAProxy pins each user to one Tomcat 10.1 node (StandardManager, sessions in its memory)',
    balance: 'sticky',
    app: 'tomcat',
    sessions: { in: 'node-memory' },
  },
  {
    name: 'all-to-all',
    description: 'round-robin over Tomcat 10.1 nodes; DeltaManager replicates every session to every node',
    balance: 'roundrobin',
    app: 'tomcat',
    sessions: { in: 'replication', manager: 'delta' },
  },
  {
    name: 'primary-secondary',
    description:
      'round-robin over Tomcat 10.1 nodes; BackupManager keeps each session on its node and one backup',
    balance: 'roundrobin',
    app: 'tomcat',
    sessions: { in: 'replication', manager: 'backup' },
    note: "BackupManager learns its peers' real addresses, so no proxy sits in its replication links: only the kernel reaches them (--netns); without it they cannot be slowed, cut or counted",
  },
] as const satisfies readonly Strategy[];

type Row = (typeof STRATEGY_TABLE)[number];
type Replicated = Extract<Row, { sessions: { in: 'replication' } }>['name'];
/** A row's name, or a replicating row's name with its mode: `all-to-all:sync`. */
export type StrategyName = Row['name'] | `${Replicated}:${ReplicationMode}`;
export const STRATEGY_NAMES: readonly string[] = STRATEGY_TABLE.map((s) => s.name);

/** Names a person can give: every row, and every replicating row with each mode. */
export const ALL_STRATEGY_NAMES: readonly string[] = STRATEGY_TABLE.flatMap((s: Strategy) =>
  s.sessions.in === 'replication' ? [s.name, ...REPLICATION_MODES.map((m) => `${s.name}:${m}`)] : [s.name],
);

/** The strategy a name stands for, its mode filled in (`all-to-all` is `all-to-all` in async mode). */
export function strategyNamed(name: string): Strategy | undefined {
  const [base, mode] = name.split(':');
  const row: Strategy | undefined = STRATEGY_TABLE.find((s) => s.name === base);
  if (!row) return undefined;
  if (row.sessions.in !== 'replication') return mode === undefined ? row : undefined;
  if (mode !== undefined && !REPLICATION_MODES.includes(mode as ReplicationMode)) return undefined;
  return { ...row, name, replication: (mode as ReplicationMode | undefined) ?? 'async' };
}

/** What a strategy's cluster has that some faults need. */
export const hasStore = (s: Strategy): boolean => s.sessions.in === 'store';
/**
 * Replication links the suite can slow and cut: Tomcat's between app nodes (BackupManager's in the kernel
 * only, with --netns), and a Redis replica's link to its primary.
 */
export const hasReplication = (s: Strategy): boolean =>
  s.sessions.in === 'replication' || (s.sessions.in === 'store' && s.sessions.shape === 'primary-replica');
export const hasSentinel = (s: Strategy): boolean =>
  s.sessions.in === 'store' && s.sessions.shape === 'primary-replica';

/**
 * The strategies to run of those an experiment lists, given the ones asked for, in the experiment's order:
 * a name asked for runs if the experiment lists it; a name without its mode (`all-to-all`) runs every mode
 * the experiment lists (`all-to-all:sync`, `all-to-all:async`); `all-to-all:sync` also runs where the
 * experiment lists `all-to-all` in any mode.
 */
export function selectStrategies(listed: readonly string[], asked: readonly string[] | undefined): string[] {
  if (!asked) return [...listed];
  const base = (name: string): string => name.split(':')[0] ?? name;
  const picks = (name: string): string[] => {
    if (listed.includes(name)) return [name];
    if (name.includes(':')) return listed.some((l) => base(l) === base(name)) ? [name] : [];
    return listed.filter((l) => base(l) === name);
  };
  return [...new Set(asked.flatMap(picks))];
}
