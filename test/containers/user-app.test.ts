/** A user's app on containers: an image passes check-app and node-crash like the reference app, a .war
 * replicates on all-to-all, and a missing image is an infrastructure error saying how to get it. */
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type Docker from 'dockerode';
import { buildSync } from 'esbuild';
import { readHistory } from '../../src/history/reader.ts';
import type { RunSummary } from '../../src/model/run.ts';
import { imageTag } from '../../src/runtime/docker/images.ts';
import { createRuntime } from '../../src/runtime/runtimes.ts';
import { runCli } from '../helpers/cli.ts';
import { engineOrSkip } from '../helpers/engine.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { buildShopWebapp } from '../helpers/webapp.ts';

/** A user's image: the independent contract app (test/fixtures) bundled into one file, started by its own CMD. */
const USER_IMAGE = 'session-chaos-test/contract-app:latest';
const DOCKERFILE = `FROM ${imageTag('app-node')}
COPY server.mjs /srv/shop/server.mjs
WORKDIR /srv/shop
CMD node server.mjs --node "$NODE_ID" --port "$PORT" --host "$HOST"
`;

async function buildUserImage(docker: Docker): Promise<void> {
  const context = mkdtempSync(join(tmpdir(), 'session-chaos-user-image-'));
  try {
    buildSync({
      entryPoints: ['test/fixtures/contract-app/server.ts'],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: join(context, 'server.mjs'),
      // Its npm packages are bundled in; a CommonJS one among them may still ask for `require`.
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
    writeFileSync(join(context, 'Dockerfile'), DOCKERFILE);
    const stream = await docker.buildImage({ context, src: ['Dockerfile', 'server.mjs'] }, { t: USER_IMAGE });
    const events = await new Promise<{ error?: string }[]>((resolve, reject) =>
      docker.modem.followProgress(stream, (error: Error | null, output: { error?: string }[]) =>
        error ? reject(error) : resolve(output),
      ),
    );
    const failed = events.find((e) => e.error);
    if (failed) throw new Error(`building ${USER_IMAGE} failed: ${failed.error}`);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

describe("a user's app on containers: an image (--app-image), a webapp (--webapp)", function () {
  this.timeout(600_000);

  before(async function () {
    const engine = await engineOrSkip(this);
    await createRuntime('docker').prepare();
    await buildUserImage(engine.docker);
  });

  it('check-app --app-image starts the image and finds no deviation from the app contract', async () => {
    const result = await runCli(['check-app', '--app-image', USER_IMAGE]);
    expect(result.stdout, result.stderr.slice(-2000)).to.match(
      /54 checks, 0 deviation\(s\) from the app contract; session cookie\(s\): CARTSESSION/,
    );
    expect(result.code).to.equal(0);
  });

  it('node-crash kills the image as a node of redis, with the same verdict as the reference app', async () => {
    const out = scratchDir('app-image');
    const args = ['run', '--runtime', 'docker', '--app-image', USER_IMAGE, '--profile', 'smoke'];
    const result = await runCli([...args, '--experiment', 'node-crash', '--strategy', 'redis', '--out', out]);
    const runDir = realpathSync(join(out, 'latest'));
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary;
    expect(
      summary.results.map((r) => [r.strategy, r.verdict]),
      result.stderr.slice(-2000),
    ).to.deep.equal([['redis', 'pass']]);
    const ledger = readFileSync(join(runDir, 'node-crash', 'redis', 'faults.jsonl'), 'utf8');
    expect(ledger).to.match(/"event":"effect".*"observed":true.*HAProxy marked it DOWN/);
    const log = readFileSync(join(runDir, 'node-crash', 'redis', 'logs', 'app-1.log'), 'utf8');
    expect(log, 'the image ran with the contract environment').to.match(
      /contract-app app-1 listening on .*sessions in redis:\/\//s,
    );
    expect(result.code).to.equal(0);
  });

  it('node-crash on all-to-all deploys a .war into the Tomcat containers (mounted), replicated: no logout', async () => {
    const { war } = buildShopWebapp();
    const out = scratchDir('webapp-docker');
    const args = ['run', '--runtime', 'docker', '--experiment', 'node-crash', '--strategy', 'all-to-all'];
    const adapter = 'test/fixtures/shop-app/shop.adapter.ts';
    const result = await runCli([...args, '--webapp', war, '--adapter', adapter, '--out', out]);
    const runDir = realpathSync(join(out, 'latest'));
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary;
    expect(
      summary.results.map((r) => [r.verdict, r.logouts]),
      result.stderr.slice(-2000),
    ).to.deep.equal([['pass', 0]]);
    const ops = readHistory(join(runDir, 'node-crash', 'all-to-all-sync', 'history.jsonl'));
    expect(
      ops.some((op) => op.op === 'add' && op.status === 201),
      'the webapp answered',
    ).to.equal(true);
    expect(result.code).to.equal(0);
  });

  it('an image the engine does not have ends the run as an infrastructure error saying how to get it', async () => {
    const result = await runCli(['check-app', '--app-image', 'session-chaos-test/no-such-app:1']);
    expect(result.code).to.equal(3);
    expect(result.stderr).to.contain(
      'the app image session-chaos-test/no-such-app:1 is not in the container engine; build it',
    );
  });
});
