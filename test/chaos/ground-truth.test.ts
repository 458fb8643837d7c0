/** The checkers find exactly the anomalies the reference app commits on purpose (lost writes, stale reads,
 * logouts, partial sessions), and none when it behaves. */
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Anomaly } from '../../src/model/anomaly.ts';
import type { RunSummary } from '../../src/model/run.ts';
import { runCli } from '../helpers/cli.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { zipEntries } from '../helpers/zip.ts';

/**
 * The checkers against ground truth: the reference app misbehaves on purpose (APP_MISBEHAVE), logs each
 * time it did, and the anomalies found must be exactly those — nothing missing, nothing extra — and none at
 * all in a control run. One node, no faults: nothing else can cause an anomaly.
 */
const EXPERIMENT = {
  name: 'ground-truth',
  description: 'the app misbehaves on purpose; no fault',
  strategies: ['none'],
  cluster: { appNodes: 1 },
  workload: { browserUsers: 2, httpUsers: 8, thinkMs: 60 },
  profiles: { quick: { durationS: 10 }, full: { durationS: 10 } },
  faults: [],
  expectations: { none: [{ metric: 'ops', atLeast: 1 }] },
};
/** Misbehave only in the app's first 8 s: the workload starts after it, final reads after 10 s of workload. */
const app = (misbehave: string): string =>
  `APP_MISBEHAVE=${misbehave} APP_MISBEHAVE_FOR_S=8 APP_MISBEHAVE_SEED=7 node --import tsx infra/app-node/server.ts`;

interface Injected {
  kind: string;
  user: string | null;
  item?: string;
}

const BROWSER_USERS = ['b01', 'b02'];

async function runWith(
  misbehave: string,
  args: string[] = [],
): Promise<{ injected: Injected[]; anomalies: Anomaly[]; summary: RunSummary; caseDir: string }> {
  const out = scratchDir('truth');
  const file = join(out, 'ground-truth.experiment.json');
  writeFileSync(file, JSON.stringify(EXPERIMENT));
  const command = misbehave ? app(misbehave) : 'node --import tsx infra/app-node/server.ts';
  const result = await runCli([
    'run',
    '--experiment',
    file,
    '--app',
    command,
    '--out',
    out,
    '--seed',
    '5',
    ...args,
  ]);
  expect(result.code, result.stderr.slice(-2000)).to.equal(0);
  const runDir = realpathSync(join(out, 'latest'));
  const caseDir = join(runDir, 'ground-truth', 'none');
  const injected = readFileSync(join(caseDir, 'logs', 'app-1.log'), 'utf8')
    .split('\n')
    .flatMap((line) => {
      const at = line.indexOf('misbehave ');
      return at === -1 ? [] : [JSON.parse(line.slice(at + 'misbehave '.length)) as Injected];
    });
  const anomalies = readFileSync(join(caseDir, 'anomalies.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Anomaly);
  const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary;
  if (!args.includes('--trace')) expectTracesOfAnomalies(caseDir, anomalies, summary);
  return { injected, anomalies, summary, caseDir };
}

/** `--trace anomalies` (the default): exactly the browser users with an anomaly keep their trace. */
function expectTracesOfAnomalies(caseDir: string, anomalies: Anomaly[], summary: RunSummary): void {
  const users = new Set(anomalies.map((a) => a.user));
  const kept = BROWSER_USERS.filter((user) => users.has(user));
  const onDisk = BROWSER_USERS.filter((user) => existsSync(join(caseDir, 'traces', `${user}.zip`)));
  expect(onDisk, 'the traces kept').to.deep.equal(kept);
  expect(summary.results[0]?.traces ?? [], 'the traces the result names').to.deep.equal(kept);
  if (kept.length === 0)
    expect(existsSync(join(caseDir, 'traces')), 'no empty traces folder').to.equal(false);
}

const sorted = (list: string[]): string[] => [...list].sort();
/** The write an anomaly is about: the item its witness add wrote. */
const itemOf = (a: Anomaly): string | undefined => a.witness.find((op) => op.op === 'add')?.wrote;

describe('the checkers against ground truth (the app misbehaves on purpose)', function () {
  this.timeout(180_000);

  it('control: the app behaving finds no anomaly at all (and --trace all keeps every browser trace)', async () => {
    const { injected, anomalies, summary, caseDir } = await runWith('', ['--trace', 'all']);
    expect(injected).to.deep.equal([]);
    expect(anomalies.map((a) => a.message)).to.deep.equal([]);
    expect(summary.results[0]?.undecidedUsers).to.equal(0);
    expect(summary.results[0]?.traces).to.deep.equal(BROWSER_USERS);
    for (const user of BROWSER_USERS) {
      const entries = zipEntries(join(caseDir, 'traces', `${user}.zip`));
      expect([...entries.keys()], user).to.include.members(['trace.trace', 'trace.network']);
      expect(
        [...entries.keys()].some((name) => name.startsWith('screencast/')),
        `${user}: screenshots`,
      ).to.equal(true);
      const events = (entries.get('trace.trace')?.toString() ?? '').split('\n').filter(Boolean);
      const titled = JSON.parse(events[0] ?? '{}') as { type?: string; title?: string };
      expect(titled, `${user}: its trace's first event`).to.include({ type: 'context-options', title: user });
      expect(
        events.some((line) => line.includes('"frame-snapshot"')),
        `${user}: DOM snapshots`,
      ).to.equal(true);
    }
  });

  it('a silently dropped write is one lost write, each, and nothing else', async () => {
    const { injected, anomalies } = await runWith('drop-write:0.08');
    expect(injected.length, 'writes dropped').to.be.at.least(3);
    expect(
      anomalies.every((a) => a.kind === 'lost-write'),
      anomalies.map((a) => a.message).join('\n'),
    ).to.equal(true);
    expect(sorted(anomalies.map((a) => `${a.user} ${itemOf(a)}`))).to.deep.equal(
      sorted(injected.map((i) => `${i.user} ${i.item}`)),
    );
  });

  it('an older cart served is one stale read (read-your-writes), each, and nothing else', async () => {
    const { injected, anomalies } = await runWith('stale-cart:0.08');
    expect(injected.length, 'older carts served').to.be.at.least(3);
    expect(anomalies.map((a) => a.guarantee ?? a.kind)).to.deep.equal(injected.map(() => 'read-your-writes'));
    expect(sorted(anomalies.map((a) => `${a.user} ${itemOf(a)}`))).to.deep.equal(
      sorted(injected.map((i) => `${i.user} ${i.item}`)),
    );
  });

  it('"no session" for a live session is one logout, each, and nothing else', async () => {
    const { injected, anomalies } = await runWith('forget-session:0.05');
    expect(injected.length, 'sessions forgotten').to.be.at.least(3);
    expect(anomalies.map((a) => a.kind)).to.deep.equal(injected.map(() => 'logout'));
    expect(sorted(anomalies.map((a) => a.user))).to.deep.equal(sorted(injected.map((i) => String(i.user))));
  });

  it('a session shown without its user is one partial session, each, and nothing else', async () => {
    const { injected, anomalies } = await runWith('drop-user:0.05');
    expect(injected.length, 'users dropped').to.be.at.least(3);
    expect(anomalies.map((a) => a.kind)).to.deep.equal(injected.map(() => 'partial-session'));
    expect(sorted(anomalies.map((a) => a.user))).to.deep.equal(sorted(injected.map((i) => String(i.user))));
  });
});
