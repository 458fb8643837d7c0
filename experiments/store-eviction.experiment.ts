/**
 * The store-eviction experiment: Memcached too small for every session evicts some, logging users out
 * without a single error; no fault.
 */
import { defineExperiment } from '../src/experiment/definition.ts';

/**
 * Memcached is a cache: when its memory is full it evicts the least recently used items, and a session is
 * just an item. With 1 MB of memory and 40 users whose sessions carry 32 kB each (1.3 MB in all), there is
 * never room for every session: users are logged out again and again, without a single error — nothing
 * tells the app or the user that the session was thrown away.
 */
export default defineExperiment({
  name: 'store-eviction',
  description:
    'Memcached with 1 MB for 40 users whose sessions carry 32 kB each: evictions, no fault at all.',
  strategies: ['memcached'],
  cluster: { appNodes: 3, storeMemoryMb: 1, sessionPaddingKb: 32 },
  workload: { browserUsers: 0, httpUsers: 40, thinkMs: 400 },
  profiles: {
    quick: { durationS: 30 },
    full: { durationS: 90, browserUsers: 4, httpUsers: 60 },
  },
  faults: [],
  expectations: {
    memcached: [
      { metric: 'logouts', atLeast: 1 },
      { metric: 'errors', equals: 0 },
    ],
  },
});
