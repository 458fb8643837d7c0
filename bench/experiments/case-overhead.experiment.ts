/** The case-overhead bench's experiment: every strategy, a short quick workload, no fault. */
import { defineExperiment } from '../../src/experiment/definition.ts';

/** For bench/case-overhead.bench.ts: every strategy, the quick workload for 5 s, no fault. */
export default defineExperiment({
  name: 'case-overhead',
  description:
    'Every strategy with the quick workload for 5 s and no fault: what a case costs beyond its workload.',
  strategies: [
    'none',
    'sticky',
    'redis',
    'redis-aof',
    'redis-replicated',
    'redis-replica-reads',
    'memcached',
    'mysql',
    'sticky-tomcat',
    'all-to-all:sync',
    'primary-secondary:sync',
  ],
  cluster: { appNodes: 3 },
  workload: { browserUsers: 2, httpUsers: 20, thinkMs: 250 },
  profiles: { quick: { durationS: 5 }, full: { durationS: 5 } },
  faults: [],
  expectations: {},
});
