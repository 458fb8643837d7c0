/** A case's fault schedule: each fault injected on time, its effect looked for, healed after its window. */
import { setTimeout as sleep } from 'node:timers/promises';
import { AIM } from '../experiment/aims.ts';
import type { ResolvedFault } from '../experiment/experiment.ts';
import type { WorkloadClock } from '../history/clock.ts';
import type { Cluster } from '../runtime/runtime.ts';
import type { Chosen } from '../topology/targets.ts';
import { idsWithRole, proxied, type Topology } from '../topology/topology.ts';
import { type Baseline, FAULT_ACTIONS } from './kinds.ts';
import type { FaultLedger } from './ledger.ts';

export interface ScheduleDeps {
  cluster: Cluster;
  clock: WorkloadClock;
  ledger: FaultLedger;
  /** Users per running node, most first: who the node is serving (with sticky sessions, pinned to). */
  usersPerNode: (nodes: string[]) => [string, number][];
  random: () => number;
  onEvent: (message: string) => void;
}

interface ActiveFault {
  fault: ResolvedFault;
  chosen: Chosen;
  name: string;
  /** Its injection and the look for its effect: a heal never starts before both are over. */
  settled: Promise<void>;
}

const toSeconds = (ms: number): number => Math.round(ms) / 1000;
const HEAL_ATTEMPTS = 3;
const HEAL_RETRY_MS = 500;
/** How often a fault's effect is looked for during its window. */
const LOOK_EVERY_MS = 100;

/** What the ledger says beyond kind and target: the links hit, the added latency, or why nothing was hit. */
function describe(fault: ResolvedFault, chosen: Chosen, topology: Topology): string | undefined {
  const parts = [chosen.detail];
  const inKernel = chosen.links.filter((id) => topology.links.some((l) => l.id === id && !proxied(l)));
  const viaProxies = chosen.links.filter((id) => !inKernel.includes(id));
  if (viaProxies.length) parts.push(`links ${viaProxies.join(', ')} by their proxies`);
  if (inKernel.length) parts.push(`links ${inKernel.join(', ')} by the kernel's packet filter`);
  if (fault.latencyMs !== undefined)
    parts.push(`+${fault.latencyMs} ms${fault.jitterMs ? ` ± ${fault.jitterMs} ms` : ''}`);
  if (fault.lossPercent !== undefined) parts.push(`${fault.lossPercent}% of packets lost`);
  if (fault.reorderPercent !== undefined) parts.push(`${fault.reorderPercent}% sent ahead`);
  if (fault.rateKBps !== undefined) parts.push(`at most ${fault.rateKBps} KB/s`);
  return parts.filter(Boolean).join('; ') || undefined;
}

/**
 * The nemesis: injects each fault at its time, looks for its effect during its window, and heals it after
 * its duration (never before its injection and that look are over), or at the latest in healAll.
 */
export class FaultSchedule {
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #active = new Map<number, ActiveFault>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #healing = new Map<number, Promise<void>>();
  /** Aborted by healAll: looks still going end with what they have seen. */
  readonly #ending = new AbortController();

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

