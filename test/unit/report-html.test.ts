/** The HTML report's rendering: self-contained, with the strategy matrix, faults, expectations, embedded
 * chart data, escaping everywhere, and anomalies grouped and capped. */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { Anomaly } from '../../src/model/anomaly.ts';
import type { CaseResult } from '../../src/model/case.ts';
import type { Op } from '../../src/model/op.ts';
import type { RunSummary } from '../../src/model/run.ts';
import { loadReportAssets } from '../../src/report/html/assets.ts';
import { esc, jsonForScript, scriptSource } from '../../src/report/html/escape.ts';
import { renderReport } from '../../src/report/html/render.ts';
import { summaryOf } from '../helpers/summary.ts';

const FIXTURE = new URL('../fixtures/summary-sample.json', import.meta.url);
const FAKE_ASSETS = { chartJs: '/* fake chart.js */ window.Chart = function () {};' };

function sample(): RunSummary {
  return JSON.parse(readFileSync(FIXTURE, 'utf8')) as RunSummary;
}

function caseOf(s: RunSummary, strategy: string, repeat = 0): CaseResult {
  const c = s.results.find((r) => r.strategy === strategy && r.repeat === repeat);
  if (!c) throw new Error(`fixture has no ${strategy}/${repeat}`);
  return c;
}

const text = (html: string) =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();

/** Rows of the strategies × anomalies table(s): [cell text...] per row, and the raw cells' HTML. */
function matrixRows(html: string): { cells: string[]; raw: string[] }[] {
  const tables = html.match(/<table class="matrix">[\s\S]*?<\/table>/g) ?? [];
  return tables.flatMap((t) =>
    (t.match(/<tbody>[\s\S]*<\/tbody>/)?.[0].match(/<tr[\s\S]*?<\/tr>/g) ?? []).map((row) => {
      const raw = row.match(/<t[hd][^>]*>[\s\S]*?<\/t[hd]>/g) ?? [];
      return { cells: raw.map(text), raw };
    }),
  );
}

function embeddedData(html: string): { cases: { id: string; nodes: Record<string, number[]> }[] } {
  const m = html.match(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/);
  expect(m, 'embedded data').to.not.equal(null);
  return JSON.parse(m?.[1] ?? '');
}

function op(user: string, start: number, extra: Partial<Op> = {}): Op {
  return {
    user,
    client: 'http',
    op: 'read',
    start,
    end: start + 4,
    node: 'app-1',
    status: 401,
    outcome: 'fail',
    epoch: 1,
    ...extra,
  };
}

function anomaly(i: number, witnessOps = 3): Anomaly {
  const user = `user-${i % 37}`;
  return {
    kind: 'logout',
    user,
    at: 1000 + i * 10,
    message: `read ${i} found no session`,
    witness: Array.from({ length: witnessOps }, (_, k) => op(user, 1000 + i * 10 + k)),
  };
}

