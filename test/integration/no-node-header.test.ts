/** An app that never names its node (no X-Node) is measured through the load balancer's header instead,
 * and it still passes check-app. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parseHistory } from '../../src/history/reader.ts';
import { checkApp } from '../../src/workload/check-app.ts';
import { runExperiments } from '../helpers/chaos-run.ts';
import { runCli } from '../helpers/cli.ts';
import { withCluster } from '../helpers/cluster.ts';
import { scratchDir } from '../helpers/scratch.ts';

/**
 * An app that never says which node it is (no X-Node): the users learn the node from HAProxy's X-Served-By,
 * so sticky pinning, logouts "only among the killed node's users" and requests per node work the same.
 */
const EXPERIMENT = {
  name: 'no-node-header',
  description: 'sticky, the busiest node killed; the app sends no X-Node',
  strategies: ['sticky'],
  app: { command: 'APP_NO_NODE_HEADER=1 node --import tsx infra/app-node/server.ts' },
  cluster: { appNodes: 2 },
  workload: { browserUsers: 1, httpUsers: 6, thinkMs: 200 },
  profiles: { quick: { durationS: 8 }, full: { durationS: 8 } },
  faults: [{ kind: 'kill-node', target: 'app:busiest', at: 3, duration: 3 }],
  expectations: {
    sticky: [{ metric: 'logouts', atLeast: 1 }, { check: 'logouts-only-among-users-of-faulted-nodes' }],
  },
};

describe('an app that sends no X-Node', function () {
  this.timeout(180_000);

  it('is measured as one that does: the node of every answer comes from the load balancer', async () => {
    const file = join(scratchDir('no-node'), 'no-node-header.experiment.json');
    writeFileSync(file, JSON.stringify(EXPERIMENT));
    const { code, summary, runDir } = await runExperiments([file], 5);
    const [result] = summary.results;
    expect(result?.verdict, JSON.stringify(result?.expectations)).to.equal('pass');
    expect(code).to.equal(0);
    const ops = parseHistory(readFileSync(join(runDir, result?.dir ?? '', 'history.jsonl'), 'utf8'));
    // HAProxy's own answers (502/503 while a node is dead) come from no node, with or without X-Node.
    const answered = ops.filter((op) => op.status !== null && op.status < 500);
    expect(answered.length).to.be.above(50);
    expect(
      answered.filter((op) => op.node === null),
      'answers without a node',
    ).to.deep.equal([]);
    expect(Object.keys(result?.requestsByNode ?? {}).sort()).to.deep.equal(['app-1', 'app-2']);
    const lb = readFileSync(join(runDir, result?.dir ?? '', 'logs', 'lb', 'haproxy.cfg'), 'utf8');
    expect(lb).to.contain('http-response set-header X-Served-By %s');
  });

  it('passes check-app, which notes that the app does not name its node', async () => {
    await withCluster(
      'none',
      async (cluster) => {
        const report = await checkApp(cluster.url('app-1'));
        expect(report.deviations).to.deep.equal([]);
        expect(report.namesItsNode).to.equal(false);
        const cli = await runCli(['check-app', cluster.url('app-1')]);
        expect(cli.code).to.equal(0);
        expect(cli.stdout).to.contain('no answer says which node it is (X-Node)');
      },
      { appNodes: 1, app: { command: EXPERIMENT.app.command } },
    );
  });
});
