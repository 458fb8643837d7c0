/** The strategies × anomalies table of one experiment. Plain HTML: it works without JavaScript. */
import type { AnomalyKind } from '../../model/anomaly.ts';
import { type CaseResult, perThousandWrites } from '../../model/case.ts';
import { esc } from './escape.ts';
import { caseBadge, caseLabel, fixed, int, ms } from './format.ts';

export interface IndexedCase {
  result: CaseResult;
  id: string;
}

/** Imbalance above this is shaded: one node takes noticeably more than its share. */
const IMBALANCE_WARN = 1.5;

type Tone = 'bad' | 'warn' | 'expected';

function countCell(n: number, tone: Tone, extra = ''): string {
  const cls = n > 0 ? `num ${tone}` : 'num zero';
  const title = tone === 'expected' && n > 0 ? ' title="expected: the experiment says this must happen"' : '';
  return `<td class="${cls}"${title}>${int(n)}${tone === 'expected' && n > 0 ? ' <span class="share">expected</span>' : ''}${extra}</td>`;
}

function share(part: number, whole: number): string {
  if (part <= 0 || whole <= 0) return '';
  return ` <span class="share">${Math.round((part / whole) * 100)}%</span>`;
}

function perMille(part: number, writes: number): string {
  if (part <= 0 || writes <= 0) return '';
  return ` <span class="share" title="per 1,000 acknowledged writes">${fixed(perThousandWrites(part, writes), 1)}‰</span>`;
}

/** Writes only a failed final read could have decided: shown beside the lost ones, never added to them. */
function undecided(writes: number): string {
  return writes > 0
    ? ` <span class="share" title="acknowledged writes whose user's last final read failed: lost or kept, unknown">+${int(writes)} undecided</span>`
    : '';
}

function row({ result: c, id }: IndexedCase): string {
  const tone = (kind: AnomalyKind): Tone => (c.expectedKinds?.includes(kind) ? 'expected' : 'bad');
  const imbalanceCls = c.imbalance >= IMBALANCE_WARN ? 'num warn' : 'num';
  return [
    `<tr class="verdict-${esc(c.verdict)}">`,
    `<th scope="row"><a href="#${esc(id)}">${caseLabel(c)}</a></th>`,
    `<td>${caseBadge(c)}</td>`,
    `<td class="num">${int(c.users)}</td>`,
    `<td class="num">${int(c.ops)}</td>`,
    countCell(c.logouts, tone('logout')),
    countCell(c.loggedOutUsers, tone('logout'), share(c.loggedOutUsers, c.users)),
    countCell(
      c.staleReads,
      tone('stale-read'),
      c.staleWrites ? ` <span class="share">${int(c.staleWrites)} w</span>` : '',
    ),
    countCell(c.monotonicWrites + c.writesFollowReads, 'bad'),
    countCell(c.lostWrites, tone('lost-write'), undecided(c.undecidedWrites)),
    countCell(c.lostUpdates ?? 0, tone('lost-update'), perMille(c.lostUpdates ?? 0, c.writes)),
    countCell(c.partialSessions, tone('partial-session')),
    countCell(c.errors, c.expectedKinds?.includes('error') ? 'expected' : 'warn'),
    `<td class="num">${ms(c.latency.p50)} / ${ms(c.latency.p99)}</td>`,
    `<td class="${imbalanceCls}">${fixed(c.imbalance, 2)}</td>`,
    '</tr>',
  ].join('');
}

const HEAD = [
  ['Strategy', ''],
  ['Verdict', ''],
  ['Users', 'num'],
  ['Ops', 'num'],
  ['Logouts', 'num'],
  ['Logged-out users', 'num'],
  ['Stale reads (writes)', 'num'],
  ['Writes out of order', 'num'],
  ['Lost writes', 'num'],
  ['Lost updates', 'num'],
  ['Partial sessions', 'num'],
  ['Errors', 'num'],
  ['p50 / p99 ms', 'num'],
  ['Imbalance', 'num'],
];

export function matrixTable(cases: IndexedCase[]): string {
  const head = HEAD.map(
    ([label, cls]) => `<th scope="col"${cls ? ` class="${cls}"` : ''}>${label}</th>`,
  ).join('');
  return [
    '<div class="table-wrap"><table class="matrix">',
    `<thead><tr>${head}</tr></thead>`,
    `<tbody>${cases.map(row).join('')}</tbody>`,
    '</table></div>',
  ].join('');
}
