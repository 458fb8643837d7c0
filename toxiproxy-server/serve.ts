/**
 * The server as a command: Toxiproxy's flags (`-host`, `-port`, `-proxy-metrics`, Go style or with two
 * dashes), listening until SIGINT or SIGTERM. Used by main.ts and by `session-chaos toxiproxy`.
 */
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { startToxiproxyServer, type ToxiproxyServer } from './src/index.ts';

/**
 * Set to 1, the server dials as a cluster needs rather than as the real server does: each client's upstream
 * at once (the real one dials one client at a time), a dial abandoned when its client leaves (the real one
 * dials on and delivers what the client sent), and every client whose dial fails reset (the real one resets
 * only one that had sent something). An environment variable, so that the real server's image, which knows
 * no such flag, takes the same command. The suite's clusters set it (see Connection).
 */
export const CLUSTER_DIALS_ENV = 'SESSION_CHAOS_CLUSTER_DIALS';

/** Bad flags: exit 2, with what was wrong. */
export class FlagError extends Error {
  override name = 'FlagError';
}

/** The real server's Go-style flags (-host=X, -port X, -proxy-metrics) as two-dash ones. */
export const goFlags = (argv: string[]): string[] =>
  argv.map((arg) => (/^-(host|port|proxy-metrics)(=|$)/.test(arg) ? `-${arg}` : arg));

function flagsOf(argv: string[]): { host: string; port: number; proxyMetrics: boolean } {
  let values: { host?: string; port?: string; 'proxy-metrics'?: boolean };
  try {
    ({ values } = parseArgs({
      args: goFlags(argv),
      options: { host: { type: 'string' }, port: { type: 'string' }, 'proxy-metrics': { type: 'boolean' } },
    }));
  } catch (error) {
    throw new FlagError(`${(error as Error).message}; the flags are --host H, --port P, --proxy-metrics`);
  }
  const host = values.host ?? '127.0.0.1';
  if (host.trim() === '')
    throw new FlagError('--host "": give an IP address or host name, e.g. --host 127.0.0.1');
  const port = values.port === undefined ? 8474 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new FlagError(
      `--port ${JSON.stringify(values.port)}: give a port from 0 to 65535 (0 picks a free one)`,
    );
  return { host, port, proxyMetrics: values['proxy-metrics'] ?? false };
}

/** Serves until SIGINT or SIGTERM; prints "toxiproxy listening on URL" once it listens. Returns the exit code. */
export async function serve(argv: string[]): Promise<number> {
  const { host, port, proxyMetrics } = flagsOf(argv);
  const stopped = Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  let server: ToxiproxyServer;
  try {
    server = await startToxiproxyServer({
      host,
      port,
      proxyMetrics,
      clusterDials: process.env[CLUSTER_DIALS_ENV] === '1',
    });
  } catch (error) {
    process.stderr.write(
      `toxiproxy: cannot listen on ${host}:${port}: ${(error as Error).message}; pick another --port (0 picks a free one) or --host\n`,
    );
    return 3;
  }
  process.stdout.write(`toxiproxy listening on ${server.url}\n`);
  await stopped;
  await server.close();
  return 0;
}
