/** Repeats of one experiment: each strategy's verdict over all repeats, and metrics with 95 % intervals. */
import type { CaseAggregate, Estimate } from '../../model/run.ts';
import { INTERVALS_NOTE } from '../intervals-note.ts';
import { esc } from './escape.ts';
import { badge, fixed } from './format.ts';

/** The metrics shown, with how to print their values. */
const SHOWN: [string, string, (v: number) => string][] = [
  ['loggedOutShare', 'Logged-out users', (v) => `${fixed(v * 100, 1)} %`],
  ['logouts', 'Logouts', (v) => fixed(v, 1)],
  ['staleReads', 'Stale reads', (v) => fixed(v, 1)],
  ['lostWrites', 'Lost writes', (v) => fixed(v, 1)],
  ['errorShare', 'Errors (share of ops)', (v) => `${fixed(v * 100, 2)} %`],
  ['p50Ms', 'p50 ms', (v) => fixed(v, 1)],
];

function estimate(e: Estimate | undefined, show: (v: number) => string): string {
  if (!e) return '<td class="num">–</td>';
  const interval =
    e.low === null || e.high === null ? '' : ` <span class="share">[${show(e.low)}, ${show(e.high)}]</span>`;
  return `<td class="num">${show(e.mean)}${interval}</td>`;
}

function row(a: CaseAggregate): string {
  const flaky = a.flaky
    ? ` <span class="state undecided" title="${esc(a.verdicts.join(', '))}">FLAKY</span>`
    : '';
  return [
    `<tr class="verdict-${esc(a.verdict)}"><th scope="row">${esc(a.strategy)}</th>`,
    `<td>${badge(a.verdict)}${flaky}</td><td class="num">${a.repeats}</td>`,
    ...SHOWN.map(([name, , show]) => estimate(a.metrics[name], show)),
    '</tr>',
  ].join('');
}

/**
 * The table of an experiment's repeats, when it was repeated: mean and 95 % interval per metric (over the
 * per-repeat values), and the verdict over all repeats, flagged FLAKY when they differ.
 */
export function repeatsTable(aggregates: CaseAggregate[]): string {
  if (!aggregates.some((a) => a.repeats > 1)) return '';
  const head = SHOWN.map(([, label]) => `<th class="num">${label}</th>`).join('');
  return [
    '<h3>Over all repeats</h3>',
    `<p class="note">${esc(INTERVALS_NOTE)}</p>`,
    '<div class="table-wrap"><table class="matrix">',
    `<thead><tr><th>Strategy</th><th>Verdict</th><th class="num">Repeats</th>${head}</tr></thead>`,
    `<tbody>${aggregates.map(row).join('')}</tbody></table></div>`,
  ].join('');
}
