/**
 * The processes one strategy needs, as pure data; a runtime turns it into running things. Each service has
 * a kind (how it runs: see src/runtime/kinds) and a role in the cluster (what faults and users see).
 */
import type { Balance, ReplicationMode, StoreKind, Strategy } from '../strategies/strategies.ts';

export type Role = 'links' | 'store' | 'sentinel' | 'app' | 'lb';

/**
 * The store an app node keeps its sessions in, as the app is told (SESSION_STORE): a kind of server, or
 * `redis-sentinel` for Redis reached through Sentinel (then `id` is the first Sentinel).
 */
export interface StoreRef {
  id: string;
  kind: StoreKind | 'redis-sentinel';
}

export interface ToxiproxyService {
  id: string;
  kind: 'toxiproxy';
  role: 'links';
}

export interface HaproxyService {
  id: string;
  kind: 'haproxy';
  role: 'lb';
  /** roundrobin spreads every request; sticky pins a user to one node with an inserted SERVERID cookie. */
  balance: Balance;
  backends: string[];
  /** Backends declared but out of the rotation (maintenance) until a scale-out puts them in. */
  spares: string[];
}

/** The reference app (infra/app-node). */
export interface AppNodeService {
  id: string;
  kind: 'app-node';
  role: 'app';
  store: StoreRef | null;
  /** Extra kB every session carries (SESSION_PADDING_KB); 0: none. */
  sessionPaddingKb: number;
  /** How an added item is saved (SESSION_WRITES): the whole session, or appended atomically in the store. */
  sessionWrites: 'whole' | 'atomic';
}

/** A user's own app, started from a command template (see docs/your-app.md, "A command: `--app`"). */
export interface AppCommandService {
  id: string;
  kind: 'app-command';
  role: 'app';
  command: string;
  store: StoreRef | null;
  /** Told to the app as SESSION_PADDING_KB, for apps that honour it. */
  sessionPaddingKb: number;
}

/** A user's own app as a container image, run as it is (its entry point, user and folder) with the app
 * contract's environment: container runtime only. */
export interface AppImageService {
  id: string;
  kind: 'app-image';
  role: 'app';
  image: string;
  store: StoreRef | null;
  /** Told to the app as SESSION_PADDING_KB, for apps that honour it. */
  sessionPaddingKb: number;
}

/** A Tomcat 10.1 node (infra/app-tomcat): sessions in memory, or replicated by a cluster manager. */
export interface TomcatService {
  id: string;
  kind: 'tomcat';
  role: 'app';
  /** standard: in this node's memory only; delta: replicated to all; backup: to one other node. */
  manager: 'standard' | 'delta' | 'backup';
  replication: ReplicationMode;
  /** The other nodes of its cluster. */
  peers: string[];
  /** A user's webapp (absolute path of a folder or .war) instead of the reference app. */
  webapp?: string;
}

export interface RedisService {
  id: string;
  kind: 'redis';
  role: 'store';
  /** none: a restart starts empty; aof: every write appended to a file, fsynced every second. */
  persistence: 'none' | 'aof';
  /** Starts as a replica of this server (through the replication link's proxy). */
  replicaOf?: string;
}

/** A Redis Sentinel watching a primary and its replicas; a quorum of them fails over to a replica. */
export interface SentinelService {
  id: string;
  kind: 'sentinel';
  role: 'sentinel';
  /** The name clients ask for: `sessions`. */
  name: string;
  primary: string;
  replicas: string[];
  quorum: number;
  sentinels: string[];
  /** Where clients read sessions: the primary, or its replicas (writes always go to the primary). */
  reads: 'primary' | 'replica';
}

export interface MemcachedService {
  id: string;
  kind: 'memcached';
  role: 'store';
  memoryMb: number;
}

export interface MariadbService {
  id: string;
  kind: 'mariadb';
  role: 'store';
}

export type Service =
  | ToxiproxyService
  | HaproxyService
  | AppNodeService
  | AppCommandService
  | AppImageService
  | TomcatService
  | RedisService
  | SentinelService
  | MemcachedService
  | MariadbService;
export type ServiceKindName = Service['kind'];
export type AppService = AppNodeService | AppCommandService | AppImageService | TomcatService;

