/** The top of the report: expected effects told from unexpected anomalies, the strategy × experiment matrix,
 * and claims confirmed, refuted or not measured from the run. */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { decideClaims } from '../../src/checkers/claims.ts';
import { expectedKinds } from '../../src/checkers/expected-effects.ts';
import { aggregateRepeats } from '../../src/checkers/repeats.ts';
import type { RunSummary } from '../../src/model/run.ts';
import { renderReport } from '../../src/report/html/render.ts';

const FIXTURE = new URL('../fixtures/summary-sample.json', import.meta.url);
const ASSETS = { chartJs: '' };

/** The fixture's run, its none case expected to log users out (as node-crash says of none). */
function sample(): RunSummary {
  const summary = JSON.parse(readFileSync(FIXTURE, 'utf8')) as RunSummary;
  const results = summary.results.map((r) => ({
    ...r,
    expectedKinds: r.strategy === 'none' ? expectedKinds([{ metric: 'logouts', atLeast: 1 }]) : [],
  }));
  return { ...summary, results, aggregates: aggregateRepeats(results) };
}

const text = (html: string): string => html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');

describe('the report opens with the comparison', () => {
  it('tells expected effects from anomalies nobody asked for, and errors from both, in the header', () => {
    const summary = sample();
    const [logouts, stale, lost, errors] = ['logouts', 'staleReads', 'lostWrites', 'errors'].map((k) =>
      summary.results.map((r) => r[k as 'logouts']),
    ) as [number[], number[], number[], number[]];
    const none = summary.results.findIndex((r) => r.strategy === 'none');
    const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    const header = text(renderReport(summary, ASSETS).split('</header>')[0] ?? '');
    expect(header).to.contain(`Expected effects ${logouts[none]}`);
    expect(header).to.contain(`Errors ${sum(errors)}`);
    const unexpected = sum(logouts) - (logouts[none] ?? 0) + sum(stale) + sum(lost);
    expect(header).to.contain(`Unexpected anomalies ${unexpected}`);
  });

  it('shows a strategy × experiment matrix first: each cell its verdict as text and the key figure, linked to its case', () => {
    const html = renderReport(sample(), ASSETS);
    const overview = html.match(/<table class="matrix overview">[\s\S]*?<\/table>/)?.[0] ?? '';
    expect(html.indexOf('id="overview"')).to.be.lessThan(html.indexOf('class="experiment"'));
    const rows = (overview.match(/<tr>[\s\S]*?<\/tr>/g) ?? []).slice(1).map(text);
    expect(rows.map((r) => r.trim().split(' ')[0])).to.deep.equal(['none', 'sticky', 'redis']);
    expect(rows[0]).to.match(/(pass|fail|unknown) logged out \d+ %/);
    for (const href of overview.match(/href="#([^"]+)"/g) ?? [])
      expect(html, href).to.contain(`id="${href.slice(7, -1)}"`);
  });

  it('counts an effect as expected only when an expectation requires it', () => {
    expect(
      expectedKinds([
        { metric: 'loggedOutShare', equals: 1 },
        { metric: 'errors', atLeast: 1 },
      ]),
    ).to.deep.equal(['logout', 'error']);
    expect(
      expectedKinds([
        { metric: 'logouts', equals: 0 },
        { metric: 'lostWrites', atMost: 20 },
      ]),
    ).to.deep.equal([]);
  });
});

describe('claims, decided from the run by declared rules', () => {
  const claim = (summary: RunSummary, id: string) => decideClaims(summary.results).find((c) => c.id === id);

  it('confirms what the cases show, naming the figure and the cases', () => {
    const c = claim(sample(), 'round-robin-loses-sessions');
    expect(c?.status).to.equal('confirmed');
    expect(c?.figure).to.match(/^\d+ % of users logged out$/);
    expect(c?.cases).to.deep.equal(
      sample()
        .results.filter((r) => r.strategy === 'none')
        .map((r) => r.dir),
    );
  });

  it('refutes a claim the data contradicts, and says "not measured" where no case measured it', () => {
    const summary = sample();
    const tidy = { ...summary, results: summary.results.map((r) => ({ ...r, loggedOutUsers: 0 })) };
    expect(claim(tidy, 'round-robin-loses-sessions')?.status).to.equal('refuted');
    expect(claim(summary, 'all-to-all-memory-grows')).to.include({ status: 'not measured', figure: '' });
  });

  it('lists every claim in the report, linked to the cases that measured it', () => {
    const summary = sample();
    const html = renderReport({ ...summary, claims: decideClaims(summary.results) }, ASSETS);
    const table = html.match(/<table class="matrix claims">[\s\S]*?<\/table>/)?.[0] ?? '';
    expect(table.match(/<tr><th scope="row">/g)?.length).to.equal(decideClaims([]).length);
    expect(text(table))
      .to.contain('Round-robin without shared sessions loses sessions')
      .and.contain('confirmed');
  });
});
