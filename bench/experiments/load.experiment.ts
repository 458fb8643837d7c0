/** The load bench's experiment: HTTP users without think time against the redis strategy. */
import { defineExperiment } from '../../src/experiment/definition.ts';

/** For bench/load.bench.ts: as many HTTP ops as 64 users without a pause get through redis in 10 s. */
export default defineExperiment({
  name: 'load',
  description: '64 HTTP users without think time against redis for 10 s: recorded ops per second.',
  strategies: ['redis'],
  cluster: { appNodes: 3 },
  workload: { browserUsers: 0, httpUsers: 64, thinkMs: 0 },
  profiles: { quick: { durationS: 10 }, full: { durationS: 10 } },
  faults: [],
  expectations: { redis: [{ metric: 'errors', equals: 0 }] },
});
