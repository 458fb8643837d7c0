/** The `run` command: the chosen experiments × strategies run, their run folder and reports written. */
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { PROFILES } from '../experiment/definition.ts';
import type { Experiment } from '../experiment/experiment.ts';
import { experimentsToRun } from '../experiment/matrix.ts';
import { runPassed, type ShardInfo, TRACE_MODES } from '../model/run.ts';
import { summaryTable } from '../report/terminal.ts';
import { KEEP_RUNS, pruneRuns } from '../run/prune-runs.ts';
import { createRunDir } from '../run/run-folder.ts';
import { runExperiments } from '../run/runner.ts';
import { parseShard } from '../run/shard.ts';
import { STRATEGY_NAMES, selectStrategies, strategyNamed } from '../strategies/strategies.ts';
import { APP_OPTIONS, withUserApp } from './app-option.ts';
import { commaList, oneOf, parse, positiveInteger, UsageError } from './args.ts';
import { baselineOf, historyOf, reportComparison } from './baseline.ts';
import { EXIT } from './exit-codes.ts';
import { withInterrupt } from './interrupt.ts';
import { RUNTIME_OPTIONS, runtimeOf, withinReach } from './runtime-option.ts';
import { TerminalProgress } from './terminal-progress.ts';

const RUN_OPTIONS = {
  experiment: { type: 'string', multiple: true },
  strategy: { type: 'string', multiple: true },
  profile: { type: 'string' },
  ...RUNTIME_OPTIONS,
  ...APP_OPTIONS,
  repeat: { type: 'string' },
  seed: { type: 'string' },
  shard: { type: 'string' },
  baseline: { type: 'string' },
  history: { type: 'string' },
  'report-only': { type: 'boolean' },
  trace: { type: 'string' },
  'keep-runs': { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
} as const;

function shardOf(value: string | undefined): ShardInfo | undefined {
  if (value === undefined) return undefined;
  const shard = parseShard(value);
  if (!shard)
    throw new UsageError(
      `--shard ${JSON.stringify(value)}: give INDEX/COUNT with 1 ≤ INDEX ≤ COUNT, e.g. --shard 2/4; every shard of a matrix needs the same --seed`,
    );
  return shard;
}

function strategiesOf(values: string[], experiments: Experiment[]): string[] | undefined {
  if (values.length === 0) return undefined;
  for (const value of values) {
    if (!strategyNamed(value))
      throw new UsageError(
        `--strategy ${JSON.stringify(value)}: use one of ${STRATEGY_NAMES.join(', ')} (a replicating one may add :sync or :async)`,
      );
    if (!experiments.some((e) => selectStrategies(e.strategies, [value]).length > 0))
      throw new UsageError(
        `--strategy ${value}: none of the chosen experiments runs it; they run ${[...new Set(experiments.flatMap((e) => e.strategies))].join(', ')}`,
      );
  }
  return values;
}

export async function runCommand(argv: string[]): Promise<number> {
  const { values } = parse('run', argv, RUN_OPTIONS);
  const profile = oneOf('--profile', values.profile, PROFILES, 'quick');
  const { name: runtimeName, runtime } = runtimeOf(values);
  const loaded = await experimentsToRun(commaList(values.experiment), profile);
  const strategies = strategiesOf(commaList(values.strategy), loaded);
  const withApp = await withUserApp(loaded, values, runtimeName, strategies);
  const experiments = withinReach(withApp, runtime, strategies);
  const repeat = positiveInteger('--repeat', values.repeat, 1);
  const trace = oneOf('--trace', values.trace, TRACE_MODES, 'anomalies');
  const keepRuns = positiveInteger('--keep-runs', values['keep-runs'], KEEP_RUNS);
  const shard = shardOf(values.shard);
  if (shard && values.seed === undefined)
    throw new UsageError('--shard: give every shard of a matrix the same --seed, e.g. --seed 42 --shard 1/3');
  const seed = positiveInteger('--seed', values.seed, Math.floor(Math.random() * 1e6), 0);
  const baseline = baselineOf(values.baseline);
  const history = historyOf(values.history);
  const out = resolve(values.out ?? 'reports');
  await runtime.prepare();
  const runDir = createRunDir(out);
  const progress = new TerminalProgress();
  const outcome = await withInterrupt((signal) =>
    runExperiments({
      experiments,
      strategies,
      runtime,
      repeat,
      seed,
      ...(shard ? { shard } : {}),
      ...(baseline ? { baseline } : {}),
      ...(history ? { history } : {}),
      runDir,
      trace,
      command: `session-chaos run ${argv.join(' ')}`,
      progress,
      signal,
    }),
  );
  linkLatest(out, runDir);
  const { pruned, freedBytes } = pruneRuns(out, keepRuns);
  if (pruned.length > 0)
    process.stderr.write(
      `pruned the cases of ${pruned.length} older run folder(s) of ${out} (${(freedBytes / 1e6).toFixed(1)} MB; their summaries and reports remain; --keep-runs ${keepRuns})\n`,
    );
  if (values.json) process.stdout.write(`${JSON.stringify(outcome.summary, null, 2)}\n`);
  else {
    process.stdout.write(`\n${summaryTable(outcome.summary)}\n\n`);
    for (const error of outcome.infrastructureErrors) process.stdout.write(`infrastructure: ${error}\n`);
    for (const error of outcome.internalErrors) process.stderr.write(`internal error: ${error}\n`);
    process.stdout.write(`report: ${relative(process.cwd(), outcome.files.html) || outcome.files.html}\n`);
  }
  const worse = outcome.summary.sinceBaseline
    ? reportComparison(outcome.summary.sinceBaseline, values.json ? process.stderr : process.stdout)
    : false;
  if (outcome.interrupted) return EXIT.interrupted;
  if (outcome.internalErrors.length > 0) return EXIT.internal;
  if (outcome.infrastructureErrors.length > 0) return EXIT.infrastructure;
  if (!runPassed(outcome.summary)) return EXIT.failed;
  return worse && !values['report-only'] ? EXIT.failed : EXIT.ok;
}

/** `reports/latest` points at the newest run. */
function linkLatest(out: string, runDir: string): void {
  const link = join(out, 'latest');
  try {
    mkdirSync(out, { recursive: true });
    rmSync(link, { force: true });
    symlinkSync(relative(out, runDir), link);
  } catch {
    // a convenience only
  }
}
