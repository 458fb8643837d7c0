/**
 * The store-outage experiment: every app node cut off from Redis for 10 s; errors while it lasts,
 * sessions intact and how fast users recover after.
 */
import { defineExperiment } from '../src/experiment/definition.ts';

/**
 * The shared store's weak spot: cut every app node off from Redis for 10 s. Any node can serve any user,
 * so every user is affected while the store is gone, but sessions survive in Redis: once the link is back,
 * users carry on where they were. Measures how fast the app recovers after the heal.
 */
export default defineExperiment({
  name: 'store-outage',
  description: 'Cut every app node off from the session store for 10 s (proxies disabled), then reconnect.',
  strategies: ['redis'],
  cluster: { appNodes: 3 },
  workload: { browserUsers: 4, httpUsers: 24, thinkMs: 250 },
  profiles: {
    quick: { durationS: 30 },
    full: { durationS: 90, browserUsers: 8, httpUsers: 48 },
  },
  faults: [{ kind: 'store-down', target: 'store:any', at: '33%', duration: 10 }],
  expectations: {
    redis: [
      { metric: 'errors', atLeast: 1 },
      { check: 'anomalies-only-during-faults', graceS: 1 },
      { metric: 'recoveryS', atMost: 2 },
      { metric: 'logouts', equals: 0 },
      { metric: 'lostWrites', equals: 0 },
    ],
  },
});
