/**
 * The replication-lag experiment: slow replication links between Tomcat nodes, asynchronous against
 * synchronous replication; stale reads against slower writes.
 */
import { defineExperiment } from '../src/experiment/definition.ts';

/**
 * What asynchronous session replication costs users: 300 ms on every replication link between Tomcat
 * nodes, while HAProxy spreads each user's requests over the nodes. DeltaManager's links are slowed in
 * their proxies; BackupManager's, which no proxy sits in, by the kernel: it runs only with --netns. Asynchronous replication answers first
 * and replicates after, so a user's next request, on another node, often arrives before the write does:
 * stale reads (and logouts right after a login). Synchronous replication waits for the peers, so nobody
 * reads stale data, but every write takes the added 300 ms longer.
 */
export default defineExperiment({
  name: 'replication-lag',
  description:
    'Add 300 ms to every replication link between Tomcat nodes; async vs sync replication (BackupManager with --netns).',
  strategies: ['all-to-all:async', 'all-to-all:sync', 'primary-secondary:async', 'primary-secondary:sync'],
  cluster: { appNodes: 3 },
  workload: { browserUsers: 2, httpUsers: 20, thinkMs: 200 },
  profiles: {
    quick: { durationS: 30 },
    full: { durationS: 90, browserUsers: 6, httpUsers: 40 },
  },
  faults: [
    { kind: 'replication-latency', target: 'replication:all', at: '20%', duration: '60%', latencyMs: 300 },
  ],
  expectations: {
    'all-to-all:async': [{ metric: 'staleReads', atLeast: 1 }],
    'all-to-all:sync': [
      { metric: 'staleReads', equals: 0 },
      { metric: 'lostWrites', equals: 0 },
      { metric: 'p50RiseMs', atLeast: 150 },
    ],
    'primary-secondary:async': [{ metric: 'staleReads', atLeast: 1 }],
    'primary-secondary:sync': [
      { metric: 'staleReads', equals: 0 },
      { metric: 'lostWrites', equals: 0 },
      { metric: 'p50RiseMs', atLeast: 150 },
    ],
  },
});
