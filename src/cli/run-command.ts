import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { PROFILES, STRATEGIES, type StrategyName } from '../experiment/definition.ts';
import type { Experiment } from '../experiment/experiment.ts';
import { loadExperiment } from '../experiment/load.ts';
import { summaryTable } from '../report/terminal.ts';
import { runExperiments } from '../run/runner.ts';
import { LocalRuntime } from '../runtime/local/local-runtime.ts';
import { commaList, oneOf, parse, positiveInteger, UsageError } from './args.ts';
import { withInterrupt } from './interrupt.ts';
import { TerminalProgress } from './terminal-progress.ts';

const RUN_OPTIONS = {
  experiment: { type: 'string', multiple: true },
  strategy: { type: 'string', multiple: true },
  profile: { type: 'string' },
  runtime: { type: 'string' },
  repeat: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const runId = (date = new Date()): string =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
    .replace('T', '-');

async function experimentsOf(names: string[], profile: 'quick' | 'full'): Promise<Experiment[]> {
  return Promise.all((names.length ? names : ['node-crash']).map((name) => loadExperiment(name, profile)));
}

function strategiesOf(values: string[], experiments: Experiment[]): StrategyName[] | undefined {
  if (values.length === 0) return undefined;
  for (const value of values) {
    if (!STRATEGIES.includes(value as StrategyName))
      throw new UsageError(`--strategy ${JSON.stringify(value)}: use one of ${STRATEGIES.join(', ')}`);
    if (!experiments.some((e) => e.strategies.includes(value as StrategyName)))
      throw new UsageError(
        `--strategy ${value}: none of the chosen experiments runs it; they run ${[...new Set(experiments.flatMap((e) => e.strategies))].join(', ')}`,
      );
  }
  return values as StrategyName[];
}

export async function runCommand(argv: string[]): Promise<number> {
  const { values } = parse('run', argv, RUN_OPTIONS);
  const profile = oneOf('--profile', values.profile, PROFILES, 'quick');
  const runtimeName = oneOf('--runtime', values.runtime, ['local', 'docker'], 'local');
  if (runtimeName === 'docker')
    throw new UsageError('--runtime docker: not available yet; use --runtime local');
  const experiments = await experimentsOf(commaList(values.experiment), profile);
  const strategies = strategiesOf(commaList(values.strategy), experiments);
  const repeat = positiveInteger('--repeat', values.repeat, 1);
  const seed = positiveInteger('--seed', values.seed, Math.floor(Math.random() * 1e6), 0);
  const out = resolve(values.out ?? 'reports');
  const runDir = join(out, runId());
  const progress = new TerminalProgress();
  const outcome = await withInterrupt((signal) =>
    runExperiments({
      experiments,
      strategies,
      runtime: new LocalRuntime(),
      repeat,
      seed,
      runDir,
      command: `session-chaos run ${argv.join(' ')}`,
      progress,
      signal,
    }),
  );
  linkLatest(out, runDir);
  if (values.json) process.stdout.write(`${JSON.stringify(outcome.summary, null, 2)}\n`);
  else {
    process.stdout.write(`\n${summaryTable(outcome.summary)}\n\n`);
    for (const error of outcome.infrastructureErrors) process.stdout.write(`infrastructure: ${error}\n`);
    process.stdout.write(`report: ${relative(process.cwd(), outcome.files.html) || outcome.files.html}\n`);
  }
  if (outcome.interrupted) return 130;
  if (outcome.infrastructureErrors.length > 0) return 3;
  return outcome.summary.results.every((r) => r.verdict === 'pass') ? 0 : 1;
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