/**
 * A network path from one service to an endpoint of another that runs through a Toxiproxy proxy, so faults
 * can slow or cut it. Its id is also the proxy's name: `lb->app-1`, `app-1->redis`.
 */
export interface Link {
  id: string;
  from: string;
  to: string;
  /** The endpoint of `to` it reaches, e.g. `http` or `store`. */
  endpoint: string;
  kind: 'lb' | 'store' | 'replication';
  /**
   * For a link that carries data one way, the proxy direction it flows in: Tomcat's deltas go upstream
   * (the sender connects), a Redis replica's stream downstream (the replica connects, the primary sends).
   * Request links carry both: their answers (downstream) are what a latency delays.
   */
  flows?: 'upstream' | 'downstream';
  /**
   * False for a link no proxy can sit in (BackupManager learns its peers' real addresses): no proxy is
   * made for it, and faults act on it in the kernel (--netns).
   */
  proxy?: false;
}

export interface Topology {
  strategy: string;
  services: Service[];
  links: Link[];
  /** App nodes that are not started with the cluster: a scale-out starts them and puts them in. */
  spares: string[];
}

/** How the app nodes are started when it is not the strategy's own app: a command with placeholders such
 * as {port} and {nodeId} (local runtime), a container image (container runtime), or a Java webapp (folder
 * or .war, absolute) that the Tomcat strategies deploy instead of their reference app. */
export type AppTemplate = { command: string } | { image: string } | { webapp: string };

/** How a template is named to people: its command, `image X` or `webapp X`. */
export const describeApp = (template: AppTemplate): string =>
  'image' in template
    ? `image ${template.image}`
    : 'webapp' in template
      ? `webapp ${template.webapp}`
      : template.command;

/** A template that replaces the strategy's app servers (a webapp runs inside the strategy's Tomcat). */
export const replacesServer = (template: AppTemplate | undefined): boolean =>
  template !== undefined && !('webapp' in template);

export interface TopologyOptions {
  appNodes: number;
  app?: AppTemplate;
  /** Memory of a Memcached store, MB (64 unless an experiment makes it small to force evictions). */
  storeMemoryMb?: number;
  /** App nodes beyond `appNodes`, ready to be added by a scale-out (node-memory and store strategies). */
  spareNodes?: number;
  /** Extra kB every session of the Node app carries, to fill a store faster (0 unless an experiment says). */
  sessionPaddingKb?: number;
}

const link = (
  from: string,
  to: string,
  endpoint: string,
  kind: Link['kind'],
  flows?: Link['flows'],
): Link => ({ id: `${from}->${to}`, from, to, endpoint, kind, ...(flows ? { flows } : {}) });

export const appIds = (count: number): string[] => Array.from({ length: count }, (_, i) => `app-${i + 1}`);

const SENTINELS = ['sentinel-1', 'sentinel-2', 'sentinel-3'];

/** The store services a strategy needs, and the store its app nodes are told about. */
function stores(strategy: Strategy, storeMemoryMb: number): { services: Service[]; ref: StoreRef | null } {
  const { sessions } = strategy;
  if (sessions.in !== 'store') return { services: [], ref: null };
  if (sessions.store === 'memcached')
    return {
      services: [{ id: 'memcached', kind: 'memcached', role: 'store', memoryMb: storeMemoryMb }],
      ref: { id: 'memcached', kind: 'memcached' },
    };
  if (sessions.store === 'mariadb')
    return {
      services: [{ id: 'mariadb', kind: 'mariadb', role: 'store' }],
      ref: { id: 'mariadb', kind: 'mariadb' },
    };
  const persistence = sessions.persistence ?? 'none';
  if (sessions.shape === 'single')
    return {
      services: [{ id: 'redis', kind: 'redis', role: 'store', persistence }],
      ref: { id: 'redis', kind: 'redis' },
    };
  const sentinel = (id: string): SentinelService => ({
    id,
    kind: 'sentinel',
    role: 'sentinel',
    name: 'sessions',
    primary: 'redis-1',
    replicas: ['redis-2'],
    quorum: 2,
    sentinels: SENTINELS,
    reads: sessions.reads ?? 'primary',
  });
  return {
    services: [
      { id: 'redis-1', kind: 'redis', role: 'store', persistence },
      { id: 'redis-2', kind: 'redis', role: 'store', persistence, replicaOf: 'redis-1' },
      ...SENTINELS.map(sentinel),
    ],
    ref: { id: 'sentinel-1', kind: 'redis-sentinel' },
  };
}

