/** --netns on a real Tomcat BackupManager cluster: each node in a network namespace of its own, link faults
 * acted by the kernel (cuts, latency, loss, reordering), and namespaces reaped after a SIGKILL. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { expect } from 'chai';
import type { ResolvedFault } from '../../src/experiment/experiment.ts';
import { FAULT_ACTIONS } from '../../src/faults/kinds.ts';
import { LocalRuntime } from '../../src/runtime/local/local-runtime.ts';
import { reapLeftovers } from '../../src/runtime/local/owner.ts';
import { run } from '../../src/runtime/netns/command.ts';
import type { Cluster } from '../../src/runtime/runtime.ts';
import { AppClient } from '../../src/workload/http/app-client.ts';
import { topologyOf } from '../helpers/cluster.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { waitFor } from '../helpers/wait.ts';

const ALICE = { json: { username: 'alice', password: 'pw' } };
const namespaces = (): string[] =>
  run('ip', ['netns', 'list'])
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter(Boolean);

async function withNetnsCluster(
  strategy: string,
  test: (cluster: Cluster) => Promise<void>,
  more: { appNodes?: number; sessionPaddingKb?: number } = {},
): Promise<void> {
  const topology = topologyOf(strategy, more.appNodes ?? 2, undefined, more);
  const cluster = await new LocalRuntime(true).start(topology, { dir: scratchDir(strategy) });
  try {
    await test(cluster);
  } finally {
    await cluster.stop();
  }
}

const cart = async (cluster: Cluster, user: AppClient, node: string): Promise<string[] | null> => {
  const read = await user.on(cluster.url(node)).request('/api/cart');
  return read.status === 200 ? (read.json as { items: string[] }).items : null;
};

const shows = (cluster: Cluster, user: AppClient, node: string, items: string[]) =>
  waitFor(
    `${node} to show ${items.join(', ')}`,
    async () => JSON.stringify(await cart(cluster, user, node)) === JSON.stringify(items),
    20_000,
  );

/** The time one add takes on a node, in ms. */
async function timedAdd(user: AppClient, item: string): Promise<number> {
  const start = performance.now();
  expect((await user.request('/api/cart/items', { json: { item } })).status).to.equal(200);
  return performance.now() - start;
}

