/**
 * Every strategy as a row of data: how the load balancer spreads users, which app runs, and where sessions
 * live. The topology is derived from the row (src/topology); nothing else looks at a strategy's name.
 */
export type Balance = 'roundrobin' | 'sticky';

/** Where a session lives: in the memory of the node that made it, or in a shared store. */
export type SessionPlacement = { in: 'node-memory' } | { in: 'store'; store: StoreKind; shape: StoreShape };

export type StoreKind = 'redis';
export type StoreShape = 'single';
export type AppKind = 'app-node';

export interface Strategy {
  name: string;
  /** One line for `session-chaos list` and the report. */
  description: string;
  balance: Balance;
  app: AppKind;
  sessions: SessionPlacement;
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
] as const satisfies readonly Strategy[];

export type StrategyName = (typeof STRATEGY_TABLE)[number]['name'];
export const STRATEGY_NAMES: readonly StrategyName[] = STRATEGY_TABLE.map((s) => s.name);

export function strategyNamed(name: string): Strategy | undefined {
  return STRATEGY_TABLE.find((s) => s.name === name);
}

/** What a strategy's cluster has that some faults need. */
export const hasStore = (s: Strategy): boolean => s.sessions.in === 'store';
export const hasReplication = (_s: Strategy): boolean => false;
