/**
 * The cluster-size experiment: replication traffic per write and memory per node, all-to-all against
 * primary-secondary, as a Tomcat cluster grows from 2 to 8 nodes, with no fault.
 */
import { defineExperiment } from '../src/experiment/definition.ts';

/**
 * What session replication costs as a cluster grows: DeltaManager sends every change to every other node,
 * BackupManager to one backup. Measured without faults at several sizes: replication traffic per write and
 * memory per node. BackupManager's replication goes around the link proxies: its traffic is counted only
 * with --netns, by the kernel (which then counts every link, IP packets with their headers).
 */
export default defineExperiment({
  name: 'cluster-size',
  description:
    'All-to-all vs primary-secondary replication at 2, 4, 6 and 8 nodes: traffic per write, memory per node.',
  strategies: ['all-to-all:sync', 'primary-secondary:sync'],
  cluster: { appNodes: [2, 4, 6, 8] },
  workload: { browserUsers: 0, httpUsers: 24, thinkMs: 150 },
  profiles: {
    quick: { durationS: 20, appNodes: [2, 4] },
    full: { durationS: 60 },
  },
  faults: [],
  expectations: {
    'all-to-all:sync': [
      { metric: 'logouts', equals: 0 },
      { metric: 'staleReads', equals: 0 },
    ],
    'primary-secondary:sync': [
      { metric: 'logouts', equals: 0 },
      { metric: 'staleReads', equals: 0 },
    ],
  },
});
