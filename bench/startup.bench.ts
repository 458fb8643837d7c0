/** Bench: how long each strategy's cluster takes to start and stop, on each runtime that can run here. */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { findEngine } from '../src/runtime/docker/engine.ts';
import type { Runtime } from '../src/runtime/runtime.ts';
import { createRuntime } from '../src/runtime/runtimes.ts';
import { STRATEGY_TABLE, type Strategy } from '../src/strategies/strategies.ts';
import { buildTopology } from '../src/topology/topology.ts';

/**
 * How long a 3-node cluster of each strategy takes to start (until every service is ready: Tomcat nodes
 * joined their cluster) and to stop, on the local runtime, with --netns as root (its namespaces and packet
 * filter rules are part of the start), and, when an engine answers, on containers (images already built).
 * Median of RUNS starts. Target for the Tomcat strategies: ≤ 15 s.
 */
const RUNS = 3;
const TOMCAT_TARGET_S = 15;

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function startStop(runtime: Runtime, strategy: Strategy): Promise<{ start: number; stop: number }> {
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
  return { start: median(starts), stop: median(stops) };
}

const seconds = (figure: { start: number; stop: number } | null): string =>
  figure
    ? `${figure.start.toFixed(1).padStart(7)}  ${figure.stop.toFixed(1).padStart(7)}`
    : '      -        -';

export async function run(): Promise<void> {
  const engine = await findEngine();
  const docker = 'missing' in engine ? null : createRuntime('docker');
  process.stdout.write(`load average ${loadavg()[0]?.toFixed(2)}; 3 app nodes; median of ${RUNS}\n`);
  process.stdout.write(
    `containers: ${'missing' in engine ? `skipped, ${engine.missing}` : engine.product}\n`,
  );
  const netns = process.getuid?.() === 0 ? createRuntime('local', { netns: true }) : null;
  if (!netns) process.stdout.write('--netns: skipped, it needs root\n');
  process.stdout.write(
    'strategy                 local start   stop   netns start   stop   docker start   stop\n',
  );
  const local = createRuntime('local');
  await local.prepare();
  await docker?.prepare();
  for (const strategy of STRATEGY_TABLE) {
    const here = await startStop(local, strategy);
    const inNamespaces = netns ? await startStop(netns, strategy) : null;
    const contained = docker ? await startStop(docker, strategy) : null;
    const slowest = Math.max(here.start, inNamespaces?.start ?? 0, contained?.start ?? 0);
    const target =
      strategy.app === 'tomcat'
        ? ` (target ≤ ${TOMCAT_TARGET_S}: ${slowest <= TOMCAT_TARGET_S ? 'met' : 'NOT met'})`
        : '';
    const row = `${seconds(here)}    ${seconds(inNamespaces)}     ${seconds(contained)}`;
    process.stdout.write(`${strategy.name.padEnd(24)} ${row}${target}\n`);
  }
}
