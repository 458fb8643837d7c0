/** Running a matrix (or one shard of it): every case in turn, then the checks and the reports. */
import { join } from 'node:path';
import type { Experiment } from '../experiment/experiment.ts';
import { type MatrixInfo, RUN_FILES, type RunInfo, type ShardInfo, type TraceMode } from '../model/run.ts';
import { InfrastructureError, type Runtime } from '../runtime/runtime.ts';
import { selectStrategies, strategyNamed } from '../strategies/strategies.ts';
import { describeApp, replacesServer } from '../topology/topology.ts';
import { expectedCaseS } from './case-deadline.ts';
import { checkRun, type RunReport } from './check-run.ts';
import type { Progress } from './progress.ts';
import { type PlannedCase, plannedCaseInfo, runCase } from './run-case.ts';
import { writeJson } from './run-folder.ts';
import { itemsOfShard } from './shard.ts';

export interface RunOptions {
  experiments: Experiment[];
  /** Only these strategies (of those each experiment lists, see selectStrategies); all when absent. */
  strategies?: string[];
  runtime: Runtime;
  repeat: number;
  seed: number;
  /** Run only this part of the matrix (`--shard i/n`). */
  shard?: ShardInfo;
  /** Compare with this run folder, and show trends from this folder of earlier runs (absolute paths). */
  baseline?: string;
  history?: string;
  /** The run's own folder, already created (see createRunDir). */
  runDir: string;
  /** Which browser users keep a Playwright trace (`--trace`). */
  trace: TraceMode;
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

const expectedS = ({ experiment, strategy, appNodes }: PlannedCase): number =>
  expectedCaseS(
    experiment.workload.durationS,
    appNodes,
    strategy.app === 'tomcat' && !replacesServer(experiment.app),
  );

function matrixOf(options: RunOptions, cases: PlannedCase[]): MatrixInfo {
  const app = options.experiments.find((e) => e.app)?.app;
  return {
    seed: options.seed,
    profile: options.experiments[0]?.profile ?? 'quick',
    runtime: options.runtime.name,
    experiments: options.experiments.map((e) => e.name),
    strategies: options.strategies ?? null,
    repeats: options.repeat,
    // Shards of one matrix must run the same app: its command, image or webapp.
    app: app === undefined ? null : describeApp(app),
    cases: cases.map(plannedCaseInfo),
  };
}

/**
 * Runs every experiment × strategy × cluster size × repeat (of its shard, if it is one) in turn, then checks
 * the saved histories and writes the reports.
 */
export async function runExperiments(options: RunOptions): Promise<RunOutcome> {
  const matrix = plan(options);
  const cases = options.shard ? itemsOfShard(matrix, expectedS, options.shard) : matrix;
  const whole = matrixOf(options, matrix);
  const info: RunInfo = {
    schema: 1,
    runtime: whole.runtime,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    seed: whole.seed,
    profile: whole.profile,
    command: options.command,
    planned: cases.map(plannedCaseInfo),
    matrix: whole,
    ...(options.shard ? { shard: options.shard } : {}),
    ...(options.baseline ? { baseline: options.baseline } : {}),
    ...(options.history ? { history: options.history } : {}),
  };
  writeJson(join(options.runDir, RUN_FILES.info), info);
  const infrastructureErrors: string[] = [];
  const internalErrors: string[] = [];
  for (const planned of cases) {
    if (options.signal.aborted) break;
    const { runDir, runtime, signal, progress, trace } = options;
    const seed = options.seed + planned.repeat;
    try {
      await runCase(planned, { runDir, runtime, seed, signal, progress, trace });
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
  const report = await checkRun(options.runDir, options.trace);
  return {
    ...report,
    runDir: options.runDir,
    infrastructureErrors,
    internalErrors,
    interrupted,
  };
}
