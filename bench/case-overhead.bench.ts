import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CasePhase } from '../src/model/case.ts';
import type { RunSummary } from '../src/model/run.ts';
import { runBenchExperiment } from './run-experiment.ts';

/**
 * What a case costs beyond its workload, phase by phase, for every strategy (the quick workload: 2 browser
 * and 20 HTTP users, 5 s, no fault), from each case's timing in a real run. Targets: ≤ 5 s for the Node-app
 * strategies, ≤ 15 s for the Tomcat ones; the figure measured before (node-crash/redis) was ≈ 12 s.
 */
const OVERHEAD: CasePhase[] = ['start', 'open-users', 'heal', 'final-reads', 'stop'];
const TOMCAT = /tomcat|all-to-all|primary-secondary/;

export async function run(): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'sc-bench-overhead-'));
  try {
    process.stdout.write(
      `load average ${loadavg()[0]?.toFixed(2)}; 3 nodes, 2 browser + 20 HTTP users, 5 s\n`,
    );
    await runBenchExperiment('case-overhead', out);
    const runDir = realpathSync(join(out, 'latest'));
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary;
    const head = [
      'strategy'.padEnd(24),
      ...OVERHEAD.map((p) => p.padStart(11)),
      'overhead s',
      'target'.padEnd(16),
      'lag p99 ms (runner / http users)',
    ];
    process.stdout.write(`${head.join(' ')}\n`);
    for (const r of summary.results) {
      const phases = r.timing?.phasesS ?? {};
      const overhead = OVERHEAD.reduce((sum, p) => sum + (phases[p] ?? 0), 0);
      const target = TOMCAT.test(r.strategy) ? 15 : 5;
      const cells = [
        r.strategy.padEnd(24),
        ...OVERHEAD.map((p) => (phases[p] ?? 0).toFixed(1).padStart(11)),
        overhead.toFixed(1).padStart(10),
        `${overhead <= target ? 'met' : 'NOT met'} (≤ ${target})`.padEnd(16),
        `${r.timing?.eventLoopLagMs.runner?.p99 ?? '–'} / ${r.timing?.eventLoopLagMs['http-users']?.p99 ?? '–'}`,
      ];
      process.stdout.write(`${cells.join(' ')}\n`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
