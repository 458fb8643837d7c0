/** A user's own app end to end under node-crash: an independent app by command and one behind an adapter
 * reach the reference app's verdicts; a .war on all-to-all keeps every user logged in. */
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { readHistory } from '../../src/history/reader.ts';
import type { RunSummary } from '../../src/model/run.ts';
import { runCli } from '../helpers/cli.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { buildShopWebapp } from '../helpers/webapp.ts';

/** The independent contract app, and the shop that speaks its own language (with its adapter), in test/fixtures. */
const CONTRACT_APP = 'node --import tsx test/fixtures/contract-app/server.ts --node {nodeId} --port {port}';
const SHOP = 'node --import tsx test/fixtures/shop-app/server.ts --port {port}';
const ADAPTER = 'test/fixtures/shop-app/shop.adapter.ts';

/** node-crash run by the CLI with these options; its summary and folder. */
async function nodeCrash(args: string[]) {
  const out = scratchDir('your-app');
  const result = await runCli(['run', '--experiment', 'node-crash', ...args, '--out', out]);
  const runDir = realpathSync(join(out, 'latest'));
  const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary;
  const verdicts = summary.results.map((r) => [r.strategy, r.verdict]);
  return { result, runDir, summary, verdicts, why: result.stderr.slice(-2000) };
}

describe('your app, end to end: node-crash with a command, an adapter, a webapp', function () {
  this.timeout(600_000);

  it('an independent app with --app: the same verdicts as the reference app', async () => {
    const run = await nodeCrash([
      '--strategy',
      'none,redis',
      '--profile',
      'smoke',
      '--app',
      CONTRACT_APP,
      '--seed',
      '3',
    ]);
    expect(run.verdicts, run.why).to.deep.equal([
      ['none', 'pass'],
      ['redis', 'pass'],
    ]);
    expect(run.result.code).to.equal(0);
    for (const [strategy, store] of [
      ['none', 'memory'],
      ['redis', 'redis://127.0.0.1'],
    ]) {
      const log = readFileSync(
        join(run.runDir, 'node-crash', strategy as string, 'logs', 'app-1.log'),
        'utf8',
      );
      expect(log, `${strategy} ran the contract app`).to.contain(`contract-app app-1 listening on`);
      expect(log).to.contain(`sessions in ${store}`);
    }
  });

  it('through an adapter: browser and HTTP users alike, the same verdicts as the reference app', async () => {
    const args = ['--strategy', 'none,redis', '--profile', 'smoke', '--app', SHOP, '--adapter', ADAPTER];
    const run = await nodeCrash([...args, '--seed', '5']);
    expect(run.verdicts, run.why).to.deep.equal([
      ['none', 'pass'],
      ['redis', 'pass'],
    ]);
    expect(run.result.code).to.equal(0);
    const ops = readHistory(join(run.runDir, 'node-crash', 'redis', 'history.jsonl'));
    for (const client of ['browser', 'http'] as const) {
      const views = ops.filter((op) => op.client === client && op.op === 'read' && op.read);
      expect(views.length, `${client} users read their baskets`).to.be.above(5);
      expect(
        views.some((op) => op.read && op.read.items.length > 0),
        `${client} reads show items`,
      ).to.equal(true);
      expect(
        views.every((op) => op.node?.startsWith('app-')),
        'HAProxy named each answering node',
      ).to.equal(true);
    }
  });

  it('a .war on all-to-all: Tomcat replicates its sessions, no user is logged out', async () => {
    const { war } = buildShopWebapp();
    const run = await nodeCrash([
      '--strategy',
      'all-to-all',
      '--webapp',
      war,
      '--adapter',
      ADAPTER,
      '--seed',
      '4',
    ]);
    expect(run.verdicts, run.why).to.deep.equal([['all-to-all:sync', 'pass']]);
    expect(run.summary.results[0]?.logouts).to.equal(0);
    const ops = readHistory(join(run.runDir, 'node-crash', 'all-to-all-sync', 'history.jsonl'));
    const nodes = new Set(ops.filter((op) => op.read && op.read.items.length > 1).map((op) => op.node));
    expect(nodes.size, 'baskets read on several nodes').to.be.at.least(2);
    // 204 and 201 are the shop servlet's answers; the reference app answers neither.
    expect(
      ops.some((op) => op.op === 'login' && op.status === 204),
      'the webapp answered',
    ).to.equal(true);
    expect(ops.some((op) => op.op === 'add' && op.status === 201)).to.equal(true);
    expect(run.result.code).to.equal(0);
  });
});
