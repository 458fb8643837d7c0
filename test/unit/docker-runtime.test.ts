import { hostname } from 'node:os';
import { expect } from 'chai';
import { tomcatBaseFiles } from '../../infra/app-tomcat/config.ts';
import { goFlags } from '../../src/cli/toxiproxy-command.ts';
import { macOf } from '../../src/runtime/docker/docker-placement.ts';
import { candidateSockets, findEngine } from '../../src/runtime/docker/engine.ts';
import { IMAGE_OF_KIND } from '../../src/runtime/docker/images.ts';
import { OWNER_LABEL, runnerAlive, runnerLabels } from '../../src/runtime/docker/labels.ts';

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

  it('gives every service kind an image, except a command-line app (run on the host)', () => {
    expect(Object.entries(IMAGE_OF_KIND).filter(([, image]) => image === null)).to.deep.equal([
      ['app-command', null],
    ]);
  });

  it('derives a MAC from the address, so a container started again at it keeps its MAC', () => {
    expect(macOf('10.213.0.11')).to.equal('02:42:0a:d5:00:0b');
  });

  it('runs the suite’s Toxiproxy server with the real one’s flags', () => {
    expect(goFlags(['-host=0.0.0.0', '-port', '8474', '--port', '1'])).to.deep.equal([
      '--host=0.0.0.0',
      '--port',
      '8474',
      '--port',
      '1',
    ]);
  });

  it('configures a Tomcat node on one IPv4 address of its own (127.0.0.1, or its container’s), never a wildcard or a name', () => {
    const options = {
      nodeId: 'app-1',
      httpPort: 8080,
      manager: 'standard' as const,
      channelSendOptions: 8 as const,
      receiverPort: 0,
      peers: [],
      jspScratchDir: '/tmp/jsp',
    };
    expect(tomcatBaseFiles({ ...options, host: '10.213.0.11' })['conf/server.xml']).to.contain(
      'address="10.213.0.11"',
    );
    for (const host of ['0.0.0.0', 'app-1', '10.213.0.256'])
      expect(() => tomcatBaseFiles({ ...options, host }), host).to.throw(
        `host "${host}" is not one IPv4 address`,
      );
  });
});
