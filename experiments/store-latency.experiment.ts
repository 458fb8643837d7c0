/**
 * The store-latency experiment: a slow link between the app nodes and Redis, and what every session
 * request pays for it.
 */
import { defineExperiment } from '../src/experiment/definition.ts';

/**
 * What a shared store costs when its network is slow: 200 ms added to every round trip between the app
 * nodes and Redis. Every request that touches the session waits for it. (Strategies without a store are
 * not run: the fault would have nothing to hit, and a case whose fault never acted proves nothing.)
 */
export default defineExperiment({
  name: 'store-latency',
  description: 'Add 200 ms to every app → store round trip for a third of the run.',
  strategies: ['redis'],
  cluster: { appNodes: 3 },
  workload: { browserUsers: 4, httpUsers: 24, thinkMs: 250 },
  profiles: {
    quick: { durationS: 30 },
    full: { durationS: 90, browserUsers: 8, httpUsers: 48 },
  },
  faults: [{ kind: 'store-latency', target: 'store:any', at: '33%', duration: '33%', latencyMs: 200 }],
  expectations: {
    redis: [
      { metric: 'p50RiseMs', atLeast: 200 },
      { metric: 'logouts', equals: 0 },
      { metric: 'staleReads', equals: 0 },
      { metric: 'lostWrites', equals: 0 },
    ],
  },
});
