/** The fault kinds in action: how each strikes what it was aimed at, shows that it acted, and is healed. */
import { setTimeout as sleep } from 'node:timers/promises';
import { DRAIN_S, type FaultKind } from '../experiment/definition.ts';
import type { ResolvedFault } from '../experiment/experiment.ts';
import type { Touched } from '../model/fault.ts';
import { LinkControl } from '../runtime/link-control.ts';
import type { Cluster, KernelFault, KernelLinkControl } from '../runtime/runtime.ts';
import type { Chosen } from '../topology/targets.ts';
import { proxied } from '../topology/topology.ts';
import { cutEffect, type Effect, type LinkBaseline, latencyEffect, linkBaseline } from './link-effects.ts';

export type { Effect } from './link-effects.ts';

/** What a fault kind reads before it acts, to compare with afterwards. */
export interface Baseline {
  pid?: number | null;
  primary?: string | null;
  links?: LinkBaseline;
}

/**
 * How each fault kind acts on what it was aimed at (see AIM), shows that it acted, and is healed.
 * `look` is asked again and again during the fault's window until it reports the effect observed; its
 * last answer is the fault's evidence either way.
 */
export interface FaultAction {
  before(cluster: Cluster, chosen: Chosen, fault: ResolvedFault): Promise<Baseline>;
  inject(
    cluster: Cluster,
    chosen: Chosen,
    fault: ResolvedFault,
    name: string,
    baseline: Baseline,
  ): Promise<Touched>;
  look(
    cluster: Cluster,
    chosen: Chosen,
    fault: ResolvedFault,
    baseline: Baseline,
    name: string,
  ): Promise<Effect>;
  heal(cluster: Cluster, chosen: Chosen, fault: ResolvedFault, name: string): Promise<void>;
}

const links = (cluster: Cluster): LinkControl => new LinkControl(cluster.toxiproxyUrl);
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
const seen = (evidence: string): Effect => ({ observed: true, evidence });
const unseen = (evidence: string): Effect => ({ observed: false, evidence });

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
 * The Redis primary killed: Sentinel promotes the replica. Healed by starting the old primary again; it
 * follows the new one as its replica.
 */
