import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultKind } from '../experiment/definition.ts';
import type { ResolvedFault } from '../experiment/experiment.ts';
import { LinkControl } from '../runtime/link-control.ts';
import type { Cluster } from '../runtime/runtime.ts';
import {
  type Chosen,
  chooseLinks,
  chooseNode,
  chooseSpare,
  chooseStore,
  type TargetContext,
} from './targets.ts';

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

/** How long a node leaving the cluster keeps serving the users pinned to it before it is taken out. */
export const DRAIN_MS = 2000;

const joinCluster = async (cluster: Cluster, id: string): Promise<void> => {
  await cluster.start(id);
  await cluster.setInLoadBalancer(id, 'ready');
};

/** Out of the rotation (users pinned to it go elsewhere), then shut down as an orchestrator would. */
const leaveCluster = async (cluster: Cluster, id: string): Promise<void> => {
  await cluster.setInLoadBalancer(id, 'maint');
  await cluster.shutDown(id);
};

/**
 * A spare node started and put into the load balancer's rotation. The cluster has grown: nothing to undo,
 * the node serves until the cluster stops (a heal would be a scale-in, which logs sticky users out).
 */
const scaleOut: FaultAction = {
  choose: (_fault, ctx) => ({ target: chooseSpare(ctx), links: [] }),
  inject: (cluster, chosen) => joinCluster(cluster, chosen.target),
  heal: async () => {},
};

/**
 * A node drained (for DRAIN_MS it gets only requests of users pinned to it), taken out and shut down;
 * undone by starting it again and putting it back.
 */
const scaleIn: FaultAction = {
  choose: killNode.choose,
  inject: async (cluster, chosen) => {
    await cluster.setInLoadBalancer(chosen.target, 'drain');
    await sleep(DRAIN_MS);
    await leaveCluster(cluster, chosen.target);
  },
  heal: (cluster, chosen) => joinCluster(cluster, chosen.target),
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
  'scale-out': scaleOut,
  'scale-in': scaleIn,
};
