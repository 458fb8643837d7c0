/** Bench: what a case costs beyond its workload (start, users, heal, final reads, stop, check). */
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFaultLedger } from '../src/faults/ledger.ts';
import type { CasePhase } from '../src/model/case.ts';
import { CASE_FILES, type RunSummary } from '../src/model/run.ts';
import { checkHistoryFile } from '../src/run/check-history.ts';
import { readCaseRecords } from '../src/run/run-folder.ts';
import { runBenchExperiment } from './run-experiment.ts';

/**
 * What a case costs beyond its workload, phase by phase, for every strategy (the quick workload: 2 browser
 * and 20 HTTP users, 5 s, no fault), from each case's timing in a real run, and its check timed here on the
 * path the runner takes (the CLI's own start, once per run, is not a case's). Targets: ≤ 5 s for the Node-app
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
    const checkS = await checkTimes(runDir);
    const head = [
      'strategy'.padEnd(24),
      ...OVERHEAD.map((p) => p.padStart(11)),
      'check'.padStart(7),
      'overhead s',
      'target'.padEnd(16),
      'lag p99 ms (runner / http users)',
    ];
    process.stdout.write(`${head.join(' ')}\n`);
    for (const r of summary.results) {
      const phases = r.timing?.phasesS ?? {};
      const check = checkS.get(r.strategy) ?? 0;
      const overhead = OVERHEAD.reduce((sum, p) => sum + (phases[p] ?? 0), check);
      const target = TOMCAT.test(r.strategy) ? 15 : 5;
      const cells = [
        r.strategy.padEnd(24),
        ...OVERHEAD.map((p) => (phases[p] ?? 0).toFixed(1).padStart(11)),
        check.toFixed(1).padStart(7),
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

/** Seconds each case's check takes (history, ledger, tally, verdicts), by strategy. */
async function checkTimes(runDir: string): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  for (const record of readCaseRecords(runDir)) {
    const dir = join(runDir, record.dir);
    const started = performance.now();
    const faults = readFaultLedger(join(dir, CASE_FILES.faults));
    await checkHistoryFile(record, join(dir, CASE_FILES.history), faults);
    times.set(record.strategy, (performance.now() - started) / 1000);
  }
  return times;
}
