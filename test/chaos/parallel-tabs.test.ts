/** Lost updates from users in parallel tabs, checked against the app's own log of what each save dropped:
 * whole-session saves lose updates, atomic appends do not. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Anomaly } from '../../src/model/anomaly.ts';
import type { Op } from '../../src/model/op.ts';
import { runExperiments } from '../helpers/chaos-run.ts';
import { scratchDir } from '../helpers/scratch.ts';

/**
 * Lost updates against ground truth: with APP_LOG_OVERWRITES=1 the reference app saves every session with a
 * Redis script that returns the session it replaced, and logs the items each save dropped. The lost updates
 * the checker finds must be exactly the dropped items that no later save put back; with SESSION_WRITES=atomic
 * no save drops anything and the checker finds nothing. Then the parallel-tabs experiment's expectations.
 */
const APP = 'node --import tsx infra/app-node/server.ts';
const experiment = (name: string) => ({
  name,
  description: 'users in three tabs of one session; no fault',
  strategies: ['redis'],
  cluster: { appNodes: 3 },
  // Few HTTP users and 15 s, so that Chromium, whose first page takes seconds on 2 busy cores, gets to work
  // in its tabs at once.
  workload: { browserUsers: 2, httpUsers: 6, thinkMs: 50, parallelism: 3, tabs: 3 },
  profiles: { quick: { durationS: 15 }, full: { durationS: 15 } },
  faults: [],
  expectations: { redis: [{ metric: 'ops', atLeast: 1 }] },
});

const lines = (file: string): string[] => readFileSync(file, 'utf8').split('\n').filter(Boolean);

/** `user item` for every item a save dropped, from every node's log. */
function droppedBySaves(logs: string): string[] {
  return readdirSync(logs)
    .filter((f) => /^app-\d+\.log$/.test(f))
    .flatMap((f) => lines(join(logs, f)))
    .flatMap((line) => {
      const found = /save dropped user=(\S+) items=(\[.*\])$/.exec(line);
      return found ? (JSON.parse(found[2] as string) as string[]).map((item) => `${found[1]} ${item}`) : [];
    });
}

async function runOnRedis(env: string) {
  const out = scratchDir('lost-updates');
  const file = join(out, 'lost-updates.experiment.json');
  writeFileSync(file, JSON.stringify(experiment('lost-updates')));
  const run = await runExperiments([file], 3, ['--app', `${env} ${APP}`]);
  expect(run.code).to.equal(0);
  const caseDir = join(run.runDir, 'lost-updates', 'redis');
  const history = lines(join(caseDir, 'history.jsonl')).map((l) => JSON.parse(l) as Op);
  const anomalies = lines(join(caseDir, 'anomalies.jsonl')).map((l) => JSON.parse(l) as Anomaly);
  // What the session holds at the end: each user's final read.
  const kept = new Set(
    history
      .filter((op) => op.final && op.read)
      .flatMap((op) => op.read?.items.map((i) => `${op.user} ${i}`) ?? []),
  );
  const lost = droppedBySaves(join(caseDir, 'logs')).filter((entry) => !kept.has(entry));
  return { history, anomalies, lost: [...new Set(lost)].sort(), result: run.summary.results[0] };
}

const itemOf = (a: Anomaly): string => `${a.user} ${/^item (\S+),/.exec(a.message)?.[1]}`;

/** Two ops of one user in flight at the same time. */
function overlapping(ops: Op[]): boolean {
  const sorted = [...ops].sort((a, b) => a.start - b.start);
  return sorted.some((op, i) => i > 0 && op.start < (sorted[i - 1] as Op).end);
}

describe('lost updates: users in parallel tabs, against the app’s own record of what each save dropped', function () {
  this.timeout(600_000);

  it('whole-session saves: the lost updates found are exactly the items saves dropped for good', async () => {
    const { history, anomalies, lost, result } = await runOnRedis('APP_LOG_OVERWRITES=1');
    expect(lost.length, 'items dropped by a save and never put back').to.be.at.least(5);
    const updates = anomalies.filter((a) => a.kind === 'lost-update');
    expect(updates.map(itemOf).sort()).to.deep.equal(lost);
    expect(anomalies.filter((a) => a.kind === 'lost-write').map((a) => a.message)).to.deep.equal([]);
    expect(result?.lostUpdates).to.equal(lost.length);
    for (const a of updates) expect(a.witness, a.message).to.have.length(3);
    const users = (prefix: string) =>
      [...new Set(history.map((op) => op.user))].filter((u) => u.startsWith(prefix));
    for (const prefix of ['b', 'h'])
      expect(
        users(prefix).some((user) => overlapping(history.filter((op) => op.user === user))),
        `a ${prefix === 'b' ? 'browser' : 'HTTP'} user's ops overlap`,
      ).to.equal(true);
  });

  it('atomic appends: no save drops an item, and no lost update or lost write is found', async () => {
    const { history, anomalies, lost, result } = await runOnRedis(
      'SESSION_WRITES=atomic APP_LOG_OVERWRITES=1',
    );
    expect(history.filter((op) => op.op === 'add').length, 'adds').to.be.at.least(200);
    expect(lost).to.deep.equal([]);
    expect(anomalies.map((a) => a.message)).to.deep.equal([]);
    expect(result?.lostUpdates).to.equal(0);
  });

  it('the parallel-tabs experiment: whole-session saves lose updates, atomic appends do not', async () => {
    const strategies = ['sticky', 'redis', 'redis-atomic'].flatMap((s) => ['--strategy', s]);
    const run = await runExperiments(['parallel-tabs'], 4, strategies);
    expect(run.code, run.stdout).to.equal(0);
    const verdicts = run.summary.results.map((r) => `${r.strategy} ${r.verdict}`);
    expect(verdicts).to.deep.equal(['sticky pass', 'redis pass', 'redis-atomic pass']);
  });
});
