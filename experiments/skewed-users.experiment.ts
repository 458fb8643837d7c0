/**
 * The skewed-users experiment: a few very active users load the nodes unevenly under sticky sessions,
 * evenly under round-robin over a shared store; no fault.
 */
import { defineExperiment } from '../src/experiment/definition.ts';

/**
 * Sticky sessions pin each user to the node it logged in on, so a few users who act far more often than the
 * rest load their nodes unevenly; round-robin over a shared store spreads every request. No fault: the
 * same skewed users (a fifth of them act ten times as often) under each, and the busiest node's share
 * compared (`imbalance`: busiest node's requests / the mean).
 */
export default defineExperiment({
  name: 'skewed-users',
  description: 'A fifth of the users act ten times as often as the rest: sticky sessions vs round-robin.',
  strategies: ['sticky', 'redis'],
  cluster: { appNodes: 3 },
  workload: { browserUsers: 0, httpUsers: 10, thinkMs: 400, heavyUsers: { share: 0.2, times: 10 } },
  profiles: {
    quick: { durationS: 15 },
    full: { durationS: 60, httpUsers: 30 },
  },
  faults: [],
  expectations: {
    sticky: [
      { metric: 'imbalance', atLeast: 1.15 },
      { metric: 'logouts', equals: 0 },
    ],
    redis: [
      { metric: 'imbalance', atMost: 1.1 },
      { metric: 'logouts', equals: 0 },
    ],
  },
});
