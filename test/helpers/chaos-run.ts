import { mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunSummary } from '../../src/model/run.ts';
import { runCli } from './cli.ts';

export interface ChaosRun {
  code: number | null;
  runDir: string;
  summary: RunSummary;
}

/** Runs experiments through the CLI (quick profile, a fixed seed) and reads back the run's summary. */
export async function runExperiments(experiments: string[], seed: number): Promise<ChaosRun> {
  const out = mkdtempSync(join(tmpdir(), 'sc-chaos-'));
  const args = [
    'run',
    ...experiments.flatMap((e) => ['--experiment', e]),
    '--out',
    out,
    '--seed',
    String(seed),
  ];
  const result = await runCli(args);
  if (result.code !== 0) process.stderr.write(result.stderr.slice(-3000) + result.stdout);
  const runDir = realpathSync(join(out, 'latest'));
  const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary;
  return { code: result.code, runDir, summary };
}
