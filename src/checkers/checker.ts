/** What a checker of a history is (fed each user's ops in order, it finds anomalies), and shared helpers. */
import type { Anomaly } from '../model/anomaly.ts';
import type { Op } from '../model/op.ts';

/**
 * One kind of check over a history, fed op by op: each user's ops arrive in the order that user made them
 * (the runner writes them so; a user never has two ops in flight). Memory grows with users and items, not
 * with the length of the history.
 */
export interface Checker {
  readonly name: string;
  add(op: Op): void;
  /** Everything found, including what only the end of the history decides. */
  finish(): Anomaly[];
}

/** A checker that looks at each op alone. */
export function perOp(name: string, find: (op: Op) => Anomaly | null): Checker {
  const found: Anomaly[] = [];
  return {
    name,
    add(op) {
      const anomaly = find(op);
      if (anomaly) found.push(anomaly);
    },
    finish: () => found,
  };
}

/** Per-user state of a checker, created on a user's first op. */
export class PerUser<S> {
  readonly #states = new Map<string, S>();

  constructor(readonly create: (user: string) => S) {}

  of(user: string): S {
    let state = this.#states.get(user);
    if (state === undefined) {
      state = this.create(user);
      this.#states.set(user, state);
    }
    return state;
  }

  values(): IterableIterator<S> {
    return this.#states.values();
  }
}

export const ms = (t: number): number => Math.round(t);
