/** A fault of an experiment, validated: its target for its kind, its window, and something to hit. */
import {
  hasReplication,
  hasSentinel,
  hasStore,
  type Strategy,
  strategyNamed,
} from '../strategies/strategies.ts';
import type { TargetContext } from '../topology/targets.ts';
import {
  buildTopology,
  idsWithRole,
  type SentinelService,
  servicesWithRole,
  type Topology,
} from '../topology/topology.ts';
import { AIM } from './aims.ts';
import { FAULT_KINDS, type FaultKind, LATENCY_FAULTS, minimumDuration } from './definition.ts';
import type { ResolvedFault } from './experiment.ts';
import { show, type Validator } from './validator.ts';

const ID = '[a-z0-9][a-z0-9-]*';
const APP_TARGET = { pattern: `app:(any|busiest|${ID})`, hint: 'app:any, app:busiest or app:<node id>' };
const STORE_TARGET = {
  pattern: `store:(any|primary|${ID})`,
  hint: 'store:any (the whole store, as the apps reach it), store:primary (with Sentinel) or store:<store id>',
};
const STORE_PROCESS = {
  pattern: `store:(any|primary|${ID})`,
  hint: 'store:any, store:primary (with Sentinel) or store:<store id>',
};
/** Any channel: a node's links, one link, the store's, or replication's. */
const LINK_TARGET = {
  pattern: `(${APP_TARGET.pattern}|link:${ID}->${ID}|${STORE_TARGET.pattern}|replication:all)`,
  hint: `${APP_TARGET.hint} (its links), link:<from>-><to>, store:any, store:<id> or replication:all`,
};
/** The settings each fault kind takes beside its target and window: [field, least, most]. */
const SETTINGS: Partial<Record<FaultKind, [string, number, number][]>> = {
  'store-latency': [['latencyMs', 1, 60_000]],
  'replication-latency': [['latencyMs', 1, 60_000]],
  'packet-loss': [['lossPercent', 1, 100]],
  reorder: [
    ['reorderPercent', 1, 99],
    ['latencyMs', 1, 60_000],
  ],
  bandwidth: [['rateKBps', 1, 1_000_000]],
};

/** Which targets each fault kind takes. */
const TARGETS: Record<FaultKind, { pattern: string; hint: string }> = {
  'kill-node': APP_TARGET,
  'pause-node': APP_TARGET,
  'kill-store': STORE_PROCESS,
  'restart-store': STORE_PROCESS,
  failover: { pattern: 'store:primary', hint: 'store:primary' },
  partition: {
    pattern: `(${APP_TARGET.pattern}|link:${ID}->${ID})`,
    hint: `${APP_TARGET.hint}, or link:<from>-><to>`,
  },
  'store-latency': STORE_TARGET,
  'store-down': STORE_TARGET,
  'replication-latency': { pattern: 'replication:all', hint: 'replication:all' },
  'packet-loss': LINK_TARGET,
  reorder: LINK_TARGET,
  bandwidth: LINK_TARGET,
  'scale-out': { pattern: 'app:new', hint: 'app:new' },
  'scale-in': APP_TARGET,
};

export function timeSpecSeconds(c: Validator, value: unknown, path: string, durationS: number): number {
  if (typeof value === 'string' && /^\d+(\.\d+)?%$/.test(value))
    return (Number.parseFloat(value) / 100) * durationS;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  return c.fail(
    path,
    `expected seconds (a number ≥ 0) or a share of the workload such as "33%", got ${show(value)}`,
  );
}