const failover: FaultAction = {
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

/** The chosen links a proxy sits in, and those it does not (the kernel acts on those). */
const viaProxies = (cluster: Cluster, chosen: Chosen): string[] =>
  chosen.links.filter((id) => cluster.topology.links.some((l) => l.id === id && proxied(l)));
const viaKernel = (cluster: Cluster, chosen: Chosen): string[] =>
  chosen.links.filter((id) => !viaProxies(cluster, chosen).includes(id));

/**
 * The kernel's hand on links, or why there is none: `why` says what needs it (by default, links no proxy
 * sits in).
 */
function kernelOf(cluster: Cluster, ids: string[], why?: string): KernelLinkControl {
  if (cluster.kernel) return cluster.kernel;
  const need =
    why ??
    `no proxy sits in ${ids.join(', ')} (BackupManager reaches its peers' real addresses), and only the kernel can act there`;
  throw new Error(`${need}: run with --netns (as root), so each node has a network of its own`);
}

/** Acts on every chosen link in the kernel: for what no proxy can do to a stream (it relays, not packets). */
const inKernelOnly = (act: (fault: ResolvedFault) => KernelFault, verb: string): FaultAction => ({
  before: async () => ({}),
  inject: async (cluster, chosen, fault, name) => {
    const why = `${fault.kind} acts on packets, which only the kernel reaches`;
    kernelOf(cluster, chosen.links, why).act(chosen.links, name, act(fault));
    return linkStates(cluster, chosen);
  },
  look: (cluster, _chosen, _fault, _baseline, name) => caughtEffect(cluster, name, verb),
  heal: async (cluster, _chosen, _fault, name) => cluster.kernel?.heal(name),
});

/** Connections open on proxied links while a fault stood: a limit on them acted on what they carried. */
async function usedWhile(cluster: Cluster, ids: string[], what: string): Promise<Effect> {
  const now = cluster.watch.linkConnections(ids);
  if (!now) return unseen("the kernel's socket table of the link proxies could not be read");
  const used = Object.entries(now).filter(([, n]) => n > 0);
  return used.length > 0
    ? seen(`connections open while ${what}: ${used.map(([id, n]) => `${n} on ${id}`).join(', ')}`)
    : unseen(`no connection was open on ${ids.join(', ')} while ${what}: nothing was using them`);
}

/**
 * What each link carries limited to rateKBps, in the direction its data flows: by Toxiproxy's bandwidth
 * toxic where a proxy sits, else by the kernel (packets paced by infra/packet-delay).
 */
const limitRate: FaultAction = {
  before: async () => ({}),
  inject: async (cluster, chosen, fault, name) => {
    const rateKBps = fault.rateKBps ?? 0;
    const flowOf = (id: string) => cluster.topology.links.find((l) => l.id === id)?.flows ?? 'downstream';
    const proxies = viaProxies(cluster, chosen);
    for (const stream of ['upstream', 'downstream'] as const)
      await links(cluster).addBandwidth(
        proxies.filter((l) => flowOf(l) === stream),
        name,
        rateKBps,
        stream,
      );
    const inKernel = viaKernel(cluster, chosen);
    if (inKernel.length > 0) kernelOf(cluster, inKernel).act(inKernel, name, { kind: 'hold', rateKBps });
    return linkStates(cluster, chosen);
  },
  look: (cluster, chosen, fault, _baseline, name) =>
    both(
      viaProxies(cluster, chosen).length > 0 &&
        usedWhile(cluster, viaProxies(cluster, chosen), `limited to ${fault.rateKBps} KB/s`),
      viaKernel(cluster, chosen).length > 0 && caughtEffect(cluster, name, 'paced'),
    ),
  heal: async (cluster, chosen, _fault, name) => {
    await links(cluster).removeToxic(viaProxies(cluster, chosen), name);
    await cluster.kernel?.heal(name);
  },
};

/** A kernel fault acted when its rules caught packets of its links (dropped them, or queued them to delay). */
async function caughtEffect(cluster: Cluster, name: string, verb: string): Promise<Effect> {
  const caught = cluster.kernel?.caught(name) ?? {};
  const total = Object.values(caught).reduce((sum, n) => sum + n, 0);
  const each = Object.entries(caught)
    .map(([link, n]) => `${n} on ${link}`)
    .join(', ');
  if (total === 0)
    return unseen(`no packet crossed the links while the fault stood (${each}): nothing was sent on them`);
  // A fault that holds packets acted once its program says it held some (it reports every second).
  const report = cluster.kernel?.delayReport(name) ?? null;
  const held = report === null || /(delayed|reordered) [1-9]/.test(report);
  const program = report === null ? '' : ` (infra/packet-delay: ${report})`;
  return held
    ? seen(`the packet filter ${verb} packets of its links: ${each}${program}`)
    : unseen(
        `the packet filter queued packets of its links (${each}), but its program has held none yet${program}`,
      );
}

/** The effects of a fault's two mechanisms (false: that mechanism had no links), observed only if each was. */
async function both(...effects: (false | Promise<Effect>)[]): Promise<Effect> {
  const seenOnes = await Promise.all(effects.filter((e): e is Promise<Effect> => e !== false));
  return {
    observed: seenOnes.every((e) => e.observed),
    evidence: seenOnes.map((e) => e.evidence).join('; '),
  };
}

const linkStates = async (cluster: Cluster, chosen: Chosen): Promise<Touched> => ({
  links: await cluster.watch.linkStates(chosen.links),
});

/**
 * Links cut: a proxied link's proxy disabled (new connections refused, open ones closed), a link no proxy
 * sits in dropped by the kernel's packet filter, until healed.
 */
const cut: FaultAction = {
  before: async (cluster, chosen) => ({ links: await linkBaseline(cluster, viaProxies(cluster, chosen)) }),
  inject: async (cluster, chosen, _fault, name) => {
    await links(cluster).setEnabled(viaProxies(cluster, chosen), false);
    const inKernel = viaKernel(cluster, chosen);
    if (inKernel.length > 0) kernelOf(cluster, inKernel).act(inKernel, name, { kind: 'drop' });
    return linkStates(cluster, chosen);
  },
  look: (cluster, chosen, _fault, baseline, name) =>
    both(
      viaProxies(cluster, chosen).length > 0 &&
        cutEffect(cluster, viaProxies(cluster, chosen), baseline.links),
      viaKernel(cluster, chosen).length > 0 && caughtEffect(cluster, name, 'dropped'),
    ),
  heal: async (cluster, chosen, _fault, name) => {
    await links(cluster).setEnabled(viaProxies(cluster, chosen), true);
    await cluster.kernel?.heal(name);
  },
};

/**
 * Latency on links, in the direction each carries its data (see Link.flows): a request link's answers, so
 * each round trip takes latencyMs longer; a replication link's one-way stream, so each change arrives
 * latencyMs later.
 */
const slow: FaultAction = {
  before: async () => ({}),
  inject: async (cluster, chosen, fault, name) => {
    const flowOf = (id: string) => cluster.topology.links.find((l) => l.id === id)?.flows ?? 'downstream';
    const { latencyMs = 0, jitterMs = 0 } = fault;
    const proxies = viaProxies(cluster, chosen);
    const add = (stream: 'upstream' | 'downstream') =>
      links(cluster).addLatency(
        proxies.filter((l) => flowOf(l) === stream),
        name,
        latencyMs,
        jitterMs,
        stream,
      );
    await Promise.all([add('downstream'), add('upstream')]);
    const inKernel = viaKernel(cluster, chosen);
    if (inKernel.length > 0)
      kernelOf(cluster, inKernel).act(inKernel, name, { kind: 'hold', latencyMs, jitterMs });
    return linkStates(cluster, chosen);
  },
  look: (cluster, chosen, fault, _baseline, name) =>
    both(
      viaProxies(cluster, chosen).length > 0 && latencyEffect(cluster, viaProxies(cluster, chosen), fault),
      viaKernel(cluster, chosen).length > 0 && caughtEffect(cluster, name, 'delayed'),
    ),
  heal: async (cluster, chosen, _fault, name) => {
    await links(cluster).removeToxic(viaProxies(cluster, chosen), name);
    await cluster.kernel?.heal(name);
  },
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
  failover,
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
