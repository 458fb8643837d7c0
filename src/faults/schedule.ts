import type { ResolvedFault } from '../experiment/experiment.ts';
import type { WorkloadClock } from '../history/clock.ts';
import type { Op } from '../model/op.ts';
import type { Cluster } from '../runtime/runtime.ts';
import { idsWithRole } from '../topology/topology.ts';
import { FAULT_ACTIONS } from './kinds.ts';
import type { FaultLedger } from './ledger.ts';
import type { Chosen } from './targets.ts';

export interface ScheduleDeps {
  cluster: Cluster;
  clock: WorkloadClock;
  ledger: FaultLedger;
  historySoFar: () => Op[];
  random: () => number;
  onEvent: (message: string) => void;
}

interface ActiveFault {
  fault: ResolvedFault;
  chosen: Chosen;
  name: string;
}

const seconds = (ms: number): number => Math.round(ms) / 1000;

/** What the ledger says beyond kind and target: the links hit, the added latency, or why nothing was hit. */
function describe(fault: ResolvedFault, chosen: Chosen): string | undefined {
  const parts = [chosen.detail];
  if (chosen.links.length) parts.push(`links ${chosen.links.join(', ')}`);
  if (fault.latencyMs !== undefined)
    parts.push(`+${fault.latencyMs} ms${fault.jitterMs ? ` ± ${fault.jitterMs} ms` : ''}`);
  return parts.filter(Boolean).join('; ') || undefined;
}

/** The nemesis: injects each fault at its time and heals it after its duration, or at the latest in healAll. */
export class FaultSchedule {
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #active = new Map<number, ActiveFault>();
  readonly #inFlight = new Set<Promise<void>>();

  constructor(
    readonly faults: ResolvedFault[],
    readonly deps: ScheduleDeps,
  ) {}

  /** How many faults are injected and not yet healed. */
  get active(): number {
    return this.#active.size;
  }

  start(): void {
    this.faults.forEach((fault, id) => {
      this.#at(fault.atS, () => this.#inject(id, fault));
    });
  }

  #at(atS: number, task: () => Promise<void>): void {
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        const running = task()
          .catch((error: Error) => this.deps.onEvent(`fault failed: ${error.message}`))
          .finally(() => this.#inFlight.delete(running));
        this.#inFlight.add(running);
      },
      Math.max(0, atS * 1000 - this.deps.clock.now()),
    );
    this.#timers.add(timer);
  }

  async #inject(id: number, fault: ResolvedFault): Promise<void> {
    const { cluster, clock, ledger, onEvent } = this.deps;
    const running = idsWithRole(cluster.topology, 'app').filter((id) => cluster.isRunning(id));
    const now = clock.now();
    const action = FAULT_ACTIONS[fault.kind];
    let chosen: Chosen;
    try {
      chosen = action.choose(fault, {
        topology: cluster.topology,
        running,
        historySoFar: this.deps.historySoFar(),
        nowMs: now,
        random: this.deps.random,
      });
    } catch (error) {
      onEvent(`${fault.kind} skipped: ${(error as Error).message}`);
      return;
    }
    const detail = describe(fault, chosen);
    ledger.write({
      event: 'inject',
      id,
      kind: fault.kind,
      target: chosen.target,
      at: seconds(now),
      ...(detail ? { detail } : {}),
    });
    const name = `fault-${id}`;
    this.#active.set(id, { fault, chosen, name });
    onEvent(`${fault.kind} ${chosen.target} at ${seconds(now).toFixed(1)} s${detail ? ` (${detail})` : ''}`);
    await action.inject(cluster, chosen, fault, name);
    this.#at(fault.atS + fault.durationS, () => this.#heal(id));
  }

  async #heal(id: number): Promise<void> {
    const active = this.#active.get(id);
    if (!active) return;
    this.#active.delete(id);
    const { cluster, clock, ledger, onEvent } = this.deps;
    ledger.write({ event: 'heal-start', id, at: seconds(clock.now()) });
    try {
      await FAULT_ACTIONS[active.fault.kind].heal(cluster, active.chosen, active.fault, active.name);
      ledger.write({ event: 'healed', id, at: seconds(clock.now()) });
      onEvent(`healed ${active.fault.kind} ${active.chosen.target} at ${seconds(clock.now()).toFixed(1)} s`);
    } catch (error) {
      ledger.write({ event: 'heal-failed', id, at: seconds(clock.now()), error: (error as Error).message });
      onEvent(`could not heal ${active.fault.kind} ${active.chosen.target}: ${(error as Error).message}`);
    }
  }

  /** Cancels what has not started, waits for what has, and heals everything still active. */
  async healAll(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await Promise.allSettled([...this.#inFlight]);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await Promise.all([...this.#active.keys()].map((id) => this.#heal(id)));
  }
}
