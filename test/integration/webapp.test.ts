import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { readHistory } from '../../src/history/reader.ts';
import type { RunSummary } from '../../src/model/run.ts';
import { runCli } from '../helpers/cli.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { buildShopWebapp } from '../helpers/webapp.ts';

/** The shop's adapter speaks to its Java webapp too: same routes, fields, JSON and "no session". */
const ADAPTER = 'test/fixtures/shop-app/shop.adapter.ts';

describe("a user's webapp in the Tomcat strategies (--webapp)", function () {
  this.timeout(300_000);
  let shop: { dir: string; war: string };
  let solitary: { dir: string; war: string };

  before(() => {
    shop = buildShopWebapp();
    solitary = buildShopWebapp(false);
  });

  it('check-app --webapp deploys a webapp folder into Tomcat and probes it through its adapter', async () => {
    const result = await runCli(['check-app', '--webapp', shop.dir, '--adapter', ADAPTER]);
    expect(result.stdout, result.stderr.slice(-2000)).to.match(
      /9 checks, 0 deviation\(s\) from what its adapter .* expects; session cookie\(s\): JSESSIONID/,
    );
    expect(result.code).to.equal(0);
  });

  it('node-crash on all-to-all with the .war: Tomcat replicates its sessions, no user is logged out', async () => {
    const out = scratchDir('webapp-run');
    const args = ['run', '--experiment', 'node-crash', '--strategy', 'all-to-all', '--seed', '4'];
    const result = await runCli([...args, '--webapp', shop.war, '--adapter', ADAPTER, '--out', out]);
    const runDir = realpathSync(join(out, 'latest'));
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary;
    expect(
      summary.results.map((r) => [r.strategy, r.verdict]),
      result.stderr.slice(-2000),
    ).to.deep.equal([['all-to-all:sync', 'pass']]);
    expect(summary.results[0]?.logouts).to.equal(0);
    const ops = readHistory(join(runDir, 'node-crash', 'all-to-all-sync', 'history.jsonl'));
    const nodes = new Set(ops.filter((op) => op.read && op.read.items.length > 1).map((op) => op.node));
    expect(nodes.size, 'baskets read on several nodes').to.be.at.least(2);
    // 204 and 201 are the shop servlet's answers; the reference app answers neither.
    expect(
      ops.some((op) => op.op === 'login' && op.status === 204),
      'the webapp answered',
    ).to.equal(true);
    expect(ops.some((op) => op.op === 'add' && op.status === 201)).to.equal(true);
    expect(result.code).to.equal(0);
  });

  it('a webapp not marked <distributable/> is refused for the replicating strategies, saying why (exit 2)', async () => {
    for (const strategy of ['all-to-all', 'primary-secondary']) {
      const result = await runCli([
        'run',
        '--experiment',
        'node-crash',
        '--strategy',
        strategy,
        '--webapp',
        solitary.war,
      ]);
      expect(result.stderr).to.contain(
        `is not marked <distributable/> in its WEB-INF/web.xml, so Tomcat would not replicate its sessions and ${strategy}`,
      );
      expect(result.stderr).not.to.contain('starting');
      expect(result.code).to.equal(2);
    }
    const node = await runCli([
      'run',
      '--experiment',
      'node-crash',
      '--strategy',
      'redis',
      '--webapp',
      shop.dir,
    ]);
    expect(node.stderr).to.contain('a webapp is deployed into Tomcat, and redis run(s) none');
    expect(node.code).to.equal(2);
  });
});