  #choose(id: number, fault: ResolvedFault, running: string[], primary: string | null): Chosen | null {
    const { cluster, clock, ledger, onEvent } = this.deps;
    try {
      return AIM[fault.kind](fault.target, {
        topology: cluster.topology,
        running,
        usersPerNode: this.deps.usersPerNode(running),
        storePrimary: primary,
        random: this.deps.random,
      });
    } catch (error) {
      const message = (error as Error).message;
      const { kind, target, atS: scheduledAt } = fault;
      ledger.write({
        event: 'skipped',
        id,
        kind,
        target,
        at: toSeconds(clock.now()),
        scheduledAt,
        error: message,
      });
      onEvent(`${fault.kind} ${fault.target} did not act: ${message}`);
      return null;
    }
  }

  async #inject(id: number, fault: ResolvedFault): Promise<void> {
    const { cluster, clock, ledger, onEvent } = this.deps;
    const running = idsWithRole(cluster.topology, 'app').filter((id) => cluster.isRunning(id));
    const chosen = this.#choose(id, fault, running, await cluster.storePrimary());
    if (!chosen) return;
    const action = FAULT_ACTIONS[fault.kind];
    const baseline = await action.before(cluster, chosen, fault).catch((): Baseline => ({}));
    const detail = describe(fault, chosen, cluster.topology);
    // The moment it acts: after choosing its target and reading its baseline (asking Sentinel takes a moment).
    const now = clock.now();
    ledger.write({
      event: 'inject',
      id,
      kind: fault.kind,
      target: chosen.target,
      at: toSeconds(now),
      scheduledAt: fault.atS,
      ...(detail ? { detail } : {}),
    });
    onEvent(
      `${fault.kind} ${chosen.target} at ${toSeconds(now).toFixed(1)} s${detail ? ` (${detail})` : ''}`,
    );
    const name = `fault-${id}`;
    const settled = this.#actAndLook(id, fault, chosen, name, baseline);
    this.#active.set(id, { fault, chosen, name, settled });
    // Even an injection that threw may have done part of its work: it is healed like any other.
    this.#at(fault.atS + fault.durationS, () => this.#heal(id));
    await settled;
  }

  /** Acts, writes what it touched, then looks for the effect until it is seen or the window ends. */
  async #actAndLook(
    id: number,
    fault: ResolvedFault,
    chosen: Chosen,
    name: string,
    baseline: Baseline,
  ): Promise<void> {
    const { cluster, clock, ledger, onEvent } = this.deps;
    const action = FAULT_ACTIONS[fault.kind];
    try {
      const touched = await action.inject(cluster, chosen, fault, name, baseline);
      ledger.write({ event: 'injected', id, at: toSeconds(clock.now()), touched });
    } catch (error) {
      const message = (error as Error).message;
      ledger.write({ event: 'inject-failed', id, at: toSeconds(clock.now()), error: message });
      onEvent(`${fault.kind} ${chosen.target} failed to act: ${message}`);
      return;
    }
    const until = (fault.atS + fault.durationS) * 1000;
    for (;;) {
      const effect = await action.look(cluster, chosen, fault, baseline, name).catch((error: Error) => ({
        observed: false,
        evidence: `looking for its effect failed: ${error.message}`,
      }));
      if (effect.observed || clock.now() >= until || this.#ending.signal.aborted) {
        ledger.write({ event: 'effect', id, at: toSeconds(clock.now()), ...effect });
        if (!effect.observed) onEvent(`${fault.kind} ${chosen.target}: no effect seen: ${effect.evidence}`);
        return;
      }
      await sleep(LOOK_EVERY_MS);
    }
  }

  /** Heals one fault, once even when asked twice (on schedule and by healAll). */
  #heal(id: number): Promise<void> {
    let healing = this.#healing.get(id);
    if (!healing) {
      healing = this.#healWithRetries(id).finally(() => this.#healing.delete(id));
      this.#healing.set(id, healing);
    }
    return healing;
  }

  /** A heal that throws is tried again, a bounded number of times; the fault stays active until one works. */
  async #healWithRetries(id: number): Promise<void> {
    const active = this.#active.get(id);
    if (!active) return;
    const { cluster, clock, ledger, onEvent } = this.deps;
    const { fault, chosen, name } = active;
    await active.settled;
    ledger.write({ event: 'heal-start', id, at: toSeconds(clock.now()) });
    for (let attempt = 1; attempt <= HEAL_ATTEMPTS; attempt += 1) {
      try {
        await FAULT_ACTIONS[fault.kind].heal(cluster, chosen, fault, name);
        this.#active.delete(id);
        ledger.write({ event: 'healed', id, at: toSeconds(clock.now()) });
        onEvent(`healed ${fault.kind} ${chosen.target} at ${toSeconds(clock.now()).toFixed(1)} s`);
        return;
      } catch (error) {
        const message = `attempt ${attempt} of ${HEAL_ATTEMPTS}: ${(error as Error).message}`;
        ledger.write({ event: 'heal-failed', id, at: toSeconds(clock.now()), error: message });
        onEvent(`could not heal ${fault.kind} ${chosen.target} (${message})`);
        if (attempt < HEAL_ATTEMPTS) await sleep(HEAL_RETRY_MS * attempt);
      }
    }
  }

  /** Cancels what has not started, waits for what has, and heals everything still active. */
  async healAll(): Promise<void> {
    this.#ending.abort();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await Promise.allSettled([...this.#inFlight]);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await Promise.all([...this.#active.keys()].map((id) => this.#heal(id)));
  }
}
