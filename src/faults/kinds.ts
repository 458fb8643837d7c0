import type { FaultKind } from '../experiment/definition.ts';
import type { ResolvedFault } from '../experiment/experiment.ts';
import { LinkControl } from '../runtime/link-control.ts';
import type { Cluster } from '../runtime/runtime.ts';
import { type Chosen, chooseLinks, chooseNode, chooseStore, type TargetContext } from './targets.ts';

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

/** SIGSTOP (or a container pause): the node keeps its connections but answers nothing until resumed. */
const pauseNode: FaultAction = {
  choose: (fault, ctx) => ({ target: chooseNode(fault.target, ctx), links: [] }),
  inject: (cluster, chosen) => cluster.pause(chosen.target),
  heal: (cluster, chosen) => cluster.resume(chosen.target),
};

/** A store process killed (SIGKILL); healed by starting it again on the same data folder. */
const killStore: FaultAction = {
  choose: (fault, ctx) => ({ target: chooseStore(fault.target, ctx), links: [] }),
  inject: (cluster, chosen) => cluster.kill(chosen.target),
  heal: (cluster, chosen) => cluster.restart(chosen.target),
};

/** A store process killed and started again at once: down only for as long as it takes to start. */
const restartStore: FaultAction = {
  choose: killStore.choose,
  inject: (cluster, chosen) => cluster.restart(chosen.target),
  heal: async () => {},
};

/**
 * The Redis primary killed: Sentinel promotes the replica. Healed by starting the old primary again; the
 * Sentinels make it a replica of the new one.
 */
const failover: FaultAction = killStore;

/** Disabled proxies: new connections refused, open ones closed, until enabled again. */
const cut: FaultAction = {
  choose: chooseLinks,
  inject: (cluster, chosen) => links(cluster).setEnabled(chosen.links, false),
  heal: (cluster, chosen) => links(cluster).setEnabled(chosen.links, true),
};

/**
 * Latency on links, in the direction each carries its data (see Link.flows): a request link's answers, so
 * each round trip takes latencyMs longer; a replication link's one-way stream, so each change arrives
 * latencyMs later.
 */
const slow: FaultAction = {
  choose: chooseLinks,
  inject: (cluster, chosen, fault, name) => {
    const flowOf = (id: string) => cluster.topology.links.find((l) => l.id === id)?.flows ?? 'downstream';
    const { latencyMs = 0, jitterMs = 0 } = fault;
    const add = (stream: 'upstream' | 'downstream') =>
      links(cluster).addLatency(
        chosen.links.filter((l) => flowOf(l) === stream),
        name,
        latencyMs,
        jitterMs,
        stream,
      );
    return Promise.all([add('downstream'), add('upstream')]).then(() => undefined);
  },
  heal: (cluster, chosen, _fault, name) => links(cluster).removeToxic(chosen.links, name),
};

export const FAULT_ACTIONS: Record<FaultKind, FaultAction> = {
  'kill-node': killNode,
  'pause-node': pauseNode,
  'kill-store': killStore,
  'restart-store': restartStore,
  failover,
  'store-down': cut,
  partition: cut,
  'store-latency': slow,
  'replication-latency': slow,
};
