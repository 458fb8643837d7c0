/** check-app on apps other than the suite's own: the reference app and an independent one meet the app
 * contract, and each deviation is named with the request that showed it. */
import { createServer, type Server } from 'node:http';
import { expect } from 'chai';
import { checkApp } from '../../src/workload/check-app.ts';
import { runCli } from '../helpers/cli.ts';
import { withCluster } from '../helpers/cluster.ts';

/** The independent app in test/fixtures, started by the runtime from a command template. */
const CONTRACT_APP = 'node --import tsx test/fixtures/contract-app/server.ts --node {nodeId} --port {port}';

/** An app that gets three things wrong: no X-Node on /healthz, 200 for a read without a session, no #version. */
function brokenApp(): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url !== '/healthz') res.setHeader('X-Node', 'bad-1');
    if (req.url === '/healthz') return res.end('{"node":"bad-1"}');
    if (req.url === '/api/cart') return res.end('{"user":null,"items":[],"version":0}');
    if (req.url === '/login' && req.method === 'GET')
      return res.end(
        '<form id="login-form"><input name="username"><input name="password"><button type="submit">go</button></form>',
      );
    if (req.url === '/login') {
      res.writeHead(303, { location: '/cart', 'set-cookie': 's=1' });
      return res.end();
    }
    if (req.url === '/cart' && (req.headers.cookie ?? '') === '') {
      res.writeHead(303, { location: '/login?expired=1' });
      return res.end();
    }
    res.end('<p id="user">contract-user</p><p id="node">bad-1</p><ul id="items"></ul>');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('bring your own app', function () {
  this.timeout(420_000);

  it('check-app finds no deviation in the reference app or in an independent one', async () => {
    for (const app of [undefined, { command: CONTRACT_APP }])
      await withCluster(
        'none',
        async (cluster) => {
          const report = await checkApp(cluster.url('app-1'));
          expect(report.deviations, app ? 'the contract app' : 'app-node').to.deep.equal([]);
          expect(report.checks).to.be.above(50);
          expect(report.sessionCookies).to.deep.equal([app ? 'CARTSESSION' : 'sid']);
        },
        { appNodes: 1, ...(app ? { app } : {}) },
      );
  });

  it('check-app names each deviation with the request that showed it, and exits 1', async () => {
    const server = await brokenApp();
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    try {
      const report = await checkApp(url);
      const problems = report.deviations.map((d) => `${d.request}: ${d.problem}`);
      expect(problems.filter((p) => p.startsWith('GET /healthz (200): X-Node on '))).to.have.length(1);
      expect(problems).to.include.members([
        'GET /api/cart without a session: expected 401, got 200',
        'GET /cart after login: the page has no #version',
      ]);
      const cli = await runCli(['check-app', url]);
      expect(cli.code).to.equal(1);
      expect(cli.stdout).to.contain('✗ GET /api/cart without a session: expected 401, got 200');
    } finally {
      server.close();
    }
  });
});
