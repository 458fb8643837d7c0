import { startToxiproxyServer, type ToxiproxyServer } from '../faults/toxiproxy/index.ts';

const USAGE = `usage: session-chaos toxiproxy [--host HOST] [--port PORT]

Runs a Toxiproxy-2.x-compatible server (HTTP API and proxies).
  --host HOST   interface to listen on (default 127.0.0.1)
  --port PORT   API port (default 8474; 0 picks a free one)
`;

interface Flags {
  host: string;
  port: number;
  help: boolean;
}

/** Parses `--host`/`--port` (also `--flag=value`); a string result is the error to print. */
export function parseToxiproxyFlags(argv: readonly string[]): Flags | string {
  const flags: Flags = { host: '127.0.0.1', port: 8474, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') {
      flags.help = true;
      continue;
    }
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    if (name !== '--host' && name !== '--port') {
      return `unknown argument "${arg}": toxiproxy takes only --host HOST and --port PORT (see --help)`;
    }
    const value = inline ?? argv[++i];
    if (value === undefined)
      return `${name} needs a value, e.g. ${name} ${name === '--host' ? '127.0.0.1' : '8474'}`;
    if (name === '--host') {
      if (value.trim() === '')
        return `--host "${value}" is empty: give an IP address or host name, e.g. --host 127.0.0.1`;
      flags.host = value;
    } else {
      const port = /^\d+$/.test(value) ? Number(value) : Number.NaN;
      if (!(port >= 0 && port <= 65535)) {
        return `--port "${value}" is not a port number: use an integer from 0 to 65535 (0 picks a free port)`;
      }
      flags.port = port;
    }
  }
  return flags;
}

/** Resolves on the first SIGINT or SIGTERM; `cancel` removes the handlers again. */
function stopSignal(): { received: Promise<void>; cancel(): void } {
  let cancel = (): void => {};
  const received = new Promise<void>((resolve) => {
    const stop = (): void => {
      cancel();
      resolve();
    };
    cancel = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return { received, cancel };
}

/** `session-chaos toxiproxy`: serve until SIGINT/SIGTERM. Exit codes: 0 stopped cleanly, 1 could not
 * listen, 2 bad flags. */
export async function toxiproxyCommand(argv: string[]): Promise<number> {
  const flags = parseToxiproxyFlags(argv);
  if (typeof flags === 'string') {
    process.stderr.write(`session-chaos toxiproxy: ${flags}\n`);
    return 2;
  }
  if (flags.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  // Handlers go in before the server starts, so a signal during start-up still shuts down cleanly.
  const signal = stopSignal();
  let server: ToxiproxyServer;
  try {
    server = await startToxiproxyServer({ host: flags.host, port: flags.port });
  } catch (err) {
    signal.cancel();
    const reason = err instanceof Error ? err.message : String(err);
    process.stderr.write(
      `session-chaos toxiproxy: cannot listen on ${flags.host}:${flags.port}: ${reason}; ` +
        'pick another --port (0 picks a free one) or another --host\n',
    );
    return 1;
  }
  process.stdout.write(`toxiproxy listening on ${server.url}\n`);
  await signal.received;
  await server.close();
  return 0;
}
