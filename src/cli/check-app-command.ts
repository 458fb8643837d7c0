/**
 * The `check-app` command: how an app, at a URL or started here, deviates from the app contract
 * (or from what its adapter says).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webappProblem } from '../experiment/webapp.ts';
import { createRuntime } from '../runtime/runtimes.ts';
import { STRATEGY_NAMES, strategyNamed } from '../strategies/strategies.ts';
import { type AppTemplate, buildTopology, describeApp } from '../topology/topology.ts';
import { adapterSource } from '../workload/adapters/load.ts';
import { checkAdapter } from '../workload/check-adapter.ts';
import { type ContractReport, checkApp } from '../workload/check-app.ts';
import { APP_OPTIONS, adapterOf, appOf } from './app-option.ts';
import { parse, UsageError } from './args.ts';
import { EXIT } from './exit-codes.ts';

const CHECK_APP_OPTIONS = {
  ...APP_OPTIONS,
  strategy: { type: 'string' },
  json: { type: 'boolean' },
} as const;
const USAGE =
  'check-app: give the URL of one running app node (e.g. session-chaos check-app http://127.0.0.1:8081), or --app COMMAND / --app-image IMAGE / --webapp PATH to start one';

/**
 * `session-chaos check-app URL`, or `--app COMMAND` / `--app-image IMAGE [--strategy S]` to start the app as
 * one node of a strategy's cluster first: names every deviation from the app contract (or, with
 * `--adapter FILE`, from what the adapter says the app does) with its request; exit 1 if any.
 */
export async function checkAppCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parse('check-app', argv, CHECK_APP_OPTIONS, true);
  const app = appOf(values);
  const [url] = positionals;
  if (app ? positionals.length > 0 : !url || positionals.length > 1 || !/^https?:\/\/[^/]+/.test(url))
    throw new UsageError(USAGE);
  if (!app && values.strategy !== undefined)
    throw new UsageError(
      'check-app --strategy: only with --app, --app-image or --webapp, which start the app',
    );
  const adapter = adapterOf(values.adapter);
  const source = adapter && (await adapterSource(adapter));
  const check = (at: string) => (source ? checkAdapter(at, source) : checkApp(at));
  const strategy = values.strategy ?? (app && 'webapp' in app ? 'sticky-tomcat' : 'none');
  const report = app ? await checkStarted(app, strategy, check) : await check(url as string);
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else printReport(report, source ? `what its adapter ${source.name} expects` : 'the app contract');
  return report.deviations.length === 0 ? EXIT.ok : EXIT.failed;
}

/** Starts the app as the only node of a strategy's cluster (its store, if any, too), probes it, stops it. */
async function checkStarted(
  app: AppTemplate,
  strategyName: string,
  check: (url: string) => Promise<ContractReport>,
): Promise<ContractReport> {
  const strategy = strategyNamed(strategyName);
  const webapp = 'webapp' in app;
  const problem = webapp && strategy ? webappProblem(app.webapp, [strategyName]) : null;
  if (problem) throw new UsageError(`check-app --webapp: ${problem}`);
  if (!webapp && strategy?.app !== 'app-node')
    throw new UsageError(
      `check-app --strategy ${strategyName}: name a strategy that runs an app of yours: ${STRATEGY_NAMES.filter((s) => strategyNamed(s)?.app === 'app-node').join(', ')}`,
    );
  if (!strategy)
    throw new UsageError(`check-app --strategy ${strategyName}: use one of ${STRATEGY_NAMES.join(', ')}`);
  const runtime = createRuntime('image' in app ? 'docker' : 'local');
  const topology = buildTopology(strategy, { appNodes: 1, spareNodes: 0, app });
  const dir = mkdtempSync(join(tmpdir(), 'session-chaos-check-app-'));
  try {
    await runtime.prepare();
    process.stderr.write(`starting ${describeApp(app)} (${strategy.name})…\n`);
    const cluster = await runtime.start(topology, { dir });
    try {
      const node = topology.services.find((s) => s.role === 'app')?.id ?? 'app-1';
      return await check(cluster.url(node));
    } finally {
      await cluster.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function printReport(report: ContractReport, against: string): void {
  for (const d of report.deviations) process.stdout.write(`✗ ${d.request}: ${d.problem}\n`);
  if (!report.namesItsNode && against === 'the app contract')
    process.stdout.write(
      'note: no answer says which node it is (X-Node); behind the load balancer the suite learns it from HAProxy\n',
    );
  const cookies = report.sessionCookies.join(', ') || 'none';
  process.stdout.write(
    `${report.url}: ${report.checks} checks, ${report.deviations.length} deviation(s) from ${against}; session cookie(s): ${cookies}\n`,
  );
}
