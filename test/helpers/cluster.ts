/** Test helpers: a strategy's cluster started for a test and always stopped after it. */
import type { Cluster } from '../../src/runtime/runtime.ts';
import { createRuntime, type RuntimeName } from '../../src/runtime/runtimes.ts';
import { strategyNamed } from '../../src/strategies/strategies.ts';
import {
  type AppTemplate,
  buildTopology,
  type Topology,
  type TopologyOptions,
} from '../../src/topology/topology.ts';
import { scratchDir } from './scratch.ts';

/** The topology of a strategy named in the strategy table. */
export function topologyOf(
  strategy: string,
  appNodes = 3,
  app?: AppTemplate,
  more: Omit<TopologyOptions, 'appNodes' | 'app'> = {},
): Topology {
  const row = strategyNamed(strategy);
  if (!row) throw new Error(`no strategy ${strategy}`);
  return buildTopology(row, { appNodes, ...(app ? { app } : {}), ...more });
}

/** Starts one strategy's cluster on a runtime (local by default), in a fresh folder. */
export function startCluster(
  strategy: string,
  options: Partial<TopologyOptions> = {},
  runtime: RuntimeName = 'local',
): Promise<Cluster> {
  const { appNodes, app, ...more } = options;
  const topology = topologyOf(strategy, appNodes, app, more);
  return createRuntime(runtime).start(topology, { dir: scratchDir(strategy) });
}

/** Runs a test against a started cluster, and stops it whatever happens. */
export async function withCluster(
  strategy: string,
  test: (cluster: Cluster) => Promise<void>,
  options: Partial<TopologyOptions> = {},
): Promise<void> {
  const cluster = await startCluster(strategy, options);
  try {
    await test(cluster);
  } finally {
    await cluster.stop();
  }
}
