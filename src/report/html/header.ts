/** The top of the report: what ran, when, the overall verdict, and what needs attention. */

import type { RunSummary } from '../../model/run.ts';
import { anomalyTally } from './anomalies.ts';
import { esc } from './escape.ts';
import { badge, caseLabel, dateTime, elapsed, int, overallVerdict } from './format.ts';
import { experimentId } from './ids.ts';
import type { IndexedCase } from './tables.ts';

function fact(label: string, value: string): string {
  return `<div><dt>${esc(label)}</dt><dd>${value}</dd></div>`;
}

function verdictCounts(cases: IndexedCase[]): string {
  const n = (v: string) => cases.filter((c) => c.result.verdict === v).length;
  return `${int(n('pass'))} pass · ${int(n('fail'))} fail · ${int(n('unknown'))} unknown`;
}

/** Every failed or undecided expectation, linked to its case: the short answer to "what went wrong". */
function attention(cases: IndexedCase[]): string {
  const items: string[] = [];
  let failed = false;
  for (const { result: c, id } of cases) {
    for (const e of c.expectations) {
      if (e.ok === true) continue;
      failed ||= e.ok === false;
      const state = e.ok === false ? 'failed' : 'undecided';
      items.push(
        `<li><a href="#${esc(id)}">${esc(c.experiment)} · ${caseLabel(c)}</a> — ${state}: ` +
          `<b>${esc(e.name)}</b>${e.detail ? ` — ${esc(e.detail)}` : ''}</li>`,
      );
    }
    if (c.checkerErrors.length > 0) {
      items.push(
        `<li><a href="#${esc(id)}">${esc(c.experiment)} · ${caseLabel(c)}</a> — ` +
          `${int(c.checkerErrors.length)} checker(s) crashed; their findings are unknown</li>`,
      );
    }
  }
  if (items.length === 0) return '';
  const cls = failed ? 'attention' : 'attention unknown-only';
  return `<section class="${cls}"><h4>Needs attention</h4><ul>${items.join('')}</ul></section>`;
}

function toc(experiments: Map<string, IndexedCase[]>): string {
  if (experiments.size === 0) return '';
  const parts = [...experiments].map(([name, cases]) => {
    const links = cases.map(({ result, id }) => `<a href="#${esc(id)}">${caseLabel(result)}</a>`).join(' ');
    return `<a href="#${esc(experimentId(name))}"><b>${esc(name)}</b></a>: ${links}`;
  });
  return `<nav class="toc">${parts.join(' &nbsp;|&nbsp; ')}</nav>`;
}

/** A run folder that does not hold its whole run says so first: what it proves is only part of it. */
function incomplete(summary: RunSummary): string {
  if (!summary.incomplete) return '';
  const { reasons, missingCases } = summary.incomplete;
  const missing = missingCases.length
    ? `<p>Never started: ${missingCases.map((dir) => `<code>${esc(dir)}</code>`).join(', ')}</p>`
    : '';
  return `<section class="attention incomplete"><h4>INCOMPLETE run</h4><ul>${reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>${missing}</section>`;
}

export function runHeader(
  summary: RunSummary,
  title: string,
  cases: IndexedCase[],
  experiments: Map<string, IndexedCase[]>,
): string {
  const verdict = summary.incomplete ? 'unknown' : overallVerdict(cases.map((c) => c.result.verdict));
  const verdictBadge = badge(verdict, summary.incomplete ? 'incomplete' : verdict);
  const sum = (f: (c: IndexedCase) => number) => cases.reduce((acc, c) => acc + f(c), 0);
  const strategies = new Set(cases.map((c) => c.result.strategy));
  const tally = (part: 'unexpected' | 'expected' | 'errors') => sum((c) => anomalyTally(c.result)[part]);
  return [
    '<header>',
    `<div class="title-row"><h1>${esc(title)}</h1>${verdictBadge.replace('class="badge', 'class="badge big')}</div>`,
    '<dl class="facts">',
    fact('Started', esc(dateTime(summary.startedAt))),
    fact(
      'Duration',
      summary.finishedAt === null ? 'never ended' : esc(elapsed(summary.startedAt, summary.finishedAt)),
    ),
    fact('Runtime', esc(summary.runtime)),
    fact('Cases', `${int(cases.length)} <span class="note">${verdictCounts(cases)}</span>`),
    fact('Experiments × strategies', `${int(experiments.size)} × ${int(strategies.size)}`),
    fact('Users / ops', `${int(sum((c) => c.result.users))} / ${int(sum((c) => c.result.ops))}`),
    fact('Unexpected anomalies', int(tally('unexpected'))),
    fact(
      'Expected effects',
      `${int(tally('expected'))} <span class="note">what the experiments set out to show</span>`,
    ),
    fact('Errors', int(tally('errors'))),
    '</dl>',
    incomplete(summary),
    attention(cases),
    toc(experiments),
    '<noscript><p class="note">Charts need JavaScript; every table works without it.</p></noscript>',
    '</header>',
  ].join('');
}
