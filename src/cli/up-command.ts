import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { textTable } from '../report/terminal.ts';
import { createRuntime, RUNTIME_NAMES } from '../runtime/runtimes.ts';
import { STRATEGY_NAMES, strategyNamed } from '../strategies/strategies.ts';
import { buildTopology } from '../topology/topology.ts';
import { oneOf, parse, positiveInteger, UsageError } from './args.ts';
import { nextStopSignal } from './signals.ts';

/** Starts one strategy's cluster for a person to explore, prints its addresses, and tears it down on Ctrl-C. */
export async function upCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parse(
    'up',
    argv,
    { nodes: { type: 'string' }, runtime: { type: 'string' }, json: { type: 'boolean' } },
    true,
  );
  const [name] = positionals;
  const strategy = name === undefined ? undefined : strategyNamed(name);
  if (!strategy || positionals.length > 1)
    throw new UsageError(`up: name one strategy: ${STRATEGY_NAMES.join(', ')}; e.g. session-chaos up sticky`);
  const nodes = positiveInteger('--nodes', values.nodes, 3);
  const runtime = createRuntime(oneOf('--runtime', values.runtime, RUNTIME_NAMES, 'local'));
  await runtime.prepare();
  const topology = buildTopology(strategy, { appNodes: nodes });
  const dir = mkdtempSync(join(tmpdir(), `session-chaos-up-${strategy.name}-`));
  process.stderr.write(`starting ${strategy.name} with ${nodes} app node(s)…\n`);
  const stopped = nextStopSignal();
  try {
    const cluster = await runtime.start(topology, { dir, explore: true });
    // Each node's own address (to skip the load balancer), each store's, then HAProxy's stats and the links API.
    const endpoints = topology.services.flatMap((s) =>
      Object.entries(cluster.endpoints(s.id))
        .filter(([name]) => name === 'http' || s.role === 'store')
        .map(([name, address]) =>
          name === 'http' ? [s.id, `http://${address}`] : [`${s.id} ${name}`, address],
        ),
    );
    const addresses: Record<string, string> = {
      ...Object.fromEntries(endpoints),
      ...cluster.extras,
      logs: dir,
    };
    if (values.json)
      process.stdout.write(
        `${JSON.stringify({ strategy: strategy.name, lbUrl: cluster.lbUrl, addresses })}\n`,
      );
    else {
      process.stdout.write(
        `\n${strategy.name} is up. Open ${cluster.lbUrl}/login and log in with any name.\n\n`,
      );
      process.stdout.write(`${textTable(Object.entries(addresses))}\n\nCtrl-C stops everything.\n`);
    }
    const signal = await stopped;
    process.stderr.write(`${signal}: stopping…\n`);
    await cluster.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return 0;
}
