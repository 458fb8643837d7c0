/** Bench: how late the runner applies scheduled faults, from a real run's fault ledger. */
import { mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFaultLedger } from '../src/faults/ledger.ts';
import { runBenchExperiment } from './run-experiment.ts';

/**
 * How late the runner applies faults: a real run (redis, 22 users) with 60 faults due every half second,
 * and each fault's lateness read from its ledger (applied minus scheduled). Target: p99 ≤ 20 ms.
 */
const TARGET_P99_MS = 20;

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

export async function run(): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'sc-bench-faults-'));
  try {
    process.stdout.write(`load average ${loadavg()[0]?.toFixed(2)}; redis, 3 nodes, 22 users, 60 faults\n`);
    const code = await runBenchExperiment('fault-timing', out);
    const runDir = realpathSync(join(out, 'latest'));
    const [experiment = ''] = readdirSync(runDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    const faults = readFaultLedger(join(runDir, experiment, 'redis', 'faults.jsonl'));
    const late = faults.flatMap((f) => (f.lateMs === undefined ? [] : [f.lateMs])).sort((a, b) => a - b);
    const p99 = percentile(late, 99);
    process.stdout.write(
      `faults applied ${late.length} of 60 (run exit ${code}); late by p50 ${percentile(late, 50)} ms, p99 ${p99} ms, max ${late.at(-1) ?? 0} ms (target p99 ≤ ${TARGET_P99_MS} ms: ${p99 <= TARGET_P99_MS ? 'met' : 'NOT met'})\n`,
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
