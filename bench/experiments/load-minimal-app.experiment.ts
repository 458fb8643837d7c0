/** The load bench's control: the same load on a minimal contract app, to measure everything but the app. */
import { defineExperiment } from '../../src/experiment/definition.ts';

/**
 * For bench/load.bench.ts: the load experiment with the reference app replaced by the smallest app that speaks
 * the contract (test/fixtures/contract-app: plain node:http, carts in Redis). What the rest of the path (users,
 * HAProxy, link proxies, Redis) sustains on this machine when the app costs next to nothing.
 */
export default defineExperiment({
  name: 'load-minimal-app',
  description: 'The load experiment with a minimal node:http app: the ceiling of the path around the app.',
  strategies: ['redis'],
  app: {
    command: 'node --import tsx test/fixtures/contract-app/server.ts --node {nodeId} --port {port}',
  },
  cluster: { appNodes: 3 },
  workload: { browserUsers: 0, httpUsers: 64, thinkMs: 0 },
  profiles: { quick: { durationS: 10 }, full: { durationS: 10 } },
  faults: [],
  expectations: { redis: [{ metric: 'errors', equals: 0 }] },
});
