import type { ResolvedFault } from '../experiment/experiment.ts';
import { idsWithRole, type Link, type Topology } from '../topology/topology.ts';

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

/** The links a network fault hits. A fault with nothing to hit cannot act: it throws, saying why. */
export function chooseLinks(fault: ResolvedFault, ctx: TargetContext): Chosen {
  const { links } = ctx.topology;
  const [role = '', choice = ''] = fault.target.split(/:(.*)/s);
  if (role === 'store') {
    const stores = idsWithRole(ctx.topology, 'store');
    const store = choice === 'any' ? pick(stores, ctx.random) : stores.find((s) => s === choice);
    if (!store)
      throw new Error(
        `nothing to hit: ${ctx.topology.strategy} has no session store${choice === 'any' ? '' : ` ${choice}`}`,
      );
    return { target: store, links: ids(links.filter((l) => l.kind === 'store' && l.to === store)) };
  }
  if (role === 'link') {
    if (!links.some((l) => l.id === choice))
      throw new Error(`${fault.target}: no such link; the links are: ${ids(links).join(', ')}`);
    return { target: choice, links: [choice] };
  }
  if (role === 'replication') {
    const replication = ids(links.filter((l) => l.kind === 'replication'));
    if (replication.length === 0)
      throw new Error(`nothing to hit: ${ctx.topology.strategy} has no replication links`);
    return { target: 'replication', links: replication };
  }
  const node = chooseNode(fault.target, ctx);
  return { target: node, links: ids(links.filter((l) => l.from === node || l.to === node)) };
}
