/**
 * Deliberate faults of the app itself, to check the suite's checkers against ground truth: with
 * APP_MISBEHAVE="drop-write:0.1,stale-cart:0.1" the app silently misbehaves on that share of requests for
 * the first APP_MISBEHAVE_FOR_S seconds of its life, and logs each time it did (`misbehave {json}`), so a
 * test can compare what the checkers found with what really happened. Off unless asked for.
 */
export const MISBEHAVIORS = ['drop-write', 'stale-cart', 'forget-session', 'drop-user'] as const;
export type Misbehavior = (typeof MISBEHAVIORS)[number];

export interface MisbehaviorConfig {
  rates: Partial<Record<Misbehavior, number>>;
  forMs: number;
  seed: number;
}

/** Decides, request by request, whether to misbehave, and writes down each time it does. */
export class Misbehaving {
  readonly #since = performance.now();
  #state: number;

  constructor(
    readonly config: MisbehaviorConfig | null,
    readonly log: (line: string) => void,
  ) {
    this.#state = config?.seed ?? 1;
  }

  #random(): number {
    // mulberry32: repeatable with the same seed.
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Whether to misbehave this way now; when it does, the log says so with `details`. */
  now(kind: Misbehavior, details: Record<string, unknown>): boolean {
    const rate = this.config?.rates[kind];
    if (!rate || performance.now() - this.#since > (this.config?.forMs ?? 0) || this.#random() >= rate)
      return false;
    this.log(`misbehave ${JSON.stringify({ kind, ...details })}`);
    return true;
  }
}
