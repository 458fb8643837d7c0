import type { Balance, StoreKind, Strategy } from '../strategies/strategies.ts';

/**
 * The processes one strategy needs, as pure data; a runtime turns it into running things. Each service has
 * a kind (how it runs: see src/runtime/kinds) and a role in the cluster (what faults and users see).
 */
export type Role = 'links' | 'store' | 'app' | 'lb';

/** The store an app node keeps its sessions in. */
export interface StoreRef {
  id: string;
  kind: StoreKind;
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
}

/** The reference app (infra/app-node). */
export interface AppNodeService {
  id: string;
  kind: 'app-node';
  role: 'app';
  store: StoreRef | null;
}

/** A user's own app, started from a command template (see README, "Bring your own app"). */
export interface AppCommandService {
  id: string;
  kind: 'app-command';
  role: 'app';
  command: string;
  store: StoreRef | null;
}

export interface RedisService {
  id: string;
  kind: 'redis';
  role: 'store';
}

export type Service = ToxiproxyService | HaproxyService | AppNodeService | AppCommandService | RedisService;
export type ServiceKindName = Service['kind'];
export type AppService = AppNodeService | AppCommandService;

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
}

export interface Topology {
  strategy: string;
  services: Service[];
  links: Link[];
}

/** How the app nodes are started when it is not the strategy's own app. */
export interface AppTemplate {
  /** A command with placeholders such as {port} and {nodeId}. */
  command: string;
}

export interface TopologyOptions {
  appNodes: number;
  app?: AppTemplate;
}

const link = (from: string, to: string, endpoint: string, kind: Link['kind']): Link => ({
  id: `${from}->${to}`,
  from,
  to,
  endpoint,
  kind,
});

export const appIds = (count: number): string[] => Array.from({ length: count }, (_, i) => `app-${i + 1}`);

function stores(strategy: Strategy): RedisService[] {
  const { sessions } = strategy;
  return sessions.in === 'store' ? [{ id: sessions.store, kind: sessions.store, role: 'store' }] : [];
}

function app(id: string, store: StoreRef | null, template: AppTemplate | undefined): AppService {
  if (template) return { id, kind: 'app-command', role: 'app', command: template.command, store };
  return { id, kind: 'app-node', role: 'app', store };
}

/** One strategy's topology: its row of the strategy table, for a cluster of `appNodes` app nodes. */
export function buildTopology(strategy: Strategy, options: TopologyOptions): Topology {
  const ids = appIds(options.appNodes);
  const storeServices = stores(strategy);
  const store = storeServices[0] ? { id: storeServices[0].id, kind: storeServices[0].kind } : null;
  const lb: HaproxyService = {
    id: 'lb',
    kind: 'haproxy',
    role: 'lb',
    balance: strategy.balance,
    backends: ids,
  };
  return {
    strategy: strategy.name,
    services: [
      { id: 'toxiproxy', kind: 'toxiproxy', role: 'links' },
      ...storeServices,
      ...ids.map((id) => app(id, store, options.app)),
      lb,
    ],
    links: [
      ...ids.map((id) => link(lb.id, id, 'http', 'lb')),
      ...(store ? ids.map((id) => link(id, store.id, 'store', 'store')) : []),
    ],
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