function app(
  strategy: Strategy,
  id: string,
  ids: string[],
  store: StoreRef | null,
  { app: template, sessionPaddingKb = 0 }: TopologyOptions,
): AppService {
  if (template && 'image' in template)
    return { id, kind: 'app-image', role: 'app', image: template.image, store, sessionPaddingKb };
  if (template && 'command' in template)
    return { id, kind: 'app-command', role: 'app', command: template.command, store, sessionPaddingKb };
  if (strategy.app === 'app-node') {
    if (template) throw new Error(`${strategy.name} runs no Tomcat to deploy a webapp into`);
    const sessionWrites = strategy.sessions.in === 'store' ? (strategy.sessions.writes ?? 'whole') : 'whole';
    return { id, kind: 'app-node', role: 'app', store, sessionPaddingKb, sessionWrites };
  }
  const { sessions } = strategy;
  return {
    id,
    kind: 'tomcat',
    role: 'app',
    manager: sessions.in === 'replication' ? sessions.manager : 'standard',
    replication: strategy.replication ?? 'async',
    peers: ids.filter((peer) => peer !== id),
    ...(template ? { webapp: template.webapp } : {}),
  };
}

/**
 * One link per ordered pair of nodes: through proxies for DeltaManager; BackupManager's go straight to the
 * peers' real addresses, so theirs have no proxy.
 */
function replicationLinks(strategy: Strategy, ids: string[], template?: AppTemplate): Link[] {
  const { sessions } = strategy;
  if (replacesServer(template) || sessions.in !== 'replication') return [];
  const proxied = sessions.manager === 'delta';
  return ids.flatMap((from) =>
    ids
      .filter((to) => to !== from)
      .map((to) => ({
        ...link(from, to, 'replication', 'replication', 'upstream'),
        ...(proxied ? {} : { proxy: false as const }),
      })),
  );
}

/** Whether a proxy sits in a link (every link but BackupManager's replication). */
export const proxied = (link: Link): boolean => link.proxy !== false;

/** One strategy's topology: its row of the strategy table, for a cluster of `appNodes` app nodes. */
export function buildTopology(strategy: Strategy, options: TopologyOptions): Topology {
  const ids = appIds(options.appNodes + (options.spareNodes ?? 0));
  const spares = ids.slice(options.appNodes);
  const { services: storeServices, ref: store } = stores(strategy, options.storeMemoryMb ?? 64);
  // Every store service an app reaches has its link: the servers, and the Sentinels that name them (the
  // apps map each address Sentinel hands out to their own link to that server).
  const storeTargets = storeServices.map((s) => s.id);
  const lb: HaproxyService = {
    id: 'lb',
    kind: 'haproxy',
    role: 'lb',
    balance: strategy.balance,
    backends: ids,
    spares,
  };
  return {
    strategy: strategy.name,
    services: [
      { id: 'toxiproxy', kind: 'toxiproxy', role: 'links' },
      ...storeServices,
      ...ids.map((id) => app(strategy, id, ids, store, options)),
      lb,
    ],
    links: [
      ...ids.map((id) => link(lb.id, id, 'http', 'lb')),
      ...ids.flatMap((id) => storeTargets.map((to) => link(id, to, 'store', 'store'))),
      // A replica follows its primary through a link; after a failover the roles swap, so both ways.
      ...storeServices.flatMap((s) =>
        s.kind === 'redis' && s.replicaOf
          ? [
              link(s.id, s.replicaOf, 'store', 'replication', 'downstream'),
              link(s.replicaOf, s.id, 'store', 'replication', 'downstream'),
            ]
          : [],
      ),
      ...replicationLinks(strategy, ids, options.app),
    ],
    spares,
  };
}

export const servicesWithRole = (topology: Topology, role: Role): Service[] =>
  topology.services.filter((s) => s.role === role);

export const idsWithRole = (topology: Topology, role: Role): string[] =>
  servicesWithRole(topology, role).map((s) => s.id);

/** The load balancer users talk to. */
export function loadBalancer(topology: Topology): Service {
  const [lb] = servicesWithRole(topology, 'lb');
  if (!lb) throw new Error(`topology of ${topology.strategy} has no load balancer`);
  return lb;
}
