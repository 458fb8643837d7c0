import { defineExperiment } from '../src/experiment/definition.ts';

/**
 * The original scale-out question: an app server dies under logged-in users. Without shared sessions every
 * other request lands on a node that never saw the session; sticky sessions survive until the pinned node
 * dies; a shared store survives any node.
 */
export default defineExperiment({
  name: 'node-crash',
  description: 'SIGKILL the app node with the most users a third of the way in; restart it later.',
  strategies: ['none', 'sticky', 'redis'],
  cluster: { appNodes: 3 },
  workload: { browserUsers: 6, httpUsers: 30, thinkMs: 250 },
  profiles: {
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
  },
});
