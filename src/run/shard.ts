/** Sharding a matrix over several machines: which cases each shard runs, balanced by expected time. */
import type { ShardInfo } from '../model/run.ts';

/** `--shard 2/5` → { index: 2, count: 5 }; null when the text is not of that form with 1 ≤ index ≤ count. */
export function parseShard(text: string): ShardInfo | null {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) return null;
  const [index, count] = [Number(match[1]), Number(match[2])];
  return index >= 1 && index <= count ? { index, count } : null;
}

/**
 * The items of one shard, in their original order. Items are dealt longest first, each to the shard with the
 * least expected time so far (the lowest-numbered on a tie): deterministic for the same items and costs, and
 * no shard gets more than the longest item above an even share.
 */
export function itemsOfShard<T>(items: readonly T[], cost: (item: T) => number, shard: ShardInfo): T[] {
  const loads = new Array<number>(shard.count).fill(0);
  const owner = new Array<number>(items.length);
  const longestFirst = items
    .map((item, i) => ({ i, cost: cost(item) }))
    .sort((a, b) => b.cost - a.cost || a.i - b.i);
  for (const { i, cost: c } of longestFirst) {
    const least = loads.indexOf(Math.min(...loads));
    owner[i] = least;
    loads[least] = (loads[least] ?? 0) + c;
  }
  return items.filter((_, i) => owner[i] === shard.index - 1);
}