export function resolveFault(c: Validator, value: unknown, path: string, durationS: number): ResolvedFault {
  const fault = c.object(value, path);
  const kind = c.oneOf(fault.kind, `${path}.kind`, FAULT_KINDS, 'a fault kind');
  const latency = LATENCY_FAULTS.includes(kind);
  const settings = SETTINGS[kind] ?? [];
  c.onlyKeys(fault, path, [
    'kind',
    'target',
    'at',
    'duration',
    ...settings.map(([field]) => field),
    ...(latency ? ['jitterMs'] : []),
  ]);
  const allowed = TARGETS[kind];
  const target = c.string(fault.target, `${path}.target`, `use ${allowed.hint}`);
  if (!new RegExp(`^${allowed.pattern}$`).test(target))
    c.fail(`${path}.target`, `${show(target)} is not a target for ${kind}; use ${allowed.hint}`);
  const atS = timeSpecSeconds(c, fault.at, `${path}.at`, durationS);
  const faultS = timeSpecSeconds(c, fault.duration, `${path}.duration`, durationS);
  if (atS >= durationS)
    c.fail(`${path}.at`, `${atS} s is not before the end of the workload (${durationS} s); start it earlier`);
  if (atS + faultS > durationS)
    c.fail(
      path,
      `ends at ${atS + faultS} s, after the workload's ${durationS} s; start it earlier or shorten it`,
    );
  const resolved: ResolvedFault = { kind, target, atS, durationS: faultS };
  for (const [field, least, most] of settings)
    Object.assign(resolved, { [field]: c.integer(fault[field], `${path}.${field}`, least, most) });
  if (latency && fault.jitterMs !== undefined)
    resolved.jitterMs = c.integer(fault.jitterMs, `${path}.jitterMs`, 0, 60_000);
  const least = minimumDuration(kind, resolved.latencyMs);
  if (faultS < least.s)
    c.fail(
      `${path}.duration`,
      `${faultS} s is shorter than ${kind}'s minimum of ${least.s} s (${least.why}); make it at least ${least.s} s`,
    );
  return resolved;
}

/**
 * What each fault kind needs a strategy to have at all (a store, replication, Sentinels). Having it is not
 * being hit by the fault: whether the fault finds something to hit in the cluster is checked by aiming it
 * (checkFaultsHit).
 */
const STRATEGY_NEEDS: Partial<Record<FaultKind, { has: (s: Strategy) => boolean; what: string }>> = {
  'store-down': { has: hasStore, what: 'a session store' },
  'store-latency': { has: hasStore, what: 'a session store' },
  'replication-latency': { has: hasReplication, what: 'replication links' },
  'kill-store': { has: hasStore, what: 'a session store' },
  'restart-store': { has: hasStore, what: 'a session store' },
  failover: { has: hasSentinel, what: 'a Redis primary with a replica and Sentinels' },
  'scale-out': {
    has: (s) => s.app !== 'tomcat',
    what: "app nodes that can join a running cluster (Tomcat's static cluster membership cannot take one)",
  },
};

/** A cluster as it starts, for aiming faults before anything runs: every node up, Sentinel's first primary. */
export function startContext(topology: Topology): TargetContext {
  const [sentinel] = servicesWithRole(topology, 'sentinel') as SentinelService[];
  return {
    topology,
    running: idsWithRole(topology, 'app').filter((id) => !topology.spares.includes(id)),
    usersPerNode: [],
    storePrimary: sentinel?.primary ?? null,
    random: () => 0,
  };
}

/** A fault whose kind needs what one of the strategies does not have is refused before anything starts. */
export function checkFaultFits(c: Validator, fault: ResolvedFault, path: string, strategies: string[]): void {
  const need = STRATEGY_NEEDS[fault.kind];
  if (!need) return;
  const without = strategies.filter((name) => {
    const row = strategyNamed(name);
    return row !== undefined && !need.has(row);
  });
  if (without.length > 0)
    c.fail(
      `${path}.kind`,
      `${fault.kind} needs ${need.what}, which ${without.join(' and ')} ${without.length > 1 ? 'do' : 'does'} not have; remove ${without.length > 1 ? 'them' : 'it'} from strategies, or this fault`,
    );
}

/**
 * Every fault aimed, as it would be when it fires, at each strategy's cluster as it starts (every node
 * running, Sentinel's first primary): one that would have nothing to hit is refused before anything starts.
 */
export function checkFaultsHit(
  c: Validator,
  faults: ResolvedFault[],
  strategies: string[],
  sizes: number[],
): void {
  const spareNodes = faults.filter((f) => f.kind === 'scale-out').length;
  for (const name of strategies) {
    const row = strategyNamed(name);
    if (!row) continue;
    for (const appNodes of sizes) {
      const topology = buildTopology(row, { appNodes, spareNodes });
      const ctx = startContext(topology);
      for (const [i, fault] of faults.entries()) {
        try {
          AIM[fault.kind](fault.target, ctx);
        } catch (error) {
          const where = sizes.length > 1 ? `${name} at ${appNodes} nodes` : name;
          c.fail(
            `faults[${i}].target`,
            `${fault.kind} on ${show(fault.target)} would have nothing to hit in ${where} (${(error as Error).message}); aim it elsewhere, or remove ${name} from strategies`,
          );
        }
      }
    }
  }
}
