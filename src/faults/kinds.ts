import type { FaultKind } from '../experiment/definition.ts';
import type { ResolvedFault } from '../experiment/experiment.ts';
import { LinkControl } from '../runtime/link-control.ts';
import type { Cluster } from '../runtime/runtime.ts';
import { type Chosen, chooseLinks, chooseNode, type TargetContext } from './targets.ts';

/** How each fault kind picks its target, is applied to a started cluster, and is healed. */
export interface FaultAction {
  choose(fault: ResolvedFault, ctx: TargetContext): Chosen;
  inject(cluster: Cluster, chosen: Chosen, fault: ResolvedFault, name: string): Promise<void>;
  heal(cluster: Cluster, chosen: Chosen, fault: ResolvedFault, name: string): Promise<void>;
}

const links = (cluster: Cluster): LinkControl => new LinkControl(cluster.toxiproxyUrl);

const killNode: FaultAction = {
  choose: (fault, ctx) => ({ target: chooseNode(fault.target, ctx), links: [] }),
  inject: (cluster, chosen) => cluster.kill(chosen.target),
  heal: (cluster, chosen) => cluster.restart(chosen.target),
};

/** Disabled proxies: new connections refused, open ones closed, until enabled again. */
const cut: FaultAction = {
  choose: chooseLinks,
  inject: (cluster, chosen) => links(cluster).setEnabled(chosen.links, false),
  heal: (cluster, chosen) => links(cluster).setEnabled(chosen.links, true),
};

const slow: FaultAction = {
  choose: chooseLinks,
  inject: (cluster, chosen, fault, name) =>
    links(cluster).addLatency(chosen.links, name, fault.latencyMs ?? 0, fault.jitterMs ?? 0),
  heal: (cluster, chosen, _fault, name) => links(cluster).removeToxic(chosen.links, name),
};

export const FAULT_ACTIONS: Record<FaultKind, FaultAction> = {
  'kill-node': killNode,
  'store-down': cut,
  partition: cut,
  'store-latency': slow,
  'replication-latency': slow,
};
