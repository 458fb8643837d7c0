/** The fault kinds in action: how each strikes what it was aimed at, shows that it acted, and is healed. */
import { setTimeout as sleep } from 'node:timers/promises';
import { DRAIN_S, type FaultKind } from '../experiment/definition.ts';
import type { Touched } from '../model/fault.ts';
import type { Cluster } from '../runtime/runtime.ts';
import type { Chosen } from '../topology/targets.ts';
import { type Baseline, type Effect, type FaultAction, seen, unseen } from './action.ts';
import { cut, inKernelOnly, limitRate, slow } from './link-actions.ts';

export type { Baseline, Effect, FaultAction } from './action.ts';

const pidBefore = async (cluster: Cluster, chosen: Chosen): Promise<Baseline> => ({
  pid: cluster.watch.pid(chosen.target),
});
const signalled = (
  cluster: Cluster,
  id: string,
  pid: number | null | undefined,
  signal: string,
): Touched => ({
  processes: [{ service: id, pid: pid ?? null, signal, result: cluster.watch.state(id) }],
});
async function kill(cluster: Cluster, id: string): Promise<Touched> {
  const pid = cluster.watch.pid(id);
  await cluster.kill(id);
  return signalled(cluster, id, pid, 'SIGKILL');
}

/** The process is gone, and the load balancer has taken the node out (DOWN). */
async function nodeDown(cluster: Cluster, id: string, pid: number | null | undefined): Promise<Effect> {
  if (cluster.isRunning(id)) return unseen(`${id} was still running`);
  const status = await cluster.watch.backendStatus(id);
  const gone = `${id} (pid ${pid ?? '?'}) ${cluster.watch.state(id)}`;
  return /^DOWN/.test(status)
    ? seen(`${gone}; HAProxy marked it ${status}`)
    : unseen(`${gone}, but HAProxy showed it ${status}`);
}

const killNode: FaultAction = {
  before: pidBefore,
  inject: (cluster, { target }) => kill(cluster, target),
  look: (cluster, { target }, _fault, { pid }) => nodeDown(cluster, target, pid),
  heal: (cluster, chosen) => cluster.restart(chosen.target),
};

/** SIGSTOP (or a container pause): the node keeps its connections but answers nothing until resumed. */
const pauseNode: FaultAction = {
  before: pidBefore,
  inject: async (cluster, { target }) => {
    await cluster.pause(target);
    const paused = await cluster.watch.paused(target);
    return signalled(
      cluster,
      target,
      cluster.watch.pid(target),
      paused ? 'SIGSTOP' : 'SIGSTOP (not seen stopped)',
    );
  },
  look: async (cluster, { target }, _fault, { pid }) => {
    const paused = await cluster.watch.paused(target);
    if (paused === true) return seen(`every process of ${target} (pid ${pid ?? '?'}) was stopped`);
    return unseen(
      paused === null ? `whether ${target} stopped could not be read` : `${target} was still running`,
    );
  },
  heal: (cluster, chosen) => cluster.resume(chosen.target),
};

/** A store process killed (SIGKILL); healed by starting it again on the same data folder. */
const killStore: FaultAction = {
  before: pidBefore,
  inject: (cluster, { target }) => kill(cluster, target),
  look: async (cluster, { target }, _fault, { pid }) =>
    cluster.isRunning(target)
      ? unseen(`${target} was still running`)
      : seen(`${target} (pid ${pid ?? '?'}) ${cluster.watch.state(target)}`),
  heal: (cluster, chosen) => cluster.restart(chosen.target),
};

/** A store process killed and started again at once: down only for as long as it takes to start. */
const restartStore: FaultAction = {
  before: pidBefore,
  inject: async (cluster, { target }) => {
    const pid = cluster.watch.pid(target);
    await cluster.restart(target);
    return signalled(cluster, target, pid, 'SIGKILL, then start');
  },
  look: async (cluster, { target }, _fault, { pid }) => {
    const now = cluster.watch.pid(target);
    return now !== null && now !== pid
      ? seen(`${target} (pid ${pid ?? '?'}) was killed and runs again as pid ${now}`)
      : unseen(`${target} was not seen running again under a new process (${cluster.watch.state(target)})`);
  },
  heal: async () => {},
};

/**
 * `failover` is made by killing the Redis primary (SIGKILL), as a crash would: Sentinel promotes the replica,
 * and the effect looked for is the promotion, not the kill. Healed by starting the old primary again; it
 * follows the new one as its replica.
 */
