import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STRATEGIES, type StrategyName } from '../experiment/definition.ts';
import { textTable } from '../report/terminal.ts';
import { LocalRuntime } from '../runtime/local/local-runtime.ts';
import { buildTopology } from '../topology/topology.ts';
import { parse, positiveInteger, UsageError } from './args.ts';
import { nextStopSignal } from './signals.ts';

/** Starts one strategy's cluster for a person to explore, prints its addresses, and tears it down on Ctrl-C. */
export async function upCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parse(
    'up',
    argv,
    { nodes: { type: 'string' }, json: { type: 'boolean' } },
    true,
  );
  const [strategy] = positionals;
  if (!strategy || positionals.length > 1 || !STRATEGIES.includes(strategy as StrategyName))
    throw new UsageError(`up: name one strategy: ${STRATEGIES.join(', ')}; e.g. session-chaos up sticky`);
  const nodes = positiveInteger('--nodes', values.nodes, 3);
  const topology = buildTopology(strategy as StrategyName, nodes);
  const dir = mkdtempSync(join(tmpdir(), `session-chaos-up-${strategy}-`));
  process.stderr.write(`starting ${strategy} with ${nodes} app node(s)…\n`);
  const stopped = nextStopSignal();
  const cluster = await new LocalRuntime().start(topology, { dir });
  const ids = [topology.lb.id, ...topology.apps.map((a) => a.id), ...topology.stores.map((s) => s.id)];
  const addresses: Record<string, string> = {
    ...Object.fromEntries(ids.map((id) => [id, cluster.url(id)])),
    ...cluster.extras,
    logs: dir,
  };
  if (values.json) process.stdout.write(`${JSON.stringify({ strategy, lbUrl: cluster.lbUrl, addresses })}\n`);
  else {
    process.stdout.write(`\n${strategy} is up. Open ${cluster.lbUrl}/login and log in with any name.\n\n`);
    process.stdout.write(`${textTable(Object.entries(addresses))}\n\nCtrl-C stops everything.\n`);
  }
  const signal = await stopped;
  process.stderr.write(`${signal}: stopping…\n`);
  await cluster.stop();
  return 0;
}
