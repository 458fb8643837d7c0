/** The report's swimlanes: each user's ops folded into runs per node and login, lanes ordered by anomalies,
 * drawn under the fault band, and none when nobody was hit. */
import { expect } from 'chai';
import { parse } from 'node-html-parser';
import { checkCase } from '../../src/checkers/check-case.ts';
import { chooseLanes, LANE_BEFORE_MS, LaneBuilder, RUNS_PER_LANE } from '../../src/checkers/lanes.ts';
import { faultRecords } from '../../src/faults/ledger.ts';
import type { Anomaly } from '../../src/model/anomaly.ts';
import { CLIENT_SCRIPT } from '../../src/report/html/client.ts';
import { NODE_PALETTE, nodeColors } from '../../src/report/html/node-colors.ts';
import { renderReport } from '../../src/report/html/render.ts';
import { laneText } from '../../src/report/html/swimlanes.ts';
import { add, login, noSession, read } from '../helpers/ops.ts';
import { caseRecord } from '../helpers/records.ts';
import { summaryOf } from '../helpers/summary.ts';

const record = caseRecord({ expectations: [{ metric: 'logouts', atLeast: 1 }] });

/** u1 pinned to app-2, which dies at 10 s: its next op lands on app-1 with no session, and it logs in again. */
const pinned = [
  login(0, { node: 'app-2' }),
  add(1000, 'u1-1', ['u1-1'], { node: 'app-2' }),
  read(6000, ['u1-1'], { node: 'app-2' }),
  noSession(10_500, { node: 'app-1' }),
  login(10_600, { node: 'app-1', epoch: 2 }),
  read(12_000, [], { node: 'app-1', epoch: 2 }),
];
const untouched = [login(0, { user: 'u2', node: 'app-1' }), read(11_000, [], { user: 'u2', node: 'app-1' })];
const faults = faultRecords([
  { event: 'inject', id: 0, kind: 'kill-node', target: 'app-2', at: 10 },
  { event: 'effect', id: 0, at: 10, observed: true, evidence: 'app-2 exited' },
  { event: 'healed', id: 0, at: 15 },
]);

describe('users as swimlanes', () => {
  const { result } = checkCase(record, [...pinned, ...untouched], faults);

  it('folds each user’s ops into runs on one node, one login, one outcome; a logout is a run of its own', () => {
    const [lane] = result.lanes ?? [];
    expect(
      result.lanes?.map((l) => l.user),
      'only the user behind the anomaly',
    ).to.deep.equal(['u1']);
    expect(lane?.runs.map((r) => [r.node, r.epoch, r.ops, r.loggedOut ?? false])).to.deep.equal([
      ['app-2', 1, 3, false],
      ['app-1', 1, 1, true],
      ['app-1', 2, 2, false],
    ]);
    expect(laneText(lane ?? { user: '', runs: [], truncated: false })).to.equal(
      'app-2 (login 1) 0.0–6.0 s → no session on app-1 at 10.5 s → app-1 (login 2) 10.6–12.0 s',
    );
  });

  it('keeps users with unexpected anomalies first, then in the order they were hit; caps runs per lane', () => {
    const hit = (user: string, kind: Anomaly['kind'], at: number): Anomaly => ({
      kind,
      user,
      at,
      message: '',
      witness: [],
    });
    const anomalies = [hit('a', 'logout', 100), hit('b', 'logout', 50), hit('c', 'stale-read', 900)];
    const lanes = chooseLanes({}, anomalies, ['logout']);
    expect(lanes.map((l) => l.user)).to.deep.equal(['c', 'b', 'a']);
    const builder = new LaneBuilder();
    for (let i = 0; i < 300; i += 1) builder.add({ ...read(i * 100, []), node: i % 2 ? 'app-1' : 'app-2' });
    const [capped] = chooseLanes(builder.state(), [hit('u1', 'logout', 20_000)], []);
    expect(capped?.runs[0]?.from, 'from a little before the anomaly').to.equal(20_000 - LANE_BEFORE_MS);
    expect(capped?.runs.length).to.equal(81);
    expect(capped?.truncated).to.equal(false);
    const [long] = chooseLanes(builder.state(), [hit('u1', 'logout', 6000), hit('u1', 'logout', 25_000)], []);
    expect(long?.runs.length).to.equal(RUNS_PER_LANE);
    expect(long?.truncated).to.equal(true);
  });

  it('draws each lane under the fault band, every run titled, in the nodes’ colours of the charts', () => {
    const html = renderReport(summaryOf([result]), { chartJs: '' });
    const svg = parse(html).querySelector('svg.swimlanes');
    expect(svg, 'the swimlanes figure').to.not.equal(null);
    const titles = svg?.querySelectorAll('rect title').map((t) => t.text) ?? [];
    expect(titles).to.include('kill-node → app-2 10.0 s–15.0 s');
    expect(titles).to.include('app-1 · no session (logged out) · 10.5–10.5 s · login 1');
    const colors = nodeColors([result]);
    const fills = svg?.querySelectorAll('rect[fill]').map((r) => r.getAttribute('fill'));
    expect(fills).to.include(colors['app-2']);
    expect(parse(html).querySelector('ul.lane-text')?.text).to.contain('no session on app-1 at 10.5 s');
    expect(CLIENT_SCRIPT, 'the charts use the same palette').to.contain(
      `[${NODE_PALETTE.map((c) => `'${c}'`).join(', ')}]`,
    );
  });

  it('a case where nobody was hit has no swimlanes', () => {
    const { result: calm } = checkCase({ ...record, expectations: [] }, untouched, []);
    expect(calm.lanes).to.deep.equal([]);
    expect(renderReport(summaryOf([calm]), { chartJs: '' })).to.not.contain('svg class="swimlanes"');
  });
});
