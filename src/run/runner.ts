import { join } from 'node:path';
import type { Experiment } from '../experiment/experiment.ts';
import { RUN_FILES, type RunInfo } from '../model/run.ts';
import { InfrastructureError, type Runtime } from '../runtime/runtime.ts';
import { selectStrategies, strategyNamed } from '../strategies/strategies.ts';
import { checkRun, type RunReport } from './check-run.ts';
import type { Progress } from './progress.ts';
import { type PlannedCase, plannedCaseInfo, runCase } from './run-case.ts';
import { writeJson } from './run-folder.ts';

export interface RunOptions {
  experiments: Experiment[];
  /** Only these strategies (of those each experiment lists, see selectStrategies); all when absent. */
  strategies?: string[];
  runtime: Runtime;
  repeat: number;
  seed: number;
  /** The run's own folder, already created (see createRunDir). */
  runDir: string;
  command: string;
  progress: Progress;
  signal: AbortSignal;
}

export interface RunOutcome extends RunReport {
  runDir: string;
  /** Causes of cases whose infrastructure did not start (exit code 3). */
  infrastructureErrors: string[];
  /** Unexpected errors (bugs) that stopped a case; the case is unknown and the run goes on. */
  internalErrors: string[];
  interrupted: boolean;
}

function plan(options: RunOptions): PlannedCase[] {
  return options.experiments.flatMap((experiment) =>
    selectStrategies(experiment.strategies, options.strategies).flatMap((name) => {
      const strategy = strategyNamed(name);
      if (!strategy) throw new Error(`${experiment.source}: unknown strategy ${name}`);
      return experiment.appNodes.flatMap((appNodes) =>
        Array.from({ length: options.repeat }, (_, repeat) => ({ experiment, strategy, appNodes, repeat })),
      );
    }),
  );
}

/** Runs every experiment × strategy × cluster size × repeat in turn, then checks the saved histories and writes the reports. */
export async function runExperiments(options: RunOptions): Promise<RunOutcome> {
  const cases = plan(options);
  const info: RunInfo = {
    schema: 1,
    runtime: options.runtime.name,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    seed: options.seed,
    profile: options.experiments[0]?.profile ?? 'quick',
    command: options.command,
    planned: cases.map(plannedCaseInfo),
  };
  writeJson(join(options.runDir, RUN_FILES.info), info);
  const infrastructureErrors: string[] = [];
  const internalErrors: string[] = [];
  for (const planned of cases) {
    if (options.signal.aborted) break;
    const { runDir, runtime, signal, progress } = options;
    const seed = options.seed + planned.repeat;
    try {
      await runCase(planned, { runDir, runtime, seed, signal, progress });
    } catch (error) {
      const line = `${planned.experiment.name}/${planned.strategy.name}: ${(error as Error).message}`;
      if (error instanceof InfrastructureError) infrastructureErrors.push(line);
      else internalErrors.push(`${line}\n${(error as Error).stack ?? ''}`);
    }
  }
  const interrupted = options.signal.aborted;
  writeJson(join(options.runDir, RUN_FILES.info), {
    ...info,
    finishedAt: new Date().toISOString(),
    ...(interrupted ? { interrupted } : {}),
  });
  const report = await checkRun(options.runDir);
  return {
    ...report,
    runDir: options.runDir,
    infrastructureErrors,
    internalErrors,
    interrupted,
  };
}
