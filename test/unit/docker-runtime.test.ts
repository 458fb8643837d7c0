/** The docker runtime's parts that need no engine: finding the engine, owner labels, images per service kind,
 * stable MACs, Tomcat addresses, and engine calls that time out. */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import Docker from 'dockerode';
import { tomcatBaseFiles } from '../../infra/app-tomcat/config.ts';
import { macOf } from '../../src/runtime/docker/docker-placement.ts';
import { DockerRuntime } from '../../src/runtime/docker/docker-runtime.ts';
import { candidateSockets, findEngine } from '../../src/runtime/docker/engine.ts';
import { EngineHungError, engineCall, engineHung, unlessHung } from '../../src/runtime/docker/engine-call.ts';
import { IMAGE_OF_KIND } from '../../src/runtime/docker/images.ts';
import { OWNER_LABEL, runnerAlive, runnerLabels } from '../../src/runtime/docker/labels.ts';
import { InfrastructureError } from '../../src/runtime/runtime.ts';
import { topologyOf } from '../helpers/cluster.ts';

describe('docker runtime: the parts that need no engine', () => {
  it('looks for an engine at DOCKER_HOST, then Docker’s socket, then Podman’s (system, then the user’s)', async () => {
    expect(candidateSockets({ XDG_RUNTIME_DIR: '/run/user/1000' })).to.deep.equal([
      '/var/run/docker.sock',
      '/run/podman/podman.sock',
      '/run/user/1000/podman/podman.sock',
    ]);
    const missing = await findEngine({ DOCKER_HOST: 'unix:///nonexistent.sock' });
    expect(missing)
      .to.have.property('missing')
      .that.matches(/^DOCKER_HOST=unix:\/\/\/nonexistent.sock does not answer/);
  });

  it('labels what a runner creates with its owner id and who it is; a runner that is gone is told apart', () => {
    const labels = runnerLabels('mwx-123');
    expect(labels[OWNER_LABEL]).to.equal('mwx-123');
    expect(runnerAlive(labels), 'this runner').to.equal(true);
    const [, , start] = (labels['session-chaos.runner'] ?? '').split(' ');
    expect(
      runnerAlive({ 'session-chaos.runner': `${hostname()} ${process.pid} ${Number(start) + 1}` }),
      'a reused pid',
    ).to.equal(false);
    expect(runnerAlive({ 'session-chaos.runner': `${hostname()} 999999999 1` }), 'a dead pid').to.equal(
      false,
    );
    expect(runnerAlive({ 'session-chaos.runner': 'another-host 1 1' }), 'not ours to judge').to.equal(true);
    expect(runnerAlive({}), 'no runner label').to.equal(false);
  });

  it('gives every service kind an image, except a command-line app (run on the host) and a user image (its own)', () => {
    expect(Object.entries(IMAGE_OF_KIND).filter(([, image]) => image === null)).to.deep.equal([
      ['app-command', null],
      ['app-image', null],
    ]);
  });

  it('derives a MAC from the address, so a container started again at it keeps its MAC', () => {
    expect(macOf('10.213.0.11')).to.equal('02:42:0a:d5:00:0b');
  });

  it('configures a Tomcat node on one IPv4 address of its own (127.0.0.1, or its container’s), never a wildcard or a name', () => {
    const options = {
      nodeId: 'app-1',
      httpPort: 8080,
      manager: 'standard' as const,
      channelSendOptions: 8 as const,
      receiverPort: 0,
      peers: [],
      referenceApp: '/srv/app',
    };
    expect(tomcatBaseFiles({ ...options, host: '10.213.0.11' })['conf/server.xml']).to.contain(
      'address="10.213.0.11"',
    );
    for (const host of ['0.0.0.0', 'app-1', '10.213.0.256'])
      expect(() => tomcatBaseFiles({ ...options, host }), host).to.throw(
        `host "${host}" is not one IPv4 address`,
      );
  });

  it('gives up an engine call that is not answered in time, aborts its request, and fails later cases at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'session-chaos-engine-'));
    const socketPath = join(dir, 'engine.sock');
    const requests: Socket[] = [];
    // An engine that takes every request and never answers, as Podman's service did with container starts.
    const engine = createServer((socket) => requests.push(socket.resume())).listen(socketPath);
    await once(engine, 'listening');
    try {
      const docker = new Docker({ socketPath });
      const refused = new Error('409 container not running');
      expect(await engineCall('a quick call', async () => 'answer', 200)).to.equal('answer');
      expect(() => unlessHung(refused), 'an expected refusal').not.to.throw();
      expect(engineHung(), 'before any hang').to.equal(null);

      const call = engineCall('starting container sc-1-app-1', (o) => docker.getContainer('x').start(o), 200);
      const error = await call.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(EngineHungError).and.instanceOf(InfrastructureError);
      expect((error as Error).message).to.match(
        /^the container engine did not answer starting container sc-1-app-1 within 0\.2 s: restart it/,
      );
      expect(() => unlessHung(error)).to.throw(EngineHungError);
      expect(requests).to.have.length(1);
      await once(requests[0] as Socket, 'close'); // the request was aborted, not left open

      const later = await new DockerRuntime().start(topologyOf('redis'), { dir }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(later).to.be.instanceOf(InfrastructureError);
      expect((later as Error).message).to.equal(
        'the container engine did not answer starting container sc-1-app-1 within 0.2 s earlier in this run',
      );
      const cleanup = await engineCall('removing container sc-1-app-1', (o) =>
        docker.getContainer('x').remove(o),
      ).then(
        () => null,
        (e: unknown) => e,
      );
      expect(cleanup, 'a later call fails at once').to.be.instanceOf(EngineHungError);
      expect(requests, 'nothing more asked of the engine').to.have.length(1);
    } finally {
      engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
