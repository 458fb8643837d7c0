/** "Since the baseline": the first thing a compared run answers, what got worse and what got better. */
import type { Comparison } from '../../model/comparison.ts';
import { caseName, changes, comparisonHeadline, verdicts } from '../comparison-text.ts';
import { esc } from './escape.ts';
import { badge } from './format.ts';

export function sinceBaselineSection(c: Comparison | undefined): string {
  if (!c) return '';
  const ordered = [...c.cases].sort((a, b) => Number(b.regressed) - Number(a.regressed));
  const rows = ordered.map((k) => {
    const { status, worse, better } = changes(k);
    const mark = k.regressed
      ? badge('fail', status)
      : badge(k.verdictChange === 'improved' ? 'pass' : 'unknown', status);
    return `<tr><th scope="row">${esc(caseName(k))}</th><td>${mark}</td><td>${esc(verdicts(k))}</td><td>${esc(worse || '–')}</td><td>${esc(better || '–')}</td></tr>`;
  });
  const table =
    rows.length === 0
      ? ''
      : `<div class="table-wrap"><table class="matrix"><thead><tr><th>case</th><th>change</th><th>verdict</th><th>worse</th><th>better</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
  const verdict = c.error ? 'unknown' : c.regressions > 0 ? 'fail' : 'pass';
  return [
    '<section class="experiment" id="since-baseline">',
    `<h2>Since the baseline ${badge(verdict, c.error ? 'not compared' : c.regressions > 0 ? `${c.regressions} worse` : 'nothing worse')}</h2>`,
    `<p>${esc(comparisonHeadline(c))}</p>`,
    table,
    '<p class="note">A metric is worse by its 95 % intervals when both runs have repeats (they do not overlap), else by the single-run rule of docs/ci.md.</p>',
    '</section>',
  ].join('');
}
