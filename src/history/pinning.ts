/** Where each user was (the node serving it, or that last served it): which users a node fault reached. */
import type { Op } from '../model/op.ts';

/** Where a user was at one moment: the node serving it, and its epoch (which login). */
export interface Whereabouts {
  node: string;
  epoch: number;
}

/**
 * The nodes each user was on at a moment `atMs`, from ops fed one by one in any order: the node that
 * answered its op in flight at that moment, and the node of its last successful op that ended by then. With
 * sticky sessions, the second is the node the user is pinned to; the first differs from it when the op in
 * flight was sent there and answered elsewhere (HAProxy redispatches a request whose node just died).
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

  /** Where the user was: its op in flight first, then its last successful op; none before its first op. */
  of(user: string): Whereabouts[] {
    const all: Whereabouts[] = [];
    const inFlight = this.#inFlight.get(user);
    const lastOk = this.#lastOk.get(user);
    if (inFlight) all.push(inFlight);
    if (lastOk) all.push({ node: lastOk.node, epoch: lastOk.epoch });
    return all;
  }

  /** Every user's whereabouts at that moment, as plain data. */
  snapshot(): Record<string, Whereabouts[]> {
    const all: Record<string, Whereabouts[]> = {};
    for (const user of new Set([...this.#lastOk.keys(), ...this.#inFlight.keys()])) all[user] = this.of(user);
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
