import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime } from '../src/runtime/runtimes.ts';
import { STRATEGY_TABLE, strategyNamed } from '../src/strategies/strategies.ts';
import { buildTopology } from '../src/topology/topology.ts';

/**
 * How long a 3-node cluster of each strategy takes to start on the local runtime (until every service is
 * ready: Tomcat nodes joined their cluster), and to stop. Median of RUNS starts. Target for the Tomcat
 * strategies: ≤ 15 s.
 */
const RUNS = 3;
const TOMCAT_TARGET_S = 15;

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export async function run(): Promise<void> {
  process.stdout.write(`load average ${loadavg()[0]?.toFixed(2)}; 3 app nodes; median of ${RUNS}\n`);
  process.stdout.write('strategy                 start s   stop s\n');
  const runtime = createRuntime('local');
  await runtime.prepare();
  for (const { name } of STRATEGY_TABLE) {
    const strategy = strategyNamed(name);
    if (!strategy) continue;
    const starts: number[] = [];
    const stops: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const dir = mkdtempSync(join(tmpdir(), 'sc-bench-start-'));
      let t = performance.now();
      const cluster = await runtime.start(buildTopology(strategy, { appNodes: 3 }), { dir });
      starts.push((performance.now() - t) / 1000);
      t = performance.now();
      await cluster.stop();
      stops.push((performance.now() - t) / 1000);
      rmSync(dir, { recursive: true, force: true });
    }
    const start = median(starts);
    const target =
      strategy.app === 'tomcat'
        ? ` (target ≤ ${TOMCAT_TARGET_S}: ${start <= TOMCAT_TARGET_S ? 'met' : 'NOT met'})`
        : '';
    process.stdout.write(
      `${name.padEnd(24)} ${start.toFixed(1).padStart(7)}  ${median(stops).toFixed(1).padStart(7)}${target}\n`,
    );
  }
}
