/** The docker runtime on a real container engine: images per service kind, a redis cluster as labelled
 * containers, node faults as container operations, and nothing left behind after a stop or a crash. */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { expect } from 'chai';
import type Docker from 'dockerode';
import type { Engine } from '../../src/runtime/docker/engine.ts';
import { ensureImages, IMAGES, imageTag } from '../../src/runtime/docker/images.ts';
import { OWNER_LABEL } from '../../src/runtime/docker/labels.ts';
import { reapContainers } from '../../src/runtime/docker/reaper.ts';
import { claimOwner } from '../../src/runtime/local/owner.ts';
import type { Cluster } from '../../src/runtime/runtime.ts';
import { createRuntime } from '../../src/runtime/runtimes.ts';
import { AppClient } from '../../src/workload/http/app-client.ts';
import { startCluster } from '../helpers/cluster.ts';
import { engineOrSkip } from '../helpers/engine.ts';
import { scratchDir } from '../helpers/scratch.ts';

/** Containers and networks carrying an owner's label. */
async function owned(docker: Docker, owner: string) {
  const filters = JSON.stringify({ label: [`${OWNER_LABEL}=${owner}`] });
  const containers = await docker.listContainers({ all: true, filters });
  const networks = await docker.listNetworks({ filters });
  return { containers, networks };
}

const healthz = (url: string): Promise<number> =>
  fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1500) }).then(
    (r) => r.status,
    () => 0,
  );

/** Starts a stand-in runner (test/helpers/runner-to-kill.ts) on the docker runtime; resolves once its cluster is up. */
async function runnerWithCluster(then: 'wait' | 'crash') {
  const runner = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/helpers/runner-to-kill.ts', 'docker', then, scratchDir('runner')],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const exited = new Promise<number | null>((resolve) => runner.once('exit', resolve));
  const first = await createInterface({ input: runner.stdout })[Symbol.asyncIterator]().next();
  const { owner, lbUrl } = JSON.parse((first.value as string | undefined) ?? '{}') as {
    owner: string;
    lbUrl: string;
  };
  return { runner, exited, owner, lbUrl };
}

describe('docker runtime: a topology as containers on a Docker Engine API', function () {
  this.timeout(300_000);
  let engine: Engine;

  before(async function () {
    engine = await engineOrSkip(this);
    await createRuntime('docker').prepare(); // builds the images whose inputs changed
  });

  it('has an image per service kind, labelled with the hash of its inputs; unchanged inputs rebuild nothing', async () => {
    for (const image of IMAGES) {
      const info = await engine.docker.getImage(imageTag(image)).inspect();
      expect(info.Config.Labels?.['session-chaos.inputs'], image).to.match(/^[0-9a-f]{24}$/);
    }
    expect(await ensureImages(engine.docker)).to.deep.equal([]);
  });

  describe('a redis cluster', () => {
    let cluster: Cluster;
    before(async () => {
      cluster = await startCluster('redis', { appNodes: 2 }, 'docker');
    });
    after(() => cluster?.stop());

    it('shares a session across nodes through the load balancer on 127.0.0.1', async () => {
      expect(cluster.lbUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      const user = new AppClient(cluster.lbUrl);
      const login = await user.request('/login', { json: { username: 'carol', password: 'pw' } });
      expect(login.status).to.equal(200);
      const seen = new Set<string>();
      for (let i = 0; i < 6; i += 1) {
        const added = await user.request('/api/cart/items', { json: { item: `item-${i}` } });
        expect(added.status).to.equal(200);
        seen.add(added.node ?? '');
      }
      const cart = await user.request('/api/cart');
      expect((cart.json as { items: string[] }).items).to.have.length(6);
      expect([...seen].sort()).to.deep.equal(['app-1', 'app-2']);
    });

    it('labels every container and its network with the owner; publishes only the load balancer, on 127.0.0.1', async () => {
      const { containers, networks } = await owned(engine.docker, claimOwner());
      const services = containers.map((c) => c.Labels['session-chaos.service']).sort();
      expect(services).to.deep.equal(['app-1', 'app-2', 'lb', 'redis', 'toxiproxy']);
      expect(networks).to.have.length(1);
      const published = containers.flatMap((c) =>
        (c.Ports ?? [])
          .filter((p) => p.PublicPort)
          .map((p) => `${c.Labels['session-chaos.service']}:${p.PrivatePort}@${p.IP}`),
      );
      expect(published).to.deep.equal(['lb:8080@127.0.0.1']);
      expect(cluster.toxiproxyUrl, 'the runner reaches the links API at its container').to.equal(
        `http://${cluster.endpoint('toxiproxy', 'api')}`,
      );
    });

    it('kills, pauses, resumes and restarts a node as container operations', async () => {
      const app1 = cluster.url('app-1');
      await cluster.kill('app-1');
      expect(cluster.isRunning('app-1')).to.equal(false);
      expect(await healthz(app1)).to.equal(0);
      await cluster.restart('app-1');
      expect([cluster.isRunning('app-1'), await healthz(app1)]).to.deep.equal([true, 200]);
      expect(cluster.url('app-1'), 'the same address after a restart').to.equal(app1);
      await cluster.pause('app-1');
      expect(await healthz(app1), 'a paused node does not answer').to.equal(0);
      await cluster.resume('app-1');
      expect(await healthz(app1)).to.equal(200);
      expect(cluster.memoryMb('app-1')).to.be.above(10);
    });

    it('removes every container and the network when the cluster stops', async () => {
      await cluster.stop();
      const left = await owned(engine.docker, claimOwner());
      expect([left.containers.length, left.networks.length]).to.deep.equal([0, 0]);
    });
  });

  it("removes a SIGKILLed runner's containers and network on the next start", async () => {
    const { runner, exited, owner, lbUrl } = await runnerWithCluster('wait');
    runner.kill('SIGKILL');
    await exited;
    try {
      expect((await owned(engine.docker, owner)).containers).to.have.length(5);
      expect(await healthz(lbUrl), 'the cluster outlives its runner').to.equal(200);
      await reapContainers(engine.docker);
      const left = await owned(engine.docker, owner);
      expect([left.containers.length, left.networks.length]).to.deep.equal([0, 0]);
    } finally {
      await reapContainers(engine.docker);
    }
  });

  it('removes its containers and network when the runner crashes', async () => {
    const { exited, owner } = await runnerWithCluster('crash');
    expect(await exited, 'the uncaught error ends the runner').to.equal(1);
    const left = await owned(engine.docker, owner);
    expect([left.containers.length, left.networks.length]).to.deep.equal([0, 0]);
  });
});
