/** A validated experiment for one profile: every time in seconds, every default filled in. */
import type { AdapterFile } from '../model/adapter.ts';
import type { ExpectationDefinition } from '../model/expectation.ts';
import type { AppTemplate } from '../topology/topology.ts';
import type { FaultKind, ProfileName } from './definition.ts';

export interface ResolvedFault {
  kind: FaultKind;
  target: string;
  atS: number;
  durationS: number;
  latencyMs?: number;
  jitterMs?: number;
  lossPercent?: number;
  reorderPercent?: number;
  rateKBps?: number;
}

export interface Workload {
  browserUsers: number;
  httpUsers: number;
  thinkMs: number;
  durationS: number;
  /** Users start one after another, evenly over this many seconds; unset: all within the first think time. */
  arrivalS?: number;
  /** Some users act more often than the rest; unset: every user alike. */
  heavyUsers?: HeavyUsers;
  /** Requests each HTTP user keeps in flight in its session at once; unset: 1, one after another. */
  parallelism?: number;
  /** Tabs (pages of one browser context) each browser user works in at once; unset: 1. */
  tabs?: number;
}

/** A share of the users that pause `times` less between ops than the others: skewed activity. */
export interface HeavyUsers {
  /** Of all users, 0 < share < 1. */
  share: number;
  /** How many times as often they act, ≥ 1. */
  times: number;
}

export interface Experiment {
  name: string;
  description: string;
  /** Where it was defined, for messages. */
  source: string;
  profile: ProfileName;
  /** Every profile the experiment defines. */
  profiles: ProfileName[];
  /** Strategy names as given (`all-to-all:sync`…), each one known to the strategy table. */
  strategies: string[];
  /** The cluster sizes to run each strategy at (one, unless the experiment compares sizes). */
  appNodes: number[];
  /** Memcached's memory limit, MB, when the experiment sets one. */
  storeMemoryMb?: number;
  /** Extra kB in every session of the Node app, when the experiment sets it. */
  sessionPaddingKb?: number;
  /** The user's own app, when it replaces the strategy's (experiment field `app`, or `--app`). */
  app?: AppTemplate;
  /** The user's adapter for that app (experiment field `app.adapter`, or `--adapter`); the contract's when unset. */
  adapter?: AdapterFile;
  workload: Workload;
  faults: ResolvedFault[];
  /** Per strategy name; a strategy without an entry has no expectations. */
  expectations: Record<string, ExpectationDefinition[]>;
}
