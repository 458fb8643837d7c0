/**
 * The node-crash experiment: an app node dies under logged-in users; which session strategies keep
 * them logged in.
 */
import { defineExperiment } from '../src/experiment/definition.ts';

/**
 * The original scale-out question: an app server dies under logged-in users. Without shared sessions every
 * other request lands on a node that never saw the session; sticky sessions survive until the pinned node
 * dies; a shared store, or sessions replicated between the nodes, survive any one node. Tomcat replicates
 * synchronously here: asynchronous replication logs users out and serves stale carts even without a fault
 * (a login's next request can reach a node the session has not arrived at yet), which the replication-lag
 * experiment measures; here the crash is the only cause.
 */
export default defineExperiment({
  name: 'node-crash',
  description: 'SIGKILL the app node with the most users a third of the way in; restart it later.',
  strategies: ['none', 'sticky', 'redis', 'sticky-tomcat', 'all-to-all:sync', 'primary-secondary:sync'],
  cluster: { appNodes: 3 },
  workload: { browserUsers: 6, httpUsers: 30, thinkMs: 250 },
  profiles: {
    // A one-minute look at none, sticky and redis: `npm run chaos -- --profile smoke`. Its 6 s kill outlasts the
    // 5 s HAProxy takes to mark a killed container DOWN (its address goes silent: two checks wait out 2 s each).
    smoke: { durationS: 18, browserUsers: 1, httpUsers: 10, strategies: ['none', 'sticky', 'redis'] },
    quick: { durationS: 30 },
    full: { durationS: 120, browserUsers: 12, httpUsers: 60 },
  },
  faults: [{ kind: 'kill-node', target: 'app:busiest', at: '33%', duration: '33%' }],
  expectations: {
    none: [{ metric: 'logouts', atLeast: 1 }],
    sticky: [{ metric: 'logouts', atLeast: 1 }, { check: 'logouts-only-among-users-of-faulted-nodes' }],
    redis: [
      { metric: 'logouts', equals: 0 },
      { metric: 'staleReads', equals: 0 },
      { metric: 'lostWrites', equals: 0 },
    ],
    'sticky-tomcat': [
      { metric: 'logouts', atLeast: 1 },
      { check: 'logouts-only-among-users-of-faulted-nodes' },
    ],
    'all-to-all:sync': [{ metric: 'logouts', equals: 0 }],
    // BackupManager: a request in the seconds before the peers notice the dead member can find no session.
    'primary-secondary:sync': [{ metric: 'loggedOutShare', atMost: 0.1 }],
  },
});
