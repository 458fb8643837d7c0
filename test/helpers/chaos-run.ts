/** Test helper: runs experiments through the real CLI and reads back the run's summary. */
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { RunSummary } from '../../src/model/run.ts';
import { runCli } from './cli.ts';
import { scratchDir } from './scratch.ts';

export interface ChaosRun {
  code: number | null;
  stdout: string;
  runDir: string;
  summary: RunSummary;
}

/**
 * Runs experiments through the CLI (quick profile, a fixed seed) and reads back the run's summary; `more`
 * adds flags such as `--strategy`.
 */
export async function runExperiments(
  experiments: string[],
  seed: number,
  more: string[] = [],
): Promise<ChaosRun> {
  const out = scratchDir('chaos');
  const chosen = experiments.flatMap((e) => ['--experiment', e]);
  const result = await runCli(['run', ...chosen, ...more, '--out', out, '--seed', String(seed)]);
  if (result.code !== 0) process.stderr.write(result.stderr.slice(-3000) + result.stdout);
  const runDir = realpathSync(join(out, 'latest'));
  const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary;
  return { code: result.code, stdout: result.stdout, runDir, summary };
}
