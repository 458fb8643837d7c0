/** What every fault kind implements (see kinds.ts), and the two answers its look gives. */
import type { ResolvedFault } from '../experiment/experiment.ts';
import type { Touched } from '../model/fault.ts';
import type { Cluster } from '../runtime/runtime.ts';
import type { Chosen } from '../topology/targets.ts';
import type { Effect, LinkBaseline } from './link-effects.ts';

export type { Effect } from './link-effects.ts';

/** What a fault kind reads before it acts, to compare with afterwards. */
export interface Baseline {
  pid?: number | null;
  primary?: string | null;
  links?: LinkBaseline;
}

/**
 * How each fault kind acts on what it was aimed at (see AIM), shows that it acted, and is healed.
 * `look` is asked again and again during the fault's window until it reports the effect observed; its
 * last answer is the fault's evidence either way.
 */
export interface FaultAction {
  before(cluster: Cluster, chosen: Chosen, fault: ResolvedFault): Promise<Baseline>;
  inject(
    cluster: Cluster,
    chosen: Chosen,
    fault: ResolvedFault,
    name: string,
    baseline: Baseline,
  ): Promise<Touched>;
  look(
    cluster: Cluster,
    chosen: Chosen,
    fault: ResolvedFault,
    baseline: Baseline,
    name: string,
  ): Promise<Effect>;
  heal(cluster: Cluster, chosen: Chosen, fault: ResolvedFault, name: string): Promise<void>;
}

export const seen = (evidence: string): Effect => ({ observed: true, evidence });
export const unseen = (evidence: string): Effect => ({ observed: false, evidence });
