/** The `list` command: the strategies and the built-in experiments. */
import { builtinExperiments, loadExperiment } from '../experiment/load.ts';
import { textTable } from '../report/terminal.ts';
import { STRATEGY_TABLE } from '../strategies/strategies.ts';
import { parse } from './args.ts';

/** The strategies, and the built-in experiments with their strategies and what they do. */
export async function listCommand(argv: string[]): Promise<number> {
  const { values } = parse('list', argv, { json: { type: 'boolean' } });
  const experiments = await Promise.all(builtinExperiments().map((name) => loadExperiment(name, 'quick')));
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ strategies: STRATEGY_TABLE, experiments }, null, 2)}\n`);
    return 0;
  }
  const strategies = STRATEGY_TABLE.map((s) => [s.name, s.description]);
  process.stdout.write(`${textTable([['strategy', 'what it is'], ...strategies])}\n\n`);
  const rows = experiments.map((e) => [
    e.name,
    e.strategies.join(','),
    `${e.workload.durationS} s`,
    e.description,
  ]);
  process.stdout.write(`${textTable([['experiment', 'strategies', 'quick', 'what it does'], ...rows])}\n`);
  return 0;
}
