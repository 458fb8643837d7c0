/** An app that crashes on its own before any fault: its case is an infrastructure error, not a result. */
import type { Cluster } from '../runtime/runtime.ts';
import { InfrastructureError } from '../runtime/runtime.ts';
import { idsWithRole } from '../topology/topology.ts';

/**
 * The app nodes of a case that stop running before its first fault: an app that crashes on its first
 * requests (or soon after it started) is not a strategy's result, so the case ends as an infrastructure
 * error naming the node, how it was started and its log's last lines. A node that dies once faults have
 * begun may be their effect, and is left to the checkers.
 */
export class CrashWatch {
  readonly #nodes: string[];
  #crash: string | null = null;

  constructor(
    private readonly cluster: Cluster,
    /** When the first fault is due, in seconds of workload; Infinity without faults. */
    private readonly firstFaultS: number,
  ) {
    this.#nodes = idsWithRole(cluster.topology, 'app').filter((id) => cluster.isRunning(id));
  }

  /** Looks once, at `atS` seconds of workload (negative while users are being opened). */
  look(atS: number): void {
    if (this.#crash !== null || atS >= this.firstFaultS) return;
    const gone = this.#nodes.find((id) => !this.cluster.isRunning(id));
    if (gone === undefined) return;
    const when = atS < 0 ? 'while users were logging in' : `${atS.toFixed(1)} s into the workload`;
    this.#crash = `${this.cluster.failure(gone)}\n  (${when}, before any fault: the app itself failed)`;
  }

  /** Throws the crash it saw, if any. */
  raise(): void {
    if (this.#crash !== null) throw new InfrastructureError(this.#crash);
  }
}
