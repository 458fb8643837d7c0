/** Evidence that a fault on links acted: who used the links, and whether the cut or the latency was seen. */
import type { ResolvedFault } from '../experiment/experiment.ts';
import type { Cluster } from '../runtime/runtime.ts';

/** Whether a fault's effect was seen, and the evidence either way. */
export interface Effect {
  observed: boolean;
  evidence: string;
}

/** Read before a link fault acts: who used its links (established connections into each link's proxy). */
export interface LinkBaseline {
  /** Null when the kernel's table could not be read. */
  connections: Record<string, number> | null;
  /** How long the links were watched before one was seen in use (0: in use at the first look). */
  watchedMs: number;
}

const seen = (evidence: string): Effect => ({ observed: true, evidence });
const unseen = (evidence: string): Effect => ({ observed: false, evidence });
const UNREADABLE = "the kernel's socket table of the link proxies could not be read";
const ms = (value: number): string => `${Math.round(value)} ms`;

/** How long a cut waits for a connection on its links when none is open at the first look. */
export const IN_USE_WATCH_MS = 250;
const POLL_MS = 5;

/**
 * Who uses the links, watched for up to IN_USE_WATCH_MS: a link in steady use can still be caught between
 * connections (HAProxy and the servers close and reopen theirs), so one look alone would call it unused.
 */
export async function linkBaseline(cluster: Cluster, links: string[]): Promise<LinkBaseline> {
  const started = performance.now();
  for (;;) {
    const connections = cluster.watch.linkConnections(links);
    const watchedMs = performance.now() - started;
    if (!connections || inUse(connections) || watchedMs >= IN_USE_WATCH_MS) return { connections, watchedMs };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
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
  const window = `in the ${IN_USE_WATCH_MS} ms before the cut`;
  if (!used) return unseen(`no connection was open on ${links.join(', ')} ${window}: nothing was using them`);
  const refused = await Promise.all(links.map((l) => cluster.watch.refuses(l).catch(() => false)));
  const accepting = links.filter((_, i) => !refused[i]);
  if (accepting.length > 0) return unseen(`${accepting.join(', ')} still accepted new connections`);
  const now = cluster.watch.linkConnections(links);
  if (!now) return unseen(UNREADABLE);
  const left = inUse(now);
  if (left) return unseen(`connections were still open after the cut: ${left}`);
  const when =
    (baseline?.watchedMs ?? 0) > 0 ? ` (seen ${Math.round(baseline?.watchedMs ?? 0)} ms before it)` : '';
  return seen(
    `the cut closed the connections open on its links (${used}${when}); new connections are refused`,
  );
}

/**
 * Latency acted when its links carried connections while slowed, and a round trip through one of them took
 * about latencyMs longer than one straight to the same service at the same moment (where the service
 * behind can be timed at all: Tomcat's replication endpoint answers only its own protocol).
 */
export async function latencyEffect(
  cluster: Cluster,
  links: string[],
  fault: ResolvedFault,
): Promise<Effect> {
  const now = cluster.watch.linkConnections(links);
  if (!now) return unseen(UNREADABLE);
  const used = inUse(now);
  if (!used)
    return unseen(`no connection was open on ${links.join(', ')} while slowed: nothing was using them`);
  const { latencyMs = 0, jitterMs = 0 } = fault;
  const expected = 0.8 * Math.max(0, latencyMs - jitterMs);
  const failures: string[] = [];
  for (const link of links) {
    try {
      const times = await cluster.watch.roundTrips(link, latencyMs + jitterMs + 2000);
      if (times === null) continue;
      const { viaLink, direct } = times;
      const took = `a round trip through ${link} took ${ms(viaLink)}, ${ms(direct)} straight to the service`;
      return viaLink - direct >= expected
        ? seen(`${took}; connections open while slowed: ${used}`)
        : unseen(`${took}: not the +${latencyMs} ms expected`);
    } catch (error) {
      failures.push(`${link}: ${(error as Error).message}`);
    }
  }
  if (failures.length > 0) return unseen(`no round trip could be timed: ${failures.join('; ')}`);
  return seen(`connections open while slowed: ${used} (the services behind answer only their own protocol)`);
}
