/** Aiming faults: what each fault kind hits in a cluster (a node, a store, links, a spare node). */
import {
  type Chosen,
  chooseLinks,
  chooseNode,
  chooseSpare,
  chooseStore,
  type TargetContext,
} from '../topology/targets.ts';
import type { FaultKind } from './definition.ts';

type Aim = (target: string, ctx: TargetContext) => Chosen;

const node: Aim = (target, ctx) => ({ target: chooseNode(target, ctx), links: [] });
const store: Aim = (target, ctx) => ({ target: chooseStore(target, ctx), links: [] });
const links: Aim = (target, ctx) => chooseLinks({ target }, ctx);

/**
 * How each fault kind picks what it hits in a cluster: a node, a store process, links, or a spare node.
 * Used when a fault fires, and before anything starts to refuse a fault that would have nothing to hit.
 */
export const AIM: Record<FaultKind, Aim> = {
  'kill-node': node,
  'pause-node': node,
  'scale-in': node,
  'kill-store': store,
  'restart-store': store,
  failover: store,
  'store-down': links,
  'store-latency': links,
  partition: links,
  'replication-latency': links,
  'packet-loss': links,
  reorder: links,
  bandwidth: links,
  'scale-out': (_target, ctx) => ({ target: chooseSpare(ctx), links: [] }),
};
