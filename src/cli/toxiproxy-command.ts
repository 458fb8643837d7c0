import { startToxiproxyServer, type ToxiproxyServer } from '../faults/toxiproxy/index.ts';
import { InfrastructureError } from '../runtime/runtime.ts';
import { CLUSTER_DIALS_ENV } from '../runtime/toxiproxy-env.ts';
import { parse, portNumber, UsageError } from './args.ts';
import { nextStopSignal } from './signals.ts';

/**
 * The real server's Go-style flags (-host=X, -port X, -proxy-metrics) as ours, so a container image runs
 * either server alike.
 */
export const goFlags = (argv: string[]): string[] =>
  argv.map((arg) => (/^-(host|port|proxy-metrics)(=|$)/.test(arg) ? `-${arg}` : arg));

/** `session-chaos toxiproxy`: a Toxiproxy-2.x-compatible server (HTTP API and proxies) until SIGINT/SIGTERM. */
export async function toxiproxyCommand(argv: string[]): Promise<number> {
  const { values } = parse('toxiproxy', argv, {
    host: { type: 'string' },
    port: { type: 'string' },
    'proxy-metrics': { type: 'boolean' },
  });
  const host = values.host ?? '127.0.0.1';
  if (host.trim() === '')
    throw new UsageError('--host "": give an IP address or host name, e.g. --host 127.0.0.1');
  const port = portNumber('--port', values.port, 8474);
  const stopped = nextStopSignal();
  let server: ToxiproxyServer;
  try {
    server = await startToxiproxyServer({
      host,
      port,
      proxyMetrics: values['proxy-metrics'] ?? false,
      clusterDials: process.env[CLUSTER_DIALS_ENV] === '1',
    });
  } catch (error) {
    throw new InfrastructureError(
      `cannot listen on ${host}:${port}: ${(error as Error).message}; pick another --port (0 picks a free one) or --host`,
    );
  }
  process.stdout.write(`toxiproxy listening on ${server.url}\n`);
  await stopped;
  await server.close();
  return 0;
}
