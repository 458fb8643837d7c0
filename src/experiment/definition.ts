/** What an experiment file declares: typed data only (see experiments/*.experiment.ts). */
import type { ExpectationDefinition } from '../model/expectation.ts';
import type { StrategyName } from '../strategies/strategies.ts';
import type { AppTemplate } from '../topology/topology.ts';

export const FAULT_KINDS = [
  'kill-node',
  'pause-node',
  'kill-store',
  'restart-store',
  'failover',
  'store-latency',
  'store-down',
  'partition',
  'replication-latency',
  'packet-loss',
  'reorder',
  'bandwidth',
  'scale-out',
  'scale-in',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
/** Fault kinds that slow links: they need `latencyMs`. */
export const LATENCY_FAULTS: readonly FaultKind[] = ['store-latency', 'replication-latency', 'reorder'];
/** Fault kinds only the kernel can make (a proxy relays a stream, not packets): they need --netns. */
export const KERNEL_FAULTS: readonly FaultKind[] = ['packet-loss', 'reorder'];

/** How long a node leaving the cluster (scale-in) keeps serving the users pinned to it, in seconds. */
export const DRAIN_S = 2;

/**
 * The shortest window a fault of each kind may have: long enough for it to act and for its effect to be
 * seen (a fault whose effect was not seen leaves its case undecided), with why.
 */
export function minimumDuration(kind: FaultKind, latencyMs = 0): { s: number; why: string } {
  const latency = {
    s: Math.round(0.2 * 1000 + 2 * latencyMs) / 1000,
    why: 'a round trip through a slowed link, timed to show it, takes latencyMs more',
  };
  const table: Record<FaultKind, { s: number; why: string }> = {
    'kill-node': { s: 3, why: 'HAProxy marks a dead node DOWN after two failed health checks, 0.5 s apart' },
    'pause-node': { s: 0.5, why: "the node's processes must be seen stopped" },
    'kill-store': { s: 0.5, why: 'the store must be seen gone' },
    'restart-store': { s: 0, why: 'it is seen running again as soon as its restart ends' },
    failover: { s: 5, why: 'Sentinel notices a dead primary after 1 s, then elects and promotes a replica' },
    'store-down': { s: 0.5, why: 'the cut must be seen: connections closed, new ones refused' },
    partition: { s: 0.5, why: 'the cut must be seen: connections closed, new ones refused' },
    'store-latency': latency,
    'replication-latency': latency,
    'packet-loss': { s: 0.5, why: 'its rule must be seen dropping packets of its links' },
    reorder: latency,
    bandwidth: { s: 0.5, why: 'its links must be seen carrying data at the rate' },
    'scale-out': { s: 3, why: 'HAProxy puts a new node in the rotation after two good health checks' },
    'scale-in': { s: DRAIN_S + 1, why: `a node is drained for ${DRAIN_S} s before it leaves` },
  };
  return table[kind];
}

/** smoke (optional): a one-minute look; quick: the default; full: longer, more users. */
export const PROFILES = ['smoke', 'quick', 'full'] as const;
export type ProfileName = (typeof PROFILES)[number];
/** Profiles every experiment defines; the others are optional. */
export const REQUIRED_PROFILES: readonly ProfileName[] = ['quick', 'full'];

/** Seconds from the start of the workload, or a share of the workload's duration such as "33%". */
export type TimeSpec = number | `${number}%`;

export interface FaultDefinition {
  kind: FaultKind;
  /**
   * A role and a choice. Node faults and partitions: `app:any`, `app:busiest` (most users pinned) or
   * `app:<id>`; a partition may also cut one link, `link:<id>` (e.g. `link:app-1->redis`). Store faults:
   * `store:any` or `store:<id>`. Replication latency: `replication:all`. Packet loss, reordering and
   * bandwidth: any of the link targets (`app:…`, `link:<id>`, `store:…`, `replication:all`). Scale-out:
   * `app:new` (a spare node the cluster is given for it); scale-in: a node, as for node faults.
   */
  target: string;
  at: TimeSpec;
  /** How long the fault lasts before it is healed. */
  duration: TimeSpec;
  /** For latency faults: added to every chunk, in ms. */
  latencyMs?: number;
  /** For latency faults: ± random spread, in ms. */
  jitterMs?: number;
  /** For packet-loss: the share of the links' packets dropped, in % (1–100). */
  lossPercent?: number;
  /** For reorder: the share of packets sent at once, ahead of the others held latencyMs, in % (1–99). */
  reorderPercent?: number;
  /** For bandwidth: the most each link carries, in KB/s, in the direction its data flows. */
  rateKBps?: number;
}

export interface WorkloadDefinition {
  browserUsers: number;
  httpUsers: number;
  /** Pause between a user's operations, in ms (each pause is jittered ±50 %). */
  thinkMs?: number;
  /**
   * Users arrive one after another, evenly over this much of the run (seconds, or a share such as "80%"),
   * instead of all at the start: some users are new to the cluster at any time.
   */
  arrivalOver?: TimeSpec;
  /** A share of the users act `times` as often as the rest (skewed activity), e.g. { share: 0.2, times: 10 }. */
  heavyUsers?: { share: number; times: number };
  /** Each HTTP user keeps this many requests of its session in flight at once (1–8; default 1). */
  parallelism?: number;
  /** Each browser user works in this many tabs of its session at once (1–8; default 1). */
  tabs?: number;
}

export interface ProfileDefinition extends Partial<WorkloadDefinition> {
  durationS: number;
  /** Cluster sizes for this profile, instead of cluster.appNodes. */
  appNodes?: number | number[];
  /** The strategies this profile runs, some of the experiment's (e.g. a smoke look at a few); default: all. */
  strategies?: StrategyName[];
}

export interface ExperimentDefinition {
  name: string;
  description: string;
  strategies: StrategyName[];
  /** App nodes per cluster (3 when not given); a list runs every strategy at each size. */
  cluster?: {
    appNodes?: number | number[];
    /** Memcached's memory limit, MB (default 64): small, it evicts sessions. */
    storeMemoryMb?: number;
    /** Extra kB every session of the reference Node app carries from login (default 0), up to 64. */
    sessionPaddingKb?: number;
  };
  /**
   * Run your own app instead of the strategy's: a command that starts one node, with placeholders
   * {nodeId}, {host}, {port}, {storeKind}, {storeUrl}, {dataDir} (local runtime); an image the container
   * engine has, run with the same settings as environment variables (container runtime); or a webapp
   * (folder or .war) for the Tomcat strategies. `adapter`: the module that speaks to it when it does not
   * speak the app contract. Paths are relative to this file. See docs/your-app.md.
   */
  app?: AppTemplate & { adapter?: string };
  workload: WorkloadDefinition;
  profiles: Record<'quick' | 'full', ProfileDefinition> & { smoke?: ProfileDefinition };
  faults: FaultDefinition[];
  expectations: Partial<Record<StrategyName, ExpectationDefinition[]>>;
}

/** Identity, for type checking and editor help in experiment files. */
export function defineExperiment(definition: ExperimentDefinition): ExperimentDefinition {
  return definition;
}
