import type { Op } from '../model/op.ts';

/** Where a user was at one moment: the node serving it, and its epoch (which login). */
export interface Whereabouts {
  node: string;
  epoch: number;
}

/**
 * The node each user was on at a moment `atMs`, from ops fed one by one in any order: the node of its op in
 * flight at that moment (if that op was answered), else of its last successful op that ended by then. With
 * sticky sessions, the node the user is pinned to.
 */
export class NodesAt {
  readonly #lastOk = new Map<string, Whereabouts & { end: number }>();
  readonly #inFlight = new Map<string, Whereabouts>();

  constructor(readonly atMs: number) {}

  add(op: Op): void {
    if (op.node === null || op.start > this.atMs) return;
    const where = { node: op.node, epoch: op.epoch };
    if (op.end > this.atMs) this.#inFlight.set(op.user, where);
    else if (op.outcome === 'ok' && (this.#lastOk.get(op.user)?.end ?? -1) <= op.end)
      this.#lastOk.set(op.user, { ...where, end: op.end });
  }

  of(user: string): Whereabouts | undefined {
    return this.#inFlight.get(user) ?? this.#lastOk.get(user);
  }

  /** Every user's whereabouts at that moment, as plain data. */
  snapshot(): Record<string, Whereabouts> {
    const all: Record<string, Whereabouts> = {};
    for (const user of new Set([...this.#lastOk.keys(), ...this.#inFlight.keys()])) {
      const where = this.of(user);
      if (where) all[user] = { node: where.node, epoch: where.epoch };
    }
    return all;
  }
}

/** The node each user was last served by, successfully, as ops come in during a run. */
export class LastNodes {
  readonly #nodes = new Map<string, string>();

  add(op: Op): void {
    if (op.outcome === 'ok' && op.node) this.#nodes.set(op.user, op.node);
  }

  /** Users per node among `nodes`, most first; ties keep node order. */
  usersPerNode(nodes: string[]): [string, number][] {
    const counts = new Map<string, number>(nodes.map((node) => [node, 0]));
    for (const node of this.#nodes.values())
      if (counts.has(node)) counts.set(node, (counts.get(node) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1]);
  }
}
