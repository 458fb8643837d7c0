/**
 * The failover experiment: Sentinel promotes the Redis replica when the primary dies; how long users see
 * errors, and which acknowledged writes the failover loses.
 */
import { defineExperiment } from '../src/experiment/definition.ts';

/**
 * The Redis primary dies; the three Sentinels (quorum 2) promote the replica, and every app node follows
 * them to the new primary. Measures how long users see failures (first failure to the last one), and counts
 * the acknowledged writes the failover lost: replication to the replica is asynchronous, so a write
 * acknowledged just before the kill may never have reached it. The old primary comes back as a replica.
 */
export default defineExperiment({
  name: 'failover',
  description:
    'Kill the Redis primary a third of the way in; Sentinel promotes the replica; restart the old one.',
  strategies: ['redis-replicated'],
  cluster: { appNodes: 3 },
  workload: { browserUsers: 2, httpUsers: 20, thinkMs: 250 },
  profiles: {
    quick: { durationS: 30 },
    full: { durationS: 90, browserUsers: 6, httpUsers: 40 },
  },
  faults: [{ kind: 'failover', target: 'store:primary', at: '33%', duration: '33%' }],
  expectations: {
    'redis-replicated': [
      { metric: 'errors', atLeast: 1 },
      { metric: 'outageS', atMost: 10 },
      { check: 'anomalies-only-during-faults', graceS: 2, kinds: ['error'] },
    ],
  },
});
