import { ExperimentError } from '../experiment/errors.ts';
import { InfrastructureError } from '../runtime/runtime.ts';
import { UsageError } from './args.ts';
import { doctorCommand } from './doctor-command.ts';
import { listCommand } from './list-command.ts';
import { reportCommand } from './report-command.ts';
import { runCommand } from './run-command.ts';
import { toxiproxyCommand } from './toxiproxy-command.ts';
import { upCommand } from './up-command.ts';
import { validateCommand } from './validate-command.ts';

export const USAGE = `session-chaos — measure how session strategies survive failures

usage:
  session-chaos run [--experiment NAME|FILE]... [--strategy a,b] [--profile quick|full]
                    [--runtime local] [--repeat N] [--seed N] [--out DIR] [--json]
  session-chaos report DIR        rebuild summary.json, junit.xml and index.html from saved histories
  session-chaos list              the built-in experiments
  session-chaos validate FILE     check an experiment file
  session-chaos doctor            what is installed, what is missing, how to get it
  session-chaos up STRATEGY       start one cluster to explore by hand; Ctrl-C tears it down
  session-chaos toxiproxy [--host H] [--port P]   the Toxiproxy-compatible server

exit codes: 0 every expectation met, 1 an expectation failed, 2 bad input, 3 infrastructure did not start
`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  run: runCommand,
  report: reportCommand,
  list: listCommand,
  validate: validateCommand,
  doctor: doctorCommand,
  up: upCommand,
  toxiproxy: toxiproxyCommand,
};

/** Dispatches a command and maps errors to exit codes: bad input 2, infrastructure 3. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(
      `session-chaos: unknown command ${JSON.stringify(name)}; the commands are: ${Object.keys(COMMANDS).join(', ')}\n`,
    );
    return 2;
  }
  try {
    return await command(rest);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ExperimentError) {
      process.stderr.write(`session-chaos: ${error.message}\n`);
      return 2;
    }
    if (error instanceof InfrastructureError) {
      process.stderr.write(`session-chaos: the infrastructure did not start: ${error.message}\n`);
      return 3;
    }
    throw error;
  }
}
