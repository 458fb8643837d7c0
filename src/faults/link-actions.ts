/**
 * The link fault kinds in action: each acts by the link's proxy where one sits in it, else by the kernel
 * (--netns), and packet loss and reordering always by the kernel; its evidence comes from whichever acted.
 */
import type { ResolvedFault } from '../experiment/experiment.ts';
import type { Touched } from '../model/fault.ts';
import { LinkControl } from '../runtime/link-control.ts';
import type { Cluster, KernelFault, KernelLinkControl } from '../runtime/runtime.ts';
import type { Chosen } from '../topology/targets.ts';
import { proxied } from '../topology/topology.ts';
import { type Effect, type FaultAction, seen, unseen } from './action.ts';
import { cutEffect, latencyEffect, linkBaseline } from './link-effects.ts';

const links = (cluster: Cluster): LinkControl => new LinkControl(cluster.toxiproxyUrl);

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
export const inKernelOnly = (act: (fault: ResolvedFault) => KernelFault, verb: string): FaultAction => ({
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
export const limitRate: FaultAction = {
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
export const cut: FaultAction = {
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
export const slow: FaultAction = {
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
