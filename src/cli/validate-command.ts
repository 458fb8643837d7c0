/** The `validate` command: checks an experiment file and shows what each profile resolves to. */
import { loadEveryProfile } from '../experiment/load.ts';
import { parse, UsageError } from './args.ts';

/** Checks an experiment file for every profile; prints what each resolves to. */
export async function validateCommand(argv: string[]): Promise<number> {
  const { positionals } = parse('validate', argv, {}, true);
  if (positionals.length === 0)
    throw new UsageError(
      'validate: name an experiment file, e.g. session-chaos validate experiments/node-crash.experiment.ts',
    );
  for (const file of positionals) {
    for (const e of await loadEveryProfile(file)) {
      const faults = e.faults
        .map((f) => `${f.kind} ${f.target} at ${f.atS.toFixed(1)} s for ${f.durationS.toFixed(1)} s`)
        .join('; ');
      process.stdout.write(
        `${e.source} [${e.profile}]: ok — ${e.strategies.join(', ')}; ${e.workload.browserUsers} browser + ${e.workload.httpUsers} HTTP users for ${e.workload.durationS} s; ${faults || 'no faults'}\n`,
      );
    }
  }
  return 0;
}
