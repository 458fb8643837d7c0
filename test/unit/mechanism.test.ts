/** Which mechanism a link fault needs, the proxy or the kernel (--netns), and which strategies are left out
 * or refused when the kernel cannot be used. */
import { expect } from 'chai';
import { runtimeOf, withinReach } from '../../src/cli/runtime-option.ts';
import { loadExperiment } from '../../src/experiment/load.ts';
import { kernelNeed } from '../../src/experiment/mechanism.ts';
import type { Runtime } from '../../src/runtime/runtime.ts';
import { strategyNamed } from '../../src/strategies/strategies.ts';
import { buildTopology } from '../../src/topology/topology.ts';

const fault = (kind: string, target: string) =>
  ({ kind, target, atS: 1, durationS: 1 }) as Parameters<typeof kernelNeed>[0];
const runtime = (kernelFaults: boolean) => ({ name: 'local', kernelFaults }) as Runtime;

describe('which mechanism a link fault needs: the proxy where one sits, the kernel where none does', () => {
  it("BackupManager's replication links have no proxy; DeltaManager's and the store's have", () => {
    const links = (name: string) => {
      const row = strategyNamed(name);
      if (!row) throw new Error(name);
      return buildTopology(row, { appNodes: 2 }).links.map(
        (l) => `${l.id}${l.proxy === false ? ' (no proxy)' : ''}`,
      );
    };
    expect(links('primary-secondary')).to.include.members([
      'app-1->app-2 (no proxy)',
      'app-2->app-1 (no proxy)',
    ]);
    expect(links('all-to-all')).to.include.members(['app-1->app-2', 'app-2->app-1']);
    expect(links('redis')).to.include.members(['app-1->redis', 'lb->app-1']);
  });

  it('a link fault needs the kernel only on links no proxy sits in; packet loss and reordering always', () => {
    expect(kernelNeed(fault('replication-latency', 'replication:all'), 'all-to-all:sync', 3)).to.equal(null);
    expect(kernelNeed(fault('replication-latency', 'replication:all'), 'primary-secondary:sync', 2)).to.equal(
      'replication-latency on replication:all reaches app-1->app-2, app-2->app-1, which no proxy sits in',
    );
    expect(kernelNeed(fault('partition', 'link:lb->app-1'), 'primary-secondary', 2)).to.equal(null);
    expect(kernelNeed(fault('partition', 'app:app-1'), 'primary-secondary', 2)).to.match(/app-1->app-2/);
    expect(kernelNeed(fault('bandwidth', 'store:any'), 'redis', 2)).to.equal(null);
    expect(kernelNeed(fault('packet-loss', 'store:any'), 'redis', 2)).to.equal(
      'packet-loss acts on packets, which only the kernel reaches',
    );
  });

  it('without --netns, strategies that need the kernel are left out and said so; asked for, or all of them, refused', async () => {
    const lag = await loadExperiment('replication-lag', 'quick');
    const said: string[] = [];
    const [kept] = withinReach([lag], runtime(false), undefined, (line) => said.push(line));
    expect(kept?.strategies).to.deep.equal(['all-to-all:async', 'all-to-all:sync']);
    expect(said.join('\n')).to.match(
      /^replication-lag: left out primary-secondary:async \(.*\); primary-secondary:sync .*add --netns/,
    );
    expect(withinReach([lag], runtime(true), undefined)[0]?.strategies).to.have.length(4);
    expect(() => withinReach([lag], runtime(false), ['primary-secondary:sync'])).to.throw(
      /--strategy primary-secondary:sync: in replication-lag, replication-latency on replication:all reaches .*add --netns/,
    );
    const onlyBackup = { ...lag, strategies: ['primary-secondary:sync'] };
    expect(() => withinReach([onlyBackup], runtime(false), undefined)).to.throw(
      /every strategy needs the kernel/,
    );
  });

  it('--netns is refused on the container runtime and without root, saying why', () => {
    expect(() => runtimeOf({ runtime: 'docker', netns: true })).to.throw(
      '--netns is for the local runtime: on --runtime docker every container has a network of its own already',
    );
    const uid = process.getuid;
    process.getuid = () => 1000;
    try {
      expect(() => runtimeOf({ netns: true })).to.throw(/^--netns needs root: it creates network namespaces/);
      expect(runtimeOf({}).runtime.kernelFaults).to.equal(false);
    } finally {
      process.getuid = uid;
    }
  });

  it('on the container runtime, a strategy that needs the kernel is left out with the way to run it', async () => {
    const lag = await loadExperiment('replication-lag', 'quick');
    const said: string[] = [];
    withinReach([lag], { name: 'docker', kernelFaults: false } as Runtime, undefined, (line) =>
      said.push(line),
    );
    expect(said.join('\n')).to.contain(
      '--runtime docker does not act in the kernel; run it on the local runtime with --netns (as root)',
    );
  });
});
