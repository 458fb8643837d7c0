/** The fault-timing bench's experiment: many short store-latency faults under load, each one timed. */
import { defineExperiment } from '../../src/experiment/definition.ts';

/**
 * For bench/fault-timing.bench.ts: 60 short store-latency faults, one every half second, on a cluster under
 * the usual load, so that the ledger shows how late the runner applies each fault.
 */
export default defineExperiment({
  name: 'fault-timing',
  description: 'Sixty 0.3 s store-latency faults, one every 0.5 s, under load.',
  strategies: ['redis'],
  cluster: { appNodes: 3 },
  workload: { browserUsers: 2, httpUsers: 20, thinkMs: 250 },
  profiles: { quick: { durationS: 35 }, full: { durationS: 35 } },
  faults: Array.from({ length: 60 }, (_, i) => ({
    kind: 'store-latency' as const,
    target: 'store:any',
    at: 2 + i * 0.5,
    duration: 0.3,
    latencyMs: 20,
  })),
  expectations: { redis: [{ metric: 'errors', equals: 0 }] },
});
