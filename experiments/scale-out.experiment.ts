/**
 * The scale-out experiment: a node joins a running cluster; how much of the load it takes with sticky
 * sessions and with a shared store.
 */
import { defineExperiment } from '../src/experiment/definition.ts';

/**
 * A fourth node joins a running cluster a third of the way in, while users keep arriving. With sticky
 * sessions the new node gets only users who arrive after it joined — everyone else stays pinned where they
 * were — so it carries a small share of the load. With sessions in Redis, HAProxy spreads every request
 * over all four nodes at once: the new node carries about a quarter. Nobody is logged out either way.
 */
export default defineExperiment({
  name: 'scale-out',
  description: 'Add a fourth app node at 33 % while users keep arriving; sticky vs a shared store.',
  strategies: ['sticky', 'redis'],
  cluster: { appNodes: 3 },
  workload: { browserUsers: 2, httpUsers: 20, thinkMs: 250, arrivalOver: '80%' },
  profiles: {
    quick: { durationS: 30 },
    full: { durationS: 90, browserUsers: 6, httpUsers: 40 },
  },
  faults: [{ kind: 'scale-out', target: 'app:new', at: '33%', duration: '67%' }],
  expectations: {
    sticky: [
      { metric: 'addedNodeShare', atMost: 0.18 },
      { metric: 'logouts', equals: 0 },
    ],
    redis: [
      { metric: 'addedNodeShare', atLeast: 0.2 },
      { metric: 'logouts', equals: 0 },
    ],
  },
});
