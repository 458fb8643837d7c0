/** Browser traces (--trace): which users' traces each mode keeps, what is deleted, and the report's link from
 * an anomaly to its trace. */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { oneOf } from '../../src/cli/args.ts';
import type { Anomaly } from '../../src/model/anomaly.ts';
import { TRACE_MODES } from '../../src/model/run.ts';
import { anomaliesSection, SHOW_TRACE } from '../../src/report/html/anomalies.ts';
import { decideTraces, pruneTraces, tracedUsers } from '../../src/run/traces.ts';
import { tags } from '../helpers/html.ts';
import { scratchDir } from '../helpers/scratch.ts';

const traced = ['b01', 'b02', 'b03'];

describe('browser traces (--trace)', () => {
  it('anomalies keeps the traces of users with an anomaly, all keeps every one, off none', () => {
    const withAnomaly = new Set(['b02', 'h07']);
    expect(decideTraces('anomalies', traced, withAnomaly)).to.deep.equal({
      keep: ['b02'],
      drop: ['b01', 'b03'],
    });
    expect(decideTraces('anomalies', traced, new Set())).to.deep.equal({ keep: [], drop: traced });
    expect(decideTraces('all', traced, new Set())).to.deep.equal({ keep: traced, drop: [] });
    expect(decideTraces('off', traced, withAnomaly)).to.deep.equal({ keep: [], drop: traced });
  });

  it('keeps every trace when a crashed checker left the anomalies unknown', () => {
    expect(decideTraces('anomalies', traced, null)).to.deep.equal({ keep: traced, drop: [] });
  });

  it('deletes the traces it does not keep, and the traces folder once it is empty', () => {
    const dir = scratchDir('traces');
    mkdirSync(join(dir, 'traces'));
    for (const user of ['b10', 'b02', 'b01']) writeFileSync(join(dir, 'traces', `${user}.zip`), 'zip');
    expect(tracedUsers(dir), 'in name order').to.deep.equal(['b01', 'b02', 'b10']);
    expect(pruneTraces(dir, 'anomalies', new Set(['b10']))).to.deep.equal(['b10']);
    expect(readdirSync(join(dir, 'traces'))).to.deep.equal(['b10.zip']);
    expect(pruneTraces(dir, 'anomalies', new Set(['b01']))).to.deep.equal([]);
    expect(existsSync(join(dir, 'traces')), 'the empty folder').to.equal(false);
    expect(pruneTraces(dir, 'all', null), 'a case without traces').to.deep.equal([]);
  });

  it('names the flag and the allowed values for a bad mode', () => {
    expect(oneOf('--trace', undefined, TRACE_MODES, 'anomalies')).to.equal('anomalies');
    expect(() => oneOf('--trace', 'some', TRACE_MODES, 'anomalies')).to.throw(
      '--trace "some": use one of all, anomalies, off',
    );
  });

  it("links a browser user's anomaly to its kept trace, titled with the command that opens it", () => {
    const anomaly = (user: string): Anomaly => ({
      kind: 'logout',
      user,
      at: 1200,
      message: 'read found no session',
      witness: [],
    });
    const limits = { perKind: 10, witnessOps: 5, users: 10 };
    const html = anomaliesSection(
      [anomaly('b01'), anomaly('b02'), anomaly('h01')],
      limits,
      {},
      {
        dir: 'node-crash/all-to-all-sync r#1',
        users: ['b02'],
      },
    );
    const links = tags(html, 'a').filter((a) => a.class === 'trace');
    expect(links.map((a) => a.href)).to.deep.equal(['node-crash/all-to-all-sync%20r%231/traces/b02.zip']);
    expect(links[0]?.title).to.contain(`${SHOW_TRACE} node-crash/all-to-all-sync r#1/traces/b02.zip`);
    expect(tags(anomaliesSection([anomaly('b02')], limits), 'a'), 'no traces given').to.deep.equal([]);
  });
});
