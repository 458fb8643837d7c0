/**
 * Latency of a user's session ops split by where they landed: on the node that served the user's previous op
 * of the same session, or on another node. With BackupManager a node that is not the session's primary
 * holds only a proxy of it and must fetch it first (the extra hop); with a full copy on every node, or a
 * shared store, both halves should cost the same.
 */
import type { LatencySummary } from '../model/case.ts';
import type { Op } from '../model/op.ts';
import { type HistogramState, LatencyHistogram } from './metrics.ts';

export interface NodeChangeState {
  sameNode: HistogramState;
  otherNode: HistogramState;
}

export class NodeChangeLatency {
  readonly #same = new LatencyHistogram();
  readonly #other = new LatencyHistogram();
  readonly #last = new Map<string, { node: string; epoch: number }>();

  /** Fed each user's ops in order. */
  add(op: Op): void {
    if (op.outcome !== 'ok' || op.node === null) {
      this.#last.delete(op.user);
      return;
    }
    const last = this.#last.get(op.user);
    if (op.op !== 'login' && last && last.epoch === op.epoch)
      (last.node === op.node ? this.#same : this.#other).add(op.end - op.start);
    this.#last.set(op.user, { node: op.node, epoch: op.epoch });
  }

  state(): NodeChangeState {
    return { sameNode: this.#same.state(), otherNode: this.#other.state() };
  }
}

export const mergeNodeChange = (states: NodeChangeState[]): NodeChangeState => ({
  sameNode: LatencyHistogram.merged(states.map((s) => s.sameNode)).state(),
  otherNode: LatencyHistogram.merged(states.map((s) => s.otherNode)).state(),
});

export const nodeChangeSummary = (
  s: NodeChangeState,
): { sameNode: LatencySummary; otherNode: LatencySummary } => ({
  sameNode: LatencyHistogram.merged([s.sameNode]).summary(),
  otherNode: LatencyHistogram.merged([s.otherNode]).summary(),
});
