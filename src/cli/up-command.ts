/** The `up` command: one strategy's cluster kept running to explore by hand or with a load tool. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { textTable } from '../report/terminal.ts';
import { STRATEGY_NAMES, strategyNamed } from '../strategies/strategies.ts';
import { buildTopology } from '../topology/topology.ts';
import { parse, positiveInteger, UsageError } from './args.ts';
import { RUNTIME_OPTIONS, runtimeOf } from './runtime-option.ts';
import { nextStopSignal } from './signals.ts';
import { faultsFor, startFaults } from './up-faults.ts';

const UP_OPTIONS = {
  nodes: { type: 'string' },
  ...RUNTIME_OPTIONS,
  json: { type: 'boolean' },
  faults: { type: 'string' },
  ledger: { type: 'string' },
} as const;

/** `--ledger FILE`: where the fault ledger goes (a new file), else the cluster's folder, removed at the end. */
function ledgerOf(file: string | undefined): string | undefined {
  if (file !== undefined && existsSync(file))
    throw new UsageError(`--ledger ${file}: the file exists; name a new file for the fault ledger`);
  return file === undefined ? undefined : resolve(file);
}

/**
 * Starts one strategy's cluster for a person (or a load tool) to explore, prints its addresses, runs an
 * experiment's fault schedule against it when asked (`--faults`), and tears it down on Ctrl-C.
 */
export async function upCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parse('up', argv, UP_OPTIONS, true);
  const [name] = positionals;
  const strategy = name === undefined ? undefined : strategyNamed(name);
  if (!strategy || positionals.length > 1)
    throw new UsageError(`up: name one strategy: ${STRATEGY_NAMES.join(', ')}; e.g. session-chaos up sticky`);
  const experiment = await faultsFor(values.faults, strategy);
  const nodes = positiveInteger('--nodes', values.nodes, experiment?.appNodes[0] ?? 3);
  const { runtime } = runtimeOf(values);
  const spareNodes = experiment?.faults.filter((f) => f.kind === 'scale-out').length ?? 0;
  const topology = buildTopology(strategy, { appNodes: nodes, spareNodes });
  const kept = ledgerOf(values.ledger);
  const dir = mkdtempSync(join(tmpdir(), `session-chaos-up-${strategy.name}-`));
  const ledger = kept ?? join(dir, 'faults.jsonl');
  await runtime.prepare();
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
    const schedule = experiment ? startFaults(experiment, cluster, ledger) : undefined;
    const signal = await stopped;
    process.stderr.write(`${signal}: stopping…\n`);
    await schedule?.healAll();
    schedule?.deps.ledger.close();
    await cluster.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return 0;
}
