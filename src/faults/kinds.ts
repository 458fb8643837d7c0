import type { FaultKind } from '../experiment/definition.ts';
import type { Cluster } from '../runtime/runtime.ts';

/** How each fault kind is applied to a started cluster, and how it is healed. */
export interface FaultAction {
  inject(cluster: Cluster, target: string): Promise<void>;
  heal(cluster: Cluster, target: string): Promise<void>;
}

export const FAULT_ACTIONS: Record<FaultKind, FaultAction> = {
  'kill-node': {
    inject: (cluster, target) => cluster.kill(target),
    heal: (cluster, target) => cluster.restart(target),
  },
};
