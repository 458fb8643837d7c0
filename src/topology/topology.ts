import type { StrategyName } from '../experiment/definition.ts';

/** The processes one strategy needs, as pure data; a runtime turns it into running things. */
export type SessionStore = { kind: 'memory' } | { kind: 'redis'; storeId: string };

export interface AppService {
  id: string;
  kind: 'app-node';
  store: SessionStore;
}

export interface StoreService {
  id: string;
  kind: 'redis';
}

export interface LoadBalancer {
  id: string;
  kind: 'haproxy';
  /** roundrobin spreads every request; sticky pins a user to one node with an inserted SERVERID cookie. */
  balance: 'roundrobin' | 'sticky';
  backends: string[];
}

/**
 * A network path between two services that runs through a Toxiproxy proxy, so faults can slow or cut it.
 * Its id is also the proxy's name: `lb->app-1`, `app-1->redis`.
 */
export interface Link {
  id: string;
  from: string;
  to: string;
  kind: 'lb' | 'store' | 'replication';
}

export interface Topology {
  strategy: StrategyName;
  lb: LoadBalancer;
  apps: AppService[];
  stores: StoreService[];
  links: Link[];
}

const link = (from: string, to: string, kind: Link['kind']): Link => ({
  id: `${from}->${to}`,
  from,
  to,
  kind,
});

export const appIds = (count: number): string[] => Array.from({ length: count }, (_, i) => `app-${i + 1}`);

/** One strategy's topology for a cluster of `appNodes` app nodes. */
export function buildTopology(strategy: StrategyName, appNodes: number): Topology {
  const ids = appIds(appNodes);
  const shared = strategy === 'redis';
  const store: SessionStore = shared ? { kind: 'redis', storeId: 'redis' } : { kind: 'memory' };
  return {
    strategy,
    lb: {
      id: 'lb',
      kind: 'haproxy',
      balance: strategy === 'sticky' ? 'sticky' : 'roundrobin',
      backends: ids,
    },
    apps: ids.map((id) => ({ id, kind: 'app-node', store })),
    stores: shared ? [{ id: 'redis', kind: 'redis' }] : [],
    links: [
      ...ids.map((id) => link('lb', id, 'lb')),
      ...(store.kind === 'redis' ? ids.map((id) => link(id, store.storeId, 'store')) : []),
    ],
  };
}
