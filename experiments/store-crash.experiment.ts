/**
 * The store-crash experiment: the session store is killed and restarted on its data; which stores come
 * back with the sessions and which log every user out.
 */
import { defineExperiment } from '../src/experiment/definition.ts';

/**
 * The session store itself dies (SIGKILL) and is started again on the same data folder. A store that keeps
 * sessions only in memory (Redis without persistence, Memcached) comes back empty: every logged-in user is
 * logged out once. Redis with an append-only file and MariaDB come back with the sessions. Requests fail
 * only while the store is down.
 */
export default defineExperiment({
  name: 'store-crash',
  description: 'SIGKILL the session store a third of the way in; start it again on its data 5 s later.',
  strategies: ['redis', 'redis-aof', 'memcached', 'mysql'],
  cluster: { appNodes: 3 },
  workload: { browserUsers: 2, httpUsers: 20, thinkMs: 250 },
  profiles: {
    quick: { durationS: 30 },
    full: { durationS: 90, browserUsers: 6, httpUsers: 40 },
  },
  faults: [{ kind: 'kill-store', target: 'store:any', at: '33%', duration: 5 }],
  expectations: {
    redis: [
      { metric: 'loggedOutShare', equals: 1 },
      { check: 'anomalies-only-during-faults', graceS: 2, kinds: ['error'] },
    ],
    memcached: [
      { metric: 'loggedOutShare', equals: 1 },
      { check: 'anomalies-only-during-faults', graceS: 2, kinds: ['error'] },
    ],
    'redis-aof': [
      { metric: 'logouts', equals: 0 },
      { metric: 'lostWrites', atMost: 20 },
      { check: 'anomalies-only-during-faults', graceS: 2, kinds: ['error'] },
    ],
    mysql: [
      { metric: 'logouts', equals: 0 },
      { metric: 'lostWrites', equals: 0 },
      { check: 'anomalies-only-during-faults', graceS: 2, kinds: ['error'] },
    ],
  },
});
