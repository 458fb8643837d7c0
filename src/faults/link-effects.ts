import type { ResolvedFault } from '../experiment/experiment.ts';
import type { Cluster } from '../runtime/runtime.ts';

/** Whether a fault's effect was seen, and the evidence either way. */
export interface Effect {
  observed: boolean;
  evidence: string;
}

/** Read before a link fault acts: who used its links, and how long a round trip through them took. */
export interface LinkBaseline {
  /** Established connections into each link's proxy; null when the kernel's table could not be read. */
  connections: Record<string, number> | null;
  /**
   * One round trip through the first link that can be timed, or why none was: no service behind them
   * answers a ping (`failed: false`), or the pings failed.
   */
  roundTrip?: { link: string; ms: number } | { untimed: string; failed: boolean };
}

const seen = (evidence: string): Effect => ({ observed: true, evidence });
const unseen = (evidence: string): Effect => ({ observed: false, evidence });
const UNREADABLE = "the kernel's socket table of the link proxies could not be read";
const ms = (value: number): string => `${Math.round(value)} ms`;

/** Connections open now, and for a latency fault a round trip to compare with while it acts. */
export async function linkBaseline(cluster: Cluster, links: string[], timed: boolean): Promise<LinkBaseline> {
  const connections = cluster.watch.linkConnections(links);
  if (!timed) return { connections };
  const reasons: string[] = [];
  let failed = false;
  for (const link of links) {
    try {
      const time = await cluster.watch.roundTripMs(link, 2000);
      if (time !== null) return { connections, roundTrip: { link, ms: time } };
      reasons.push(`${link}: the service behind answers only its own protocol`);
    } catch (error) {
      failed = true;
      reasons.push(`${link}: ${(error as Error).message}`);
    }
  }
  return { connections, roundTrip: { untimed: reasons.join('; '), failed } };
}

/** The links that had connections open, as "2 on app-1->redis, 1 on app-2->redis". */
function inUse(connections: Record<string, number>): string {
  return Object.entries(connections)
    .filter(([, n]) => n > 0)
    .map(([link, n]) => `${n} on ${link}`)
    .join(', ');
}

/**
 * A cut acted when the links it disabled were in use (connections open when it struck), those connections
 * are gone, and the proxies refuse new ones.
 */
export async function cutEffect(
  cluster: Cluster,
  links: string[],
  baseline: LinkBaseline | undefined,
): Promise<Effect> {
  const before = baseline?.connections;
  if (!before) return unseen(UNREADABLE);
  const used = inUse(before);
  if (!used) return unseen(`no connection was open on ${links.join(', ')} when cut: nothing was using them`);
  const refused = await Promise.all(links.map((l) => cluster.watch.refuses(l).catch(() => false)));
  const accepting = links.filter((_, i) => !refused[i]);
  if (accepting.length > 0) return unseen(`${accepting.join(', ')} still accepted new connections`);
  const now = cluster.watch.linkConnections(links);
  if (!now) return unseen(UNREADABLE);
  const left = inUse(now);
  if (left) return unseen(`connections were still open after the cut: ${left}`);
  return seen(`the cut closed the connections open on its links (${used}); new connections are refused`);
}

/**
 * Latency acted when its links carried connections while slowed, and a round trip through one of them took
 * about latencyMs longer than before (where the service behind can be timed at all).
 */
export async function latencyEffect(
  cluster: Cluster,
  links: string[],
  fault: ResolvedFault,
  baseline: LinkBaseline | undefined,
): Promise<Effect> {
  const now = cluster.watch.linkConnections(links);
  if (!now) return unseen(UNREADABLE);
  const used = inUse(now);
  if (!used)
    return unseen(`no connection was open on ${links.join(', ')} while slowed: nothing was using them`);
  const before = baseline?.roundTrip;
  if (!before) return unseen('no round trip was timed before it acted');
  if ('untimed' in before)
    return before.failed
      ? unseen(`no round trip could be timed before it acted: ${before.untimed}`)
      : seen(`connections open while slowed: ${used} (round trips cannot be timed: ${before.untimed})`);
  const { latencyMs = 0, jitterMs = 0 } = fault;
  const expected = 0.8 * Math.max(0, latencyMs - jitterMs);
  try {
    const time = await cluster.watch.roundTripMs(before.link, latencyMs + jitterMs + 2000);
    if (time !== null && time - before.ms >= expected)
      return seen(
        `a round trip through ${before.link} took ${ms(time)} (${ms(before.ms)} before); connections open while slowed: ${used}`,
      );
    return unseen(
      `a round trip through ${before.link} took ${ms(time ?? 0)}, ${ms(before.ms)} before: not the +${latencyMs} ms expected`,
    );
  } catch (error) {
    return unseen(`a round trip through ${before.link} failed: ${(error as Error).message}`);
  }
}
