/** The node-crash experiment end to end on none, sticky and redis: who is logged out, the fault ledger, the
 * saved histories and final reads, and the files a run writes. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { readHistory } from '../../src/history/reader.ts';
import type { RunSummary } from '../../src/model/run.ts';
import { runExperiments } from '../helpers/chaos-run.ts';

describe('end to end: node-crash, quick profile, none vs sticky vs redis', function () {
  this.timeout(420_000);
  let code: number | null = null;
  let stdout = '';
  let runDir = '';
  let summary: RunSummary;

  before(async () => {
    ({ code, stdout, runDir, summary } = await runExperiments(['node-crash'], 7, [
      '--strategy',
      'none,sticky,redis',
    ]));
  });

  const result = (strategy: string) => {
    const found = summary.results.find((r) => r.strategy === strategy);
    if (!found) throw new Error(`no result for ${strategy}`);
    return found;
  };

  it('meets every expectation: exit code 0', () => {
    expect(summary.results.map((r) => [r.strategy, r.verdict])).to.deep.equal([
      ['none', 'pass'],
      ['sticky', 'pass'],
      ['redis', 'pass'],
    ]);
    expect(code).to.equal(0);
  });

  it('none: the baseline logs users out all the time', () => {
    expect(result('none').logouts).to.be.greaterThan(result('none').users);
  });

  it('sticky: logs out only the users pinned to the killed node', () => {
    const sticky = result('sticky');
    expect(sticky.faults.map((f) => f.kind)).to.deep.equal(['kill-node']);
    expect(sticky.loggedOutUsers).to.be.within(1, sticky.users - 1);
    expect(sticky.expectations.every((e) => e.ok)).to.equal(true);
  });

  it('redis: nobody is logged out, nothing stale, nothing lost', () => {
    expect(result('redis')).to.include({ logouts: 0, staleReads: 0, lostWrites: 0 });
  });

  it('killed and healed a node in every case, recorded in the ledger with times', () => {
    for (const r of summary.results) {
      const [fault] = r.faults;
      expect(fault?.kind).to.equal('kill-node');
      expect(fault?.at).to.be.within(9, 12);
      expect(fault?.healedAt).to.be.greaterThan(fault?.at ?? Infinity);
      expect(Object.keys(r.requestsByNode)).to.deep.equal(['app-1', 'app-2', 'app-3']);
    }
  });

  it('saved a history per case with browser and HTTP users, a final read each, a second look a second later', () => {
    for (const r of summary.results) {
      const history = readHistory(join(runDir, r.dir, 'history.jsonl'));
      expect(new Set(history.map((op) => op.client))).to.deep.equal(new Set(['browser', 'http']));
      expect(new Set(history.filter((op) => op.client === 'browser').map((op) => op.user)).size).to.equal(6);
      const finals = history.filter((op) => op.final);
      expect(new Set(finals.map((op) => op.user)).size, r.strategy).to.equal(36);
      for (const user of new Set(finals.map((op) => op.user))) {
        const [first, second] = finals.filter((op) => op.user === user && op.op === 'read');
        if (second) expect(second.start - (first?.end ?? 0), `${r.strategy} ${user}`).to.be.at.least(999);
      }
      expect(r.undecidedUsers, `${r.strategy}: every user's final reads answered`).to.equal(0);
    }
  });

  it('redis: every final read is a successful view of the whole cart, so none needed a second look', () => {
    const history = readHistory(join(runDir, result('redis').dir, 'history.jsonl'));
    const finals = history.filter((op) => op.final);
    expect(finals.length).to.equal(36);
    expect(finals.filter((op) => op.outcome !== 'ok' || !op.read).map((op) => op.error)).to.deep.equal([]);
  });

  it('wrote summary.json, junit.xml, index.html and printed the table and the report path', () => {
    const junit = readFileSync(join(runDir, 'junit.xml'), 'utf8');
    expect(junit.match(/<testcase /g)?.length).to.equal(1 + 2 + 3);
    expect(existsSync(join(runDir, 'index.html'))).to.equal(true);
    expect(stdout).to.match(/node-crash\s+sticky\s+PASS/);
    expect(stdout).to.match(/report: .*index\.html/);
  });
});
