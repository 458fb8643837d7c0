/** A comparison with the baseline as text: a terminal table, and Markdown for a CI job summary. */
import type { CaseComparison, Comparison, MetricChange } from '../model/comparison.ts';
import { textTable } from './terminal.ts';

/** How each compared metric is printed. */
const SHOW: Record<string, (v: number) => string> = {
  loggedOutShare: (v) => `${(v * 100).toFixed(1)} %`,
  errorShare: (v) => `${(v * 100).toFixed(2)} %`,
  p50Ms: (v) => `${v.toFixed(1)} ms`,
};
export const show = (metric: string, v: number): string => (SHOW[metric] ?? ((n) => n.toFixed(1)))(v);

export const caseName = (c: { experiment: string; strategy: string; appNodes?: number }): string =>
  `${c.experiment}/${c.strategy}${c.appNodes === undefined ? '' : ` ×${c.appNodes}`}`;

export const verdicts = (c: CaseComparison): string =>
  c.verdictChange === 'same'
    ? (c.verdict ?? '')
    : `${c.baseVerdict ?? '(none)'} → ${c.verdict ?? '(not run)'}`;

const metricText = (m: MetricChange): string =>
  `${m.metric} ${show(m.metric, m.base.mean)} → ${show(m.metric, m.now.mean)}${m.rule === 'intervals' ? ' (intervals)' : ''}`;

/** What changed in a case: its verdict, and each metric that moved by its rule. */
export function changes(c: CaseComparison): { status: string; worse: string; better: string } {
  const moved = (change: MetricChange['change']): string =>
    c.metrics
      .filter((m) => m.change === change)
      .map(metricText)
      .join('; ');
  const status = c.regressed ? 'REGRESSED' : c.verdictChange === 'improved' ? 'improved' : c.verdictChange;
  return { status, worse: moved('worse'), better: moved('better') };
}

/** The comparison's one-line answer: did anything get worse since the baseline? */
export function comparisonHeadline(c: Comparison): string {
  if (c.error) return `could not compare with the baseline ${c.baseline.dir}: ${c.error}`;
  const at = c.baseline.startedAt ? ` (${c.baseline.startedAt})` : '';
  return c.regressions === 0
    ? `nothing got worse since the baseline ${c.baseline.dir}${at}: ${c.cases.length} case(s) compared`
    : `${c.regressions} of ${c.cases.length} case(s) got worse since the baseline ${c.baseline.dir}${at}`;
}

/** The comparison as a terminal table, regressions first. */
export function comparisonTable(c: Comparison): string {
  const ordered = [...c.cases].sort((a, b) => Number(b.regressed) - Number(a.regressed));
  const rows = ordered.map((k) => {
    const { status, worse, better } = changes(k);
    return [caseName(k), status, verdicts(k), worse || '–', better || '–'];
  });
  const table =
    rows.length > 0 ? `\n${textTable([['case', 'change', 'verdict', 'worse', 'better'], ...rows])}` : '';
  return `${comparisonHeadline(c)}${table}`;
}

const mdCell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The comparison as Markdown, for a CI job summary. */
export function comparisonMarkdown(c: Comparison): string {
  const lines = [`### Since the baseline`, '', comparisonHeadline(c), ''];
  if (c.cases.length === 0) return `${lines.join('\n')}\n`;
  lines.push('| case | change | verdict | worse | better |', '|---|---|---|---|---|');
  const ordered = [...c.cases].sort((a, b) => Number(b.regressed) - Number(a.regressed));
  for (const k of ordered) {
    const { status, worse, better } = changes(k);
    const mark = k.regressed ? `**${status}**` : status;
    lines.push(
      `| ${[caseName(k), mark, verdicts(k), worse || '–', better || '–'].map(mdCell).join(' | ')} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
