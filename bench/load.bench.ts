/** Bench: the ops per second HTTP users get through a cluster, with the reference app and a minimal one. */
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunSummary } from '../src/model/run.ts';
import { runBenchExperiment } from './run-experiment.ts';

/**
 * How much load the HTTP users can put on a cluster: 64 users without think time against redis (3 nodes)
 * for 10 s, recorded ops per second from the run's summary. Target: ≥ 3,000 ops/s. The same with a minimal
 * app in place of the reference app shows the ceiling of everything around the app on this machine.
 */
const TARGET_OPS_PER_S = 3000;

const EXPERIMENTS = [
  { name: 'load', what: 'reference app (Express)' },
  { name: 'load-minimal-app', what: 'minimal app (node:http)' },
];

async function measure(name: string, what: string): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'sc-bench-load-'));
  try {
    await runBenchExperiment(name, out);
    const summary = JSON.parse(
      readFileSync(join(realpathSync(join(out, 'latest')), 'summary.json'), 'utf8'),
    ) as RunSummary;
    for (const r of summary.results) {
      const rate = r.ops / r.durationS;
      process.stdout.write(
        `${what}: ${r.ops} ops in ${r.durationS} s: ${Math.round(rate)} ops/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, errors ${r.errors}; HTTP users' event-loop lag p99 ${r.timing?.eventLoopLagMs['http-users']?.p99 ?? '–'} ms (target ≥ ${TARGET_OPS_PER_S} ops/s: ${rate >= TARGET_OPS_PER_S ? 'met' : 'NOT met'})\n`,
      );
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  process.stdout.write(`load average ${loadavg()[0]?.toFixed(2)}; redis, 3 nodes, 64 HTTP users, no pause\n`);
  for (const { name, what } of EXPERIMENTS) await measure(name, what);
}
