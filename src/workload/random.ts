/** A small seeded generator (mulberry32), so a run's choices repeat with the same --seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A pause around `ms`, jittered ±50 % so users do not move in lockstep. */
export const jittered = (ms: number, random: () => number): number => ms * (0.5 + random());
