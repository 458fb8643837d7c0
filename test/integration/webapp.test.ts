/** A user's webapp (--webapp) in the Tomcat strategies: deployed and probed through its adapter by check-app,
 * and refused for replicating strategies unless marked <distributable/>. */
import { expect } from 'chai';
import { runCli } from '../helpers/cli.ts';
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
