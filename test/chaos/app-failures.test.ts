/** A user's app that will not start, listen or serve ends its run with exit 3 and a message naming the node,
 * its command and its log, through the real CLI. */
import { expect } from 'chai';
import { runCli } from '../helpers/cli.ts';
import { scratchDir } from '../helpers/scratch.ts';

/** A user's app that fails on its own ends its case as an infrastructure error a person can act on: the
 * node, how it was started, its log's last lines, and exit 3; never a pile of errors in a verdict. */
describe('an app that fails on its own', function () {
  this.timeout(180_000);

  const run = (app: string) =>
    runCli([
      'run',
      '--experiment',
      'node-crash',
      '--strategy',
      'sticky',
      '--profile',
      'smoke',
      '--app',
      app,
      '--out',
      scratchDir('app-failures'),
    ]);

  for (const [what, app, says] of [
    ['does not start', 'no-such-app-command --port {port}', 'no-such-app-command: not found'],
    [
      'does not listen on its port',
      'node test/fixtures/failing-app.mjs no-listen {nodeId} {port}',
      'started, listening nowhere',
    ],
    [
      'crashes on its first request',
      'node test/fixtures/failing-app.mjs crash-on-request {nodeId} {port}',
      'cannot serve',
    ],
  ] as const)
    it(`${what}: exit 3, naming the node, its command and its log`, async () => {
      const { code, stdout, stderr } = await run(app);
      const output = `${stdout}\n${stderr}`;
      expect(code, output).to.equal(3);
      const command = app.split(' {')[0] ?? app;
      expect(output).to.match(/infrastructure: node-crash\/sticky: .*app-\d/);
      expect(output).to.contain(command);
      expect(output).to.contain('last lines of');
      expect(output).to.contain(says);
    });
});
