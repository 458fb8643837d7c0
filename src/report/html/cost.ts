/** What each strategy cost: traffic per kind of link and memory per node, as a table with bars. */
import type { CaseResult } from '../../model/case.ts';
import { esc } from './escape.ts';
import { caseLabel, int } from './format.ts';

const KINDS: [string, string][] = [
  ['lb', 'load balancer → nodes'],
  ['store', 'nodes → store'],
  ['replication', 'node → node (replication)'],
];

/** A number with a bar under it, as long as its share of the largest in its column. */
function bar(value: number | null | undefined, max: number, unit: string): string {
  if (value === null || value === undefined) return '<td class="num">–</td>';
  const width = max > 0 ? Math.max(1, Math.round((value / max) * 100)) : 0;
  return `<td class="num">${int(value)} ${unit}<div class="bar" style="width:${width}%"></div></td>`;
}

/** The mean of a case's per-node memory averages; null where memory was not measured. */
export const meanMemory = (c: CaseResult): number | null => {
  const nodes = Object.values(c.cost?.memoryMb ?? {});
  return nodes.length ? nodes.reduce((sum, n) => sum + n.avg, 0) / nodes.length : null;
};

/**
 * Per case: bytes per acknowledged write on each kind of link, and the mean memory of an app node — the
 * cost the literature argues about (replication traffic and memory grow with the number of nodes).
 */
export function costTable(cases: CaseResult[]): string {
  const measured = cases.filter((c) => c.cost);
  if (measured.length === 0) return '';
  const kinds = KINDS.filter(([kind]) => measured.some((c) => c.cost?.links[kind]));
  const max = (pick: (c: CaseResult) => number | null | undefined): number =>
    Math.max(0, ...measured.map((c) => pick(c) ?? 0));
  const perWrite = (kind: string) => (c: CaseResult) => c.cost?.links[kind]?.perWrite;
  const rows = measured.map((c) =>
    [
      `<tr><th scope="row">${caseLabel(c)}</th>`,
      ...kinds.map(([kind]) => bar(perWrite(kind)(c), max(perWrite(kind)), 'B')),
      bar(meanMemory(c), max(meanMemory), 'MB'),
      '</tr>',
    ].join(''),
  );
  const notes = [...new Set(measured.flatMap((c) => c.cost?.notes ?? []))];
  return [
    '<h3>Cost</h3>',
    '<div class="table-wrap"><table class="matrix cost">',
    `<thead><tr><th>Strategy</th>${kinds.map(([, label]) => `<th class="num">${esc(label)}, bytes per write</th>`).join('')}<th class="num">memory per node (mean of samples)</th></tr></thead>`,
    `<tbody>${rows.join('')}</tbody></table></div>`,
    ...notes.map((n) => `<p class="note">${esc(n)}</p>`),
  ].join('');
}