describe('report/html renderReport', () => {
  it('renders one self-contained document with no external resource references', async () => {
    const html = renderReport(sample(), await loadReportAssets());
    expect(html.startsWith('<!doctype html>')).to.equal(true);
    expect(html).to.include('Chart.js v4');
    expect(html).to.not.match(/sourceMappingURL/);
    // No attribute, CSS url() or import pointing anywhere but this file.
    expect(html).to.not.match(
      /\b(?:src|href|action|srcset|poster|data|xlink:href)\s*=\s*["']?\s*(?:[a-z]+:)?\/\//i,
    );
    expect(html).to.not.match(/url\(\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).to.not.match(/@import/i);
    expect(html).to.not.match(/<(?:link|iframe|img|object|embed)\b/i);
    expect(html).to.not.match(/<script[^>]*\ssrc=/i);
    expect(html.match(/<script\b/g)).to.have.length(3); // data, Chart.js, the chart code
    expect(html.match(/<\/script>/g)).to.have.length(3);
  });

  it('shows the per-strategy numbers in the matrix, highlighting non-zero anomalies', () => {
    const s = sample();
    const html = renderReport(s, FAKE_ASSETS);
    const rows = matrixRows(html);
    expect(rows.map((r) => r.cells[0])).to.deep.equal(['none', 'sticky', 'redis', 'redis repeat 1']);
    const sticky = caseOf(s, 'sticky');
    const row = rows[1];
    expect(row?.cells.slice(0, 6)).to.deep.equal([
      'sticky',
      'fail',
      String(sticky.users),
      String(sticky.ops),
      String(sticky.logouts),
      `${sticky.loggedOutUsers} ${Math.round((sticky.loggedOutUsers / sticky.users) * 100)}%`,
    ]);
    expect(row?.cells[7]).to.equal(String(sticky.monotonicWrites + sticky.writesFollowReads));
    expect(row?.cells[8]).to.equal(String(sticky.lostWrites));
    expect(row?.cells[9]).to.equal(String(sticky.lostUpdates ?? 0));
    expect(row?.cells[11]).to.equal(String(sticky.errors));
    expect(row?.cells[13]).to.equal(sticky.imbalance.toFixed(2));
    expect(row?.raw[4]).to.match(/class="num bad"/); // logouts > 0
    expect(row?.raw[6]).to.match(/class="num zero"/); // stale reads = 0
    expect(rows[2]?.raw[4]).to.match(/class="num zero"/); // redis: no logouts
    expect(row?.raw[0]).to.include('href="#case-node-crash-sticky"');
    expect(html).to.include('id="case-node-crash-sticky"');
    expect(html).to.include('id="case-node-crash-redis-r1"');
  });

  it('shows the header, expectations, faults, folder links and checker errors', () => {
    const html = renderReport(sample(), FAKE_ASSETS, { title: 'Nightly chaos' });
    expect(html).to.include('<title>Nightly chaos</title>');
    expect(html).to.include('2025-06-02 09:14:05 UTC');
    expect(html).to.include('5 min 36 s');
    expect(html).to.match(/<span class="badge big fail">fail<\/span>/);
    expect(text(html)).to.include('2 pass · 1 fail · 1 unknown');
    expect(html).to.include('Needs attention');
    expect(html).to.include('✗ failed');
    expect(html).to.include('? unknown');
    expect(html).to.include('kill-node</b> → <code>app-2</code> at 20.0 s, healed at 40.0 s');
    expect(html).to.include('href="node-crash/sticky/history.jsonl"');
    expect(html).to.include('Checkers crashed');
    expect(html).to.include('stale-read: TypeError');
    expect(
      html.match(/<canvas /g),
      "two charts per case, one comparing the experiment's strategies",
    ).to.have.length(9);
  });

  it('embeds the chart data as parseable JSON, one entry per case', () => {
    const s = sample();
    const data = embeddedData(renderReport(s, FAKE_ASSETS));
    expect(data.cases.map((c) => c.id)).to.deep.equal([
      'case-node-crash-none',
      'case-node-crash-sticky',
      'case-node-crash-redis',
      'case-node-crash-redis-r1',
    ]);
    expect(data.cases[1]?.nodes).to.deep.equal(caseOf(s, 'sticky').timeline.nodes);
    expect(JSON.stringify(data)).to.not.include('witness'); // anomalies stay out of the JSON
  });

  it('escapes names everywhere, in HTML and in the embedded JSON', () => {
    const s = sample();
    const evil = '<script>alert("x")</script>';
    const sticky = caseOf(s, 'sticky');
    const first = sticky.anomalies[0] as Anomaly;
    first.user = evil;
    first.message = `message with ${evil}`;
    for (const w of first.witness) w.user = evil;
    sticky.strategy = '<img src=x onerror=alert(1)>';
    sticky.expectations[0] = { name: 'n & <b>', ok: false, detail: '</script><script>alert(2)</script>' };
    sticky.timeline.nodes[evil] = [1, 2, 3];
    sticky.dir = '../"><script>x</script>';
    const html = renderReport(s, FAKE_ASSETS);
    expect(html).to.not.include('<script>alert');
    expect(html).to.not.include('<img');
    expect(html).to.include('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).to.include('n &amp; &lt;b&gt;');
    expect(html.match(/<script\b/g)).to.have.length(3);
    const data = embeddedData(html);
    expect(Object.keys(data.cases[1]?.nodes ?? {})).to.include(evil);
    expect(html).to.include('href="../%22%3E%3Cscript%3Ex%3C/script%3E/history.jsonl"');
  });

  it('caps anomalies per kind and witness ops per anomaly', () => {
    const s = sample();
    const c = caseOf(s, 'none');
    c.anomalies = Array.from({ length: 500 }, (_, i) => anomaly(i, i === 0 ? 40 : 3));
    const base = renderReport({ ...s, results: [{ ...c, anomalies: [] }] }, FAKE_ASSETS);
    const html = renderReport({ ...s, results: [c] }, FAKE_ASSETS);
    expect(html.match(/<tr class="anomaly">/g)).to.have.length(20);
    expect(html).to.include('and 480 more logouts not shown');
    expect(html).to.include('and 28 more ops');
    expect(text(html)).to.include('37 users: user-0, user-1, user-2');
    expect(html.length - base.length).to.be.below(60_000);
    const five = renderReport({ ...s, results: [c] }, FAKE_ASSETS, { anomaliesPerKind: 5 });
    expect(five.match(/<tr class="anomaly">/g)).to.have.length(5);
  });

  it('groups anomalies by kind in a fixed order, earliest first', () => {
    const s = sample();
    const c = caseOf(s, 'redis');
    c.anomalies = [
      { kind: 'error', user: 'a', at: 5, message: 'err', witness: [op('a', 1, { status: 503, node: null })] },
      {
        kind: 'partial-session',
        user: 'b',
        at: 9,
        message: 'partial',
        witness: [op('b', 8, { read: { user: null, items: ['i1'], version: 2 } })],
      },
      { kind: 'stale-read', user: 'c', at: 7, message: 'stale later', witness: [] },
      { kind: 'stale-read', user: 'c', at: 3, message: 'stale first', witness: [] },
    ];
    const html = renderReport({ ...s, results: [c] }, FAKE_ASSETS);
    const order = ['Stale reads', 'Partial sessions', 'Errors'].map((k) => html.indexOf(`<h5>${k}`));
    expect(order.every((i) => i > 0)).to.equal(true);
    expect(order).to.deep.equal([...order].sort((a, b) => a - b));
    expect(html.indexOf('stale first')).to.be.below(html.indexOf('stale later'));
    expect(html).to.include('user=null [i1] v2');
    expect(html).to.include('no witness ops');
  });

  it('renders an empty run', () => {
    const html = renderReport(summaryOf([]), FAKE_ASSETS);
    expect(html).to.include('No results in this run.');
    expect(html).to.match(/<span class="badge big unknown">unknown<\/span>/);
    expect(embeddedData(html)).to.deep.equal({ cases: [], experiments: [] });
    expect(html).to.not.include('<canvas');
  });

  it('renders a case without timeline, requests or anomalies', () => {
    const s = sample();
    const c: CaseResult = {
      ...caseOf(s, 'redis'),
      anomalies: [],
      requestsByNode: {},
      timeline: { bucketS: 1, nodes: {}, logouts: [], errors: [] },
      faults: [],
      expectations: [],
      dir: '',
    };
    const html = renderReport({ ...s, results: [c] }, FAKE_ASSETS);
    expect(html).to.include('No timeline recorded.');
    expect(html).to.include('No requests recorded.');
    expect(html).to.include('No anomalies found.');
    expect(html).to.include('No expectations for this strategy.');
    expect(html).to.not.include('<canvas');
    expect(html).to.match(/<span class="badge big pass">pass<\/span>/);
  });

  it('keeps inline scripts and JSON from closing their element', () => {
    expect(scriptSource('a = "</script><b>"; // x\n//# sourceMappingURL=chart.js.map\n')).to.equal(
      'a = "<\\/script><b>"; // x\n\n',
    );
    expect(jsonForScript({ s: '</script><!--' })).to.equal('{"s":"\\u003c/script\\u003e\\u003c!--"}');
    expect(esc(`<a href="x">'&'</a>`)).to.equal('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