describe('--netns: each node in a network of its own, faults in the kernel (real Tomcat BackupManager)', function () {
  this.timeout(180_000);
  before(function () {
    if (process.getuid?.() !== 0) this.skip(); // namespaces need root; the CLI refuses --netns without it
  });

  it('services listen on their own addresses; the namespaces go when the cluster stops', async () => {
    let mine: string[] = [];
    await withNetnsCluster('primary-secondary:async', async (cluster) => {
      expect(cluster.endpoint('app-1', 'http')).to.match(/^10\.213\.\d+\.\d+:\d+$/);
      expect(cluster.lbUrl).to.match(/^http:\/\/127\.0\.0\.1:/);
      mine = namespaces().filter((n) => n.endsWith('-app-1') || n.endsWith('-app-2') || n.endsWith('-hub'));
      expect(mine.length).to.be.at.least(3);
    });
    expect(namespaces().filter((n) => mine.includes(n))).to.deep.equal([]);
  });

  // Synchronous, as the DeltaManager test in tomcat.test.ts and for its reason: async sends can arrive
  // reversed, and the backup may never have the session to begin with.
  it("primary-secondary: a cut in the kernel stops BackupManager's replication (a write waits for its backup), counts its packets; healing resumes it", () =>
    withNetnsCluster('primary-secondary:sync', async (cluster) => {
      const kernel = cluster.kernel;
      if (!kernel) throw new Error('no kernel links with --netns');
      const user = new AppClient(cluster.url('app-1'));
      expect((await user.request('/login', ALICE)).status).to.equal(200);
      expect((await user.request('/api/cart/items', { json: { item: 'apple' } })).status).to.equal(200);
      await shows(cluster, user, 'app-2', ['apple']);
      kernel.act(['app-1->app-2'], 'cut', { kind: 'drop' });
      try {
        // Synchronous replication waits for the backup's acknowledgement, which cannot come through the cut.
        const during = await user
          .request('/api/cart/items', { json: { item: 'cut' } })
          .catch((e: Error) => e);
        expect(during instanceof Error ? during.message : during.status).to.match(/no whole answer/);
        expect(kernel.caught('cut')['app-1->app-2']).to.be.greaterThan(0);
        expect(kernel.states(['app-1->app-2'])[0]?.state).to.match(/^kernel: packets dropped/);
      } finally {
        await kernel.heal('cut');
      }
      await waitFor(
        'a write on app-1 to be answered again',
        async () => (await user.request('/api/cart/items', { json: { item: 'healed' } })).status === 200,
        30_000,
      );
      await waitFor(
        'app-2 to receive the change made after the heal',
        async () => (await cart(cluster, user, 'app-2'))?.at(-1) === 'healed',
        20_000,
      );
      await cluster.stop();
      expect(cluster.linkBytes?.['app-1->app-2']?.upstream).to.be.greaterThan(0);
    }));

  it('primary-secondary:sync: latency in the kernel slows every write by about its delay', () =>
    withNetnsCluster('primary-secondary:sync', async (cluster) => {
      const kernel = cluster.kernel;
      if (!kernel) throw new Error('no kernel links with --netns');
      const user = new AppClient(cluster.url('app-1'));
      expect((await user.request('/login', ALICE)).status).to.equal(200);
      const before = Math.min(
        ...[await timedAdd(user, 'a'), await timedAdd(user, 'b'), await timedAdd(user, 'c')],
      );
      kernel.act(['app-1->app-2'], 'slow', { kind: 'hold', latencyMs: 400 });
      try {
        // Replication sends only on a change: write until the program reports packets held.
        await waitFor(
          'the delay program to hold packets',
          async () => {
            if (/delayed [1-9]/.test(kernel.delayReport('slow') ?? '')) return true;
            await timedAdd(user, 'probe');
            return false;
          },
          20_000,
        );
        const during = Math.min(await timedAdd(user, 'd'), await timedAdd(user, 'e'));
        expect(during - before, `${during} ms slowed vs ${before} ms`).to.be.at.least(300);
      } finally {
        await kernel.heal('slow');
      }
      const after = Math.min(await timedAdd(user, 'f'), await timedAdd(user, 'g'));
      expect(after, 'healed').to.be.below(before + 300);
    }));

  it('packet-loss, reorder and bandwidth on a store link: the kernel (or the proxy, for bandwidth) acts, the reads show it', () =>
    withNetnsCluster(
      'redis',
      async (cluster) => {
        const user = new AppClient(cluster.url('app-1'));
        expect((await user.request('/login', ALICE)).status).to.equal(200);
        /** How long each read took (sorted), and how many the app could not answer (its store timed out). */
        let failed = 0;
        const reads = async (n: number): Promise<number[]> => {
          const took: number[] = [];
          for (let i = 0; i < n; i += 1) {
            const start = performance.now();
            if ((await user.request('/api/cart')).status !== 200) failed += 1;
            took.push(performance.now() - start);
          }
          return took.sort((a, b) => a - b);
        };
        const median = (took: number[]) => took[Math.floor(took.length / 2)] ?? 0;
        const before = median(await reads(20));
        expect(failed, 'before any fault').to.equal(0);
        const during = async (fault: ResolvedFault, n: number) => {
          const chosen = { target: 'app-1->redis', links: ['app-1->redis'] };
          const action = FAULT_ACTIONS[fault.kind];
          await action.inject(cluster, chosen, fault, fault.kind, {});
          try {
            const took = await reads(n);
            const effect = await action.look(cluster, chosen, fault, {}, fault.kind);
            const [state] = await cluster.watch.linkStates(['app-1->redis']);
            return { took, effect, state: state?.state ?? '' };
          } finally {
            await action.heal(cluster, chosen, fault, fault.kind);
          }
        };
        const at = { target: 'link:app-1->redis', atS: 0, durationS: 10 };
        const lossy = await during({ kind: 'packet-loss', lossPercent: 10, ...at }, 20);
        expect(lossy.effect.evidence).to.match(
          /packet filter dropped packets of its links: [1-9]\d* on app-1->redis/,
        );
        expect(lossy.state).to.match(/^proxy: enabled; kernel: 10% of packets dropped/);
        const hurt = failed + lossy.took.filter((ms) => ms > before + 150).length;
        expect(hurt, 'reads that waited for a retransmission or failed').to.be.at.least(1);
        const reordered = await during({ kind: 'reorder', reorderPercent: 50, latencyMs: 100, ...at }, 20);
        expect(reordered.effect.evidence).to.match(/queued [1-9]\d* delayed [1-9]\d* reordered [1-9]/);
        expect(median(reordered.took) - before, 'a read waits for held packets').to.be.at.least(80);
        const narrow = await during({ kind: 'bandwidth', rateKBps: 32, ...at }, 3);
        expect(narrow.state).to.equal('proxy: enabled, bandwidth 32 KB/s downstream');
        expect(narrow.effect.observed).to.equal(true);
        expect(median(narrow.took) - before, 'a padded session (64 kB) at 32 KB/s').to.be.at.least(600);
        // The kernel's own rate, on the same link (the fault kind uses the proxy where one sits).
        cluster.kernel?.act(['app-1->redis'], 'paced', { kind: 'hold', rateKBps: 32 });
        try {
          const paced = median(await reads(3));
          expect(paced - before, 'a padded session (64 kB) paced at 32 KB/s').to.be.at.least(600);
          expect(cluster.kernel?.states(['app-1->redis'])[0]?.state).to.match(
            /^kernel: paced at 32 KB\/s, [1-9]/,
          );
        } finally {
          await cluster.kernel?.heal('paced');
        }
        failed = 0;
        expect(median(await reads(10)) - before, 'healed').to.be.below(100);
        expect(failed, 'only while packets were lost').to.equal(0);
      },
      { appNodes: 1, sessionPaddingKb: 64 },
    ));

  it("a runner killed with SIGKILL leaves namespaces that the next runner's reaper removes", async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `const { claimOwner, recordNamespace } = await import('./src/runtime/local/owner.ts');
         const { RunNetwork } = await import('./src/runtime/netns/run-network.ts');
         new RunNetwork('sc-' + claimOwner() + '-reap', ['a'], recordNamespace);
         console.log('ready'); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await once(child.stdout, 'data');
    const left = namespaces().filter((n) => n.includes('-reap-'));
    expect(left).to.have.length(2);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(namespaces().filter((n) => left.includes(n))).to.have.length(2);
    reapLeftovers();
    expect(namespaces().filter((n) => left.includes(n))).to.deep.equal([]);
  });
});
