/** What a case cost: traffic per kind of link and memory per node, from what its cluster recorded. */
import type { CaseCost, CostRecord } from '../model/case.ts';
import { round } from './stats.ts';

/**
 * What a case cost, from what its cluster recorded: bytes per kind of link (both directions), per second of
 * workload and per acknowledged write; each node's memory, mean and peak of its samples.
 */
export function caseCost(
  record: CostRecord | null,
  durationS: number,
  writes: number,
  note?: string,
): CaseCost | null {
  if (record === null) return null;
  const notes = note ? [note] : [];
  const links: CaseCost['links'] = {};
  if (record.links === null) notes.push('link traffic could not be read from Toxiproxy');
  for (const { kind, upstream, downstream } of Object.values(record.links ?? {})) {
    const bytes = (links[kind]?.bytes ?? 0) + upstream + downstream;
    links[kind] = { bytes, perSecond: 0, perWrite: null };
  }
  for (const entry of Object.values(links)) {
    entry.perSecond = Math.round(entry.bytes / Math.max(1, durationS));
    entry.perWrite = writes > 0 ? Math.round(entry.bytes / writes) : null;
  }
  const memoryMb = Object.fromEntries(
    Object.entries(record.memoryMb)
      .filter(([, samples]) => samples.length > 0)
      .map(([node, samples]) => [
        node,
        { avg: round(samples.reduce((a, b) => a + b, 0) / samples.length), max: round(Math.max(...samples)) },
      ]),
  );
  return { links, memoryMb, notes };
}
