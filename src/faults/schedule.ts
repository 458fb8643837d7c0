import type { ResolvedFault } from '../experiment/experiment.ts';
import type { Op } from '../history/op.ts';
import type { Cluster } from '../runtime/runtime.ts';
import type { WorkloadClock } from '../workload/clock.ts';
import { FAULT_ACTIONS } from './kinds.ts';
import type { FaultLedger } from './ledger.ts';
import { chooseTarget } from './targets.ts';

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
  target: string;
}

const seconds = (ms: number): number => Math.round(ms) / 1000;

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
    const running = cluster.topology.apps.map((a) => a.id).filter((a) => cluster.isRunning(a));
    const now = clock.now();
    let target: string;
    try {
      target = chooseTarget(fault.target, running, this.deps.historySoFar(), now, this.deps.random);
    } catch (error) {
      onEvent(`${fault.kind} skipped: ${(error as Error).message}`);
      return;
    }
    ledger.write({ event: 'inject', id, kind: fault.kind, target, at: seconds(now) });
    this.#active.set(id, { fault, target });
    onEvent(`${fault.kind} ${target} at ${seconds(now).toFixed(1)} s`);
    await FAULT_ACTIONS[fault.kind].inject(cluster, target);
    this.#at(fault.atS + fault.durationS, () => this.#heal(id));
  }

  async #heal(id: number): Promise<void> {
    const active = this.#active.get(id);
    if (!active) return;
    this.#active.delete(id);
    const { cluster, clock, ledger, onEvent } = this.deps;
    ledger.write({ event: 'heal-start', id, at: seconds(clock.now()) });
    try {
      await FAULT_ACTIONS[active.fault.kind].heal(cluster, active.target);
      ledger.write({ event: 'healed', id, at: seconds(clock.now()) });
      onEvent(`healed ${active.fault.kind} ${active.target} at ${seconds(clock.now()).toFixed(1)} s`);
    } catch (error) {
      ledger.write({ event: 'heal-failed', id, at: seconds(clock.now()), error: (error as Error).message });
      onEvent(`could not heal ${active.fault.kind} ${active.target}: ${(error as Error).message}`);
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
