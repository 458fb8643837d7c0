import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { StrategyName } from '../experiment/definition.ts';
import type { Experiment } from '../experiment/experiment.ts';
import { type RunInfo, writeJson } from '../report/run-files.ts';
import { type RunReport, writeRunReport } from '../report/write-run.ts';
import { InfrastructureError, type Runtime } from '../runtime/runtime.ts';
import type { Progress } from './progress.ts';
import { runCase } from './run-case.ts';

export interface RunOptions {
  experiments: Experiment[];
  /** Only these strategies (of those each experiment lists); all when absent. */
  strategies?: StrategyName[];
  runtime: Runtime;
  repeat: number;
  seed: number;
  /** The run's own folder. */
  runDir: string;
  command: string;
  progress: Progress;
  signal: AbortSignal;
}

export interface RunOutcome extends RunReport {
  runDir: string;
  /** Causes of cases whose infrastructure did not start (exit code 3). */
  infrastructureErrors: string[];
  interrupted: boolean;
}

/** Runs every experiment × strategy × repeat in turn, then checks the saved histories and writes the reports. */
export async function runExperiments(options: RunOptions): Promise<RunOutcome> {
  mkdirSync(options.runDir, { recursive: true });
  const info: RunInfo = {
    schema: 1,
    runtime: options.runtime.name,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    seed: options.seed,
    profile: options.experiments[0]?.profile ?? 'quick',
    command: options.command,
  };
  writeJson(join(options.runDir, 'run.json'), info);
  const infrastructureErrors: string[] = [];
  const cases = options.experiments.flatMap((experiment) =>
    experiment.strategies
      .filter((s) => !options.strategies || options.strategies.includes(s))
      .flatMap((strategy) =>
        Array.from({ length: options.repeat }, (_, repeat) => ({ experiment, strategy, repeat })),
      ),
  );
  for (const { experiment, strategy, repeat } of cases) {
    if (options.signal.aborted) break;
    const { runDir, runtime, signal, progress } = options;
    try {
      await runCase(experiment, strategy, repeat, {
        runDir,
        runtime,
        seed: options.seed + repeat,
        signal,
        progress,
      });
    } catch (error) {
      if (!(error instanceof InfrastructureError)) throw error;
      infrastructureErrors.push(`${experiment.name}/${strategy}: ${error.message}`);
    }
  }
  writeJson(join(options.runDir, 'run.json'), { ...info, finishedAt: new Date().toISOString() });
  const report = await writeRunReport(options.runDir);
  return { ...report, runDir: options.runDir, infrastructureErrors, interrupted: options.signal.aborted };
}
