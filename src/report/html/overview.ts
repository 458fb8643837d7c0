/** The overview: strategies × experiments, each cell a verdict and the figure that answers the experiment. */
import type { CaseAggregate, Estimate } from '../../model/run.ts';
import { esc } from './escape.ts';
import { badge, fixed } from './format.ts';
import type { IndexedCase } from './tables.ts';

interface KeyFigure {
  metric: string;
  label: string;
  show: (v: number) => string;
}

const percent = (v: number): string => `${fixed(v * 100, 0)} %`;
const LOGGED_OUT: KeyFigure = { metric: 'loggedOutShare', label: 'logged out', show: percent };

/** Per experiment, the figure that answers it (data, not prose); any other shows its logged-out users. */
export const KEY_FIGURES: Record<string, KeyFigure> = {
  'store-outage': { metric: 'recoveryS', label: 'recovery', show: (v) => `${fixed(v, 1)} s` },
  failover: { metric: 'outageS', label: 'outage', show: (v) => `${fixed(v, 1)} s` },
  'store-latency': { metric: 'p50RiseMs', label: 'p50 rise', show: (v) => `${fixed(v, 0)} ms` },
  'replica-lag': { metric: 'staleReads', label: 'stale reads', show: (v) => fixed(v, 0) },
  'replication-lag': { metric: 'staleReads', label: 'stale reads', show: (v) => fixed(v, 0) },
  'parallel-tabs': {
    metric: 'lostUpdatesPer1000Writes',
    label: 'lost updates',
    show: (v) => `${fixed(v, 0)} ‰`,
  },
  'cluster-size': { metric: 'p99Ms', label: 'p99', show: (v) => `${fixed(v, 0)} ms` },
};

const figureText = (a: CaseAggregate): string => {
  const key = KEY_FIGURES[a.experiment] ?? LOGGED_OUT;
  const value: Estimate | undefined = a.metrics[key.metric];
  return value ? `${key.label} ${key.show(value.mean)}` : `${key.label} –`;
};

function cell(aggregates: CaseAggregate[], cases: IndexedCase[]): string {
  if (aggregates.length === 0) return '<td class="none">·</td>';
  const lines = aggregates.map((a) => {
    const first = cases.find(
      (c) =>
        c.result.experiment === a.experiment &&
        c.result.strategy === a.strategy &&
        c.result.appNodes === a.appNodes,
    );
    const size = a.appNodes === undefined ? '' : `×${a.appNodes} `;
    const repeats = a.repeats > 1 ? ` <span class="share">${a.repeats} runs</span>` : '';
    const link = first ? `href="#${esc(first.id)}"` : '';
    return `<a ${link}>${esc(size)}${badge(a.verdict)}</a> <span class="figure">${esc(figureText(a))}</span>${repeats}`;
  });
  return `<td>${lines.join('<br>')}</td>`;
}

/** Strategies down, experiments across, in the order they ran; "·" where an experiment does not run a strategy. */
export function overviewTable(aggregates: CaseAggregate[], cases: IndexedCase[]): string {
  if (aggregates.length === 0) return '';
  const experiments = [...new Set(aggregates.map((a) => a.experiment))];
  const strategies = [...new Set(aggregates.map((a) => a.strategy))];
  const head = experiments.map((e) => `<th scope="col">${esc(e)}</th>`).join('');
  const rows = strategies.map((s) => {
    const cells = experiments.map((e) =>
      cell(
        aggregates.filter((a) => a.strategy === s && a.experiment === e),
        cases,
      ),
    );
    return `<tr><th scope="row">${esc(s)}</th>${cells.join('')}</tr>`;
  });
  return [
    '<section class="overview" id="overview"><h2>Strategies × experiments</h2>',
    '<div class="table-wrap"><table class="matrix overview"><thead><tr><th>strategy</th>',
    head,
    `</tr></thead><tbody>${rows.join('')}</tbody></table></div>`,
    '<p class="note">Each cell: the verdict over its runs and the figure that answers the experiment; click it for the case.</p>',
    '</section>',
  ].join('');
}