const killPrimary: FaultAction = {
  before: async (cluster, chosen) => ({
    pid: cluster.watch.pid(chosen.target),
    primary: await cluster.storePrimary(),
  }),
  inject: async (cluster, chosen, fault, name, baseline) => ({
    ...(await killStore.inject(cluster, chosen, fault, name, baseline)),
    primaryBefore: baseline.primary ?? null,
  }),
  look: async (cluster, _chosen, _fault, { primary }) => {
    const now = await cluster.storePrimary();
    return now !== null && now !== primary
      ? seen(`Sentinel promoted ${now} (the primary was ${primary ?? 'unknown'})`)
      : unseen(`Sentinel still named ${now ?? 'no primary'} (the primary was ${primary ?? 'unknown'})`);
  },
  heal: killStore.heal,
};

/** How long a node leaving the cluster keeps serving the users pinned to it before it is taken out. */
const DRAIN_MS = DRAIN_S * 1000;

const joinCluster = async (cluster: Cluster, id: string): Promise<void> => {
  await cluster.start(id);
  await cluster.setInLoadBalancer(id, 'ready');
};

/** Out of the rotation (users pinned to it go elsewhere), then shut down as an orchestrator would. */
const leaveCluster = async (cluster: Cluster, id: string): Promise<void> => {
  await cluster.setInLoadBalancer(id, 'maint');
  await cluster.shutDown(id);
};

const inRotation = async (cluster: Cluster, id: string): Promise<Touched['loadBalancer']> => [
  { server: id, state: await cluster.watch.backendStatus(id) },
];

/**
 * A spare node started and put into the load balancer's rotation. The cluster has grown: nothing to undo,
 * the node serves until the cluster stops (a heal would be a scale-in, which logs sticky users out).
 */
const scaleOut: FaultAction = {
  before: async () => ({}),
  inject: async (cluster, { target }) => {
    await joinCluster(cluster, target);
    const started = signalled(cluster, target, cluster.watch.pid(target), 'start');
    return { ...started, loadBalancer: await inRotation(cluster, target) };
  },
  look: async (cluster, { target }) => {
    const status = await cluster.watch.backendStatus(target);
    const node = `${target} (${cluster.watch.state(target)})`;
    return status === 'UP' && cluster.isRunning(target)
      ? seen(`${node} is in HAProxy's rotation: UP`)
      : unseen(`${node}: HAProxy showed it ${status}`);
  },
  heal: async () => {},
};

/**
 * A node drained (for DRAIN_MS it gets only requests of users pinned to it), taken out and shut down;
 * undone by starting it again and putting it back.
 */
const scaleIn: FaultAction = {
  before: pidBefore,
  inject: async (cluster, { target }) => {
    const pid = cluster.watch.pid(target);
    await cluster.setInLoadBalancer(target, 'drain');
    await sleep(DRAIN_MS);
    await leaveCluster(cluster, target);
    return { ...signalled(cluster, target, pid, 'SIGTERM'), loadBalancer: await inRotation(cluster, target) };
  },
  look: async (cluster, { target }, _fault, { pid }) => {
    const status = await cluster.watch.backendStatus(target);
    const node = `${target} (pid ${pid ?? '?'}) ${cluster.watch.state(target)}`;
    return status === 'MAINT' && !cluster.isRunning(target)
      ? seen(`${node}; HAProxy has it out of the rotation: MAINT`)
      : unseen(`${node}; HAProxy showed it ${status}`);
  },
  heal: (cluster, chosen) => joinCluster(cluster, chosen.target),
};

export const FAULT_ACTIONS: Record<FaultKind, FaultAction> = {
  'kill-node': killNode,
  'pause-node': pauseNode,
  'kill-store': killStore,
  'restart-store': restartStore,
  failover: killPrimary,
  'store-down': cut,
  partition: cut,
  'store-latency': slow,
  'replication-latency': slow,
  'packet-loss': inKernelOnly((f) => ({ kind: 'loss', percent: f.lossPercent ?? 0 }), 'dropped'),
  reorder: inKernelOnly(
    (f) => ({
      kind: 'hold',
      latencyMs: f.latencyMs ?? 0,
      jitterMs: f.jitterMs ?? 0,
      reorderPercent: f.reorderPercent ?? 0,
    }),
    'held (a share sent ahead)',
  ),
  bandwidth: limitRate,
  'scale-out': scaleOut,
  'scale-in': scaleIn,
};
