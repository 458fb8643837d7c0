/** Fault targets (`app:busiest`, `store:primary`, a link…) resolved to what they hit in a running cluster. */
import { idsWithRole, type Link, type Topology } from './topology.ts';

/** A fault as far as aiming it goes: its target, e.g. `store:any`, `app:busiest`, `link:app-1->redis`. */
export interface Aim {
  target: string;
}

/** What a fault hits: a name for the ledger, and the links it slows or cuts (none for node faults). */
export interface Chosen {
  target: string;
  links: string[];
  /** Said in the ledger and the report, e.g. why nothing was hit. */
  detail?: string;
}

export interface TargetContext {
  topology: Topology;
  running: string[];
  /** Running nodes with the number of users each served last, most first. */
  usersPerNode: [string, number][];
  /** The store that is the primary now (Sentinel says), or null where there is none. */
  storePrimary: string | null;
  random: () => number;
}

const pick = <T>(items: T[], random: () => number): T | undefined =>
  items[Math.floor(random() * items.length)];

/**
 * Picks the node for `app:*` targets: `app:any` (a seeded random running node), `app:busiest` (the node the
 * most users were last served by: with sticky sessions, the most pinned users), or `app:<id>`.
 */
export function chooseNode(target: string, ctx: TargetContext): string {
  const choice = target.slice('app:'.length);
  const { running } = ctx;
  if (running.length === 0) throw new Error(`no running node to hit with ${target}`);
  if (choice === 'any') return pick(running, ctx.random) as string;
  if (choice === 'busiest') return ctx.usersPerNode[0]?.[0] ?? (running[0] as string);
  if (!running.includes(choice))
    throw new Error(`${target}: ${choice} is not a running node; running: ${running.join(', ')}`);
  return choice;
}

const ids = (links: Link[]): string[] => links.map((l) => l.id);

/** The node a scale-out adds: the first spare not running. */
export function chooseSpare(ctx: TargetContext): string {
  const spare = ctx.topology.spares.find((id) => !ctx.running.includes(id));
  if (spare === undefined)
    throw new Error(`no spare node left to add: the cluster has ${ctx.topology.spares.length}, all running`);
  return spare;
}

/** The store a store fault hits: `store:any` (seeded random), `store:primary` (Sentinel's), `store:<id>`. */
export function chooseStore(target: string, ctx: TargetContext): string {
  const choice = target.slice('store:'.length);
  const stores = idsWithRole(ctx.topology, 'store');
  if (stores.length === 0) throw new Error(`nothing to hit: ${ctx.topology.strategy} has no session store`);
  if (choice === 'any') return pick(stores, ctx.random) as string;
  if (choice === 'primary') {
    if (ctx.storePrimary === null) throw new Error(`${target}: no Sentinel named a primary`);
    return ctx.storePrimary;
  }
  if (!stores.includes(choice))
    throw new Error(`${target}: no store ${choice}; the stores are: ${stores.join(', ')}`);
  return choice;
}

/** The ids of links, or an error saying there is nothing to hit: a fault must act on something. */
function some(found: Link[], what: string): string[] {
  if (found.length === 0) throw new Error(`nothing to hit: ${what}`);
  return ids(found);
}

/**
 * The links a store fault cuts or slows: how the apps reach the session store. `store:any` is the whole
 * store as the apps reach it (every server and, with Sentinel, every Sentinel), `store:primary` the server
 * Sentinel names now, `store:<id>` one service.
 */
function storeLinks(choice: string, ctx: TargetContext): Chosen {
  const { topology } = ctx;
  const toStore = topology.links.filter(
    (l) => l.kind === 'store' && idsWithRole(topology, 'app').includes(l.from),
  );
  if (choice === 'any') {
    const reached = new Set(toStore.map((l) => l.to));
    const target = reached.size === 1 ? [...reached].join('') : 'store';
    return { target, links: some(toStore, `${topology.strategy} has no session store`) };
  }
  const id = choice === 'primary' ? ctx.storePrimary : choice;
  if (id === null) throw new Error('store:primary: no Sentinel named a primary');
  const found = toStore.filter((l) => l.to === id);
  return { target: id, links: some(found, `no app reaches a store ${id} in ${topology.strategy}`) };
}

/**
 * The replication links in use: between Tomcat's nodes, all of them; from each Redis replica to the
 * primary Sentinel names now (after a failover, the other way round than at the start).
 */
function replicationLinks(ctx: TargetContext): Chosen {
  const { topology } = ctx;
  const stores = idsWithRole(topology, 'store');
  const inUse = topology.links.filter(
    (l) => l.kind === 'replication' && (!stores.includes(l.to) || l.to === ctx.storePrimary),
  );
  return {
    target: 'replication',
    links: some(inUse, `${topology.strategy} has no replication links in use`),
  };
}

/** The links a network fault hits. A fault with nothing to hit cannot act: it throws, saying why. */
export function chooseLinks(fault: Aim, ctx: TargetContext): Chosen {
  const { links } = ctx.topology;
  const [role = '', choice = ''] = fault.target.split(/:(.*)/s);
  if (role === 'store') return storeLinks(choice, ctx);
  if (role === 'replication') return replicationLinks(ctx);
  if (role === 'link') {
    if (!links.some((l) => l.id === choice))
      throw new Error(`${fault.target}: no such link; the links are: ${ids(links).join(', ')}`);
    return { target: choice, links: [choice] };
  }
  const node = chooseNode(fault.target, ctx);
  return {
    target: node,
    links: some(
      links.filter((l) => l.from === node || l.to === node),
      `${node} has no links`,
    ),
  };
}
