/** The session-chaos command line: usage, each command dispatched, and an exit code for every way it ends. */
import { ExperimentError } from '../experiment/errors.ts';
import { InfrastructureError } from '../runtime/runtime.ts';
import { UsageError } from './args.ts';
import { checkAppCommand } from './check-app-command.ts';
import { compareCommand } from './compare-command.ts';
import { doctorCommand } from './doctor-command.ts';
import { EXIT } from './exit-codes.ts';
import { imagesCommand } from './images-command.ts';
import { listCommand } from './list-command.ts';
import { mergeCommand } from './merge-command.ts';
import { reportCommand } from './report-command.ts';
import { runCommand } from './run-command.ts';
import { toxiproxyCommand } from './toxiproxy-command.ts';
import { upCommand } from './up-command.ts';
import { validateCommand } from './validate-command.ts';

export const USAGE = `session-chaos — measure how session strategies survive failures

usage:
  session-chaos run [--experiment NAME|FILE]... [--strategy a,b] [--profile smoke|quick|full]
                    [--runtime local|docker] [--netns] [--app COMMAND|--app-image IMAGE|--webapp PATH]
                    [--adapter FILE] [--repeat N] [--seed N] [--out DIR] [--json] [--shard I/N]
                    [--baseline RUN_DIR [--report-only]] [--history DIR] [--trace all|anomalies|off]
                    [--keep-runs N]
  session-chaos report DIR        rebuild summary.json, junit.xml and index.html from saved histories
  session-chaos merge DIR... --out DIR [--baseline RUN_DIR [--report-only]] [--history DIR]
                                  one run folder from the shards of a matrix
  session-chaos compare BASE NEW [--report-only]   what got worse (or better) since the baseline run
  session-chaos list              the strategies and the built-in experiments
  session-chaos validate FILE     check an experiment file
  session-chaos check-app URL | --app COMMAND | --app-image IMAGE | --webapp PATH [--strategy S] [--adapter FILE]
                                  probe an app node against the app contract or its adapter (running, or started)
  session-chaos doctor            what is installed, what is missing, how to get it
  session-chaos up STRATEGY [--runtime local|docker] [--netns] [--faults EXPERIMENT [--ledger FILE]]
                                  start one cluster to explore by hand (or load with k6); Ctrl-C tears it down
  session-chaos images build [--base IMAGE] [--no-pull]   build the container images --runtime docker runs
  session-chaos toxiproxy [--host H] [--port P] [--proxy-metrics]   the Toxiproxy-compatible server

exit codes: 0 every expectation met, 1 an expectation failed or was undecided, 2 bad input,
            3 infrastructure did not start, 4 internal error (a bug), 130 interrupted
`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  run: runCommand,
  report: reportCommand,
  merge: mergeCommand,
  compare: compareCommand,
  list: listCommand,
  validate: validateCommand,
  'check-app': checkAppCommand,
  doctor: doctorCommand,
  up: upCommand,
  images: imagesCommand,
  toxiproxy: toxiproxyCommand,
};

function reportInternalError(error: unknown): void {
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(
    `session-chaos: internal error (a bug in session-chaos; please report it):\n${stack}\n`,
  );
}

/**
 * An error thrown where no command awaits it (a timer, a stream's callback) is a bug too: exit 4, not
 * Node's 1, which would read as "an expectation failed". The exit hooks still stop what was started.
 */
function exitOnStrayErrors(): void {
  const exit = (error: unknown) => {
    reportInternalError(error);
    process.exit(EXIT.internal);
  };
  process.on('uncaughtException', exit);
  process.on('unhandledRejection', exit);
}

/**
 * The terminal may go away mid-run (SIGHUP, a closed pipe): what is written to it then fails with EIO or
 * EPIPE, which must not stop the run before it has healed, stopped its cluster and written its reports.
 */
function surviveLostTerminal(): void {
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EIO' && error.code !== 'EPIPE') throw error;
    });
}

/** Dispatches a command and maps errors to exit codes: bad input 2, infrastructure 3, a bug 4. */
export async function main(argv: string[]): Promise<number> {
  exitOnStrayErrors();
  surviveLostTerminal();
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(
      `session-chaos: unknown command ${JSON.stringify(name)}; the commands are: ${Object.keys(COMMANDS).join(', ')}\n`,
    );
    return EXIT.usage;
  }
  try {
    return await command(rest);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ExperimentError) {
      process.stderr.write(`session-chaos: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof InfrastructureError) {
      process.stderr.write(`session-chaos: the infrastructure did not start: ${error.message}\n`);
      return EXIT.infrastructure;
    }
    reportInternalError(error);
    return EXIT.internal;
  }
}
