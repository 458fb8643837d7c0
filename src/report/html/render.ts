/** renderReport: RunSummary → one self-contained HTML document (pure; no I/O). */
import type { CaseResult } from '../../model/case.ts';
import type { CaseAggregate, RunSummary } from '../../model/run.ts';
import type { AnomalyLimits } from './anomalies.ts';
import { caseSection } from './case.ts';
import { chartData } from './charts.ts';
import { claimsSection } from './claims.ts';
import { CLIENT_SCRIPT } from './client.ts';
import { type ComparisonData, comparisonData, comparisonSection } from './comparisons.ts';
import { costTable } from './cost.ts';
import { esc } from './escape.ts';
import { secondsText } from './format.ts';
import { runHeader } from './header.ts';
import { caseIds, experimentId } from './ids.ts';
import { htmlDocument } from './layout.ts';
import { nodeColors } from './node-colors.ts';
import { overviewTable } from './overview.ts';
import { repeatsTable } from './repeats.ts';
import { sinceBaselineSection } from './since-baseline.ts';
import { type IndexedCase, matrixTable } from './tables.ts';
import { trendsSection } from './trends.ts';

export interface ReportAssets {
  /** The Chart.js UMD bundle's source, inlined as-is. */
  chartJs: string;
}

export interface RenderOptions {
  title?: string;
  /** Anomalies shown per kind and case (default 20). */
  anomaliesPerKind?: number;
  /** Witness ops shown per anomaly (default 12). */
  witnessOps?: number;
}

const DEFAULT_TITLE = 'Session chaos report';

function groupByExperiment(cases: IndexedCase[]): Map<string, IndexedCase[]> {
  const groups = new Map<string, IndexedCase[]>();
  for (const c of cases) {
    const list = groups.get(c.result.experiment) ?? [];
    list.push(c);
    groups.set(c.result.experiment, list);
  }
  return groups;
}

/** The faults of an experiment, described once when every strategy got the same schedule. */
function sharedFaults(cases: CaseResult[]): string {
  const key = (c: CaseResult) => JSON.stringify(c.faults.map((f) => [f.kind, f.target, f.at, f.healedAt]));
  const first = cases[0];
  if (!first || first.faults.length === 0 || !cases.every((c) => key(c) === key(first))) return '';
  const text = first.faults
    .map(
      (f) =>
        `${esc(f.kind)} → ${esc(f.target)} ${secondsText(f.at)}–${f.healedAt === null ? 'end' : secondsText(f.healedAt)}`,
    )
    .join('; ');
  return `<p class="note">Faults: ${text}</p>`;
}

function experimentSection(
  name: string,
  cases: IndexedCase[],
  aggregates: CaseAggregate[],
  limits: AnomalyLimits,
  colors: Record<string, string>,
  compared: ComparisonData,
): string {
  return [
    `<section class="experiment" id="${esc(experimentId(name))}">`,
    `<h2>Experiment <code>${esc(name)}</code></h2>`,
    sharedFaults(cases.map((c) => c.result)),
    matrixTable(cases),
    repeatsTable(aggregates.filter((a) => a.experiment === name)),
    comparisonSection(compared),
    costTable(cases.map((c) => c.result)),
    cases.map((c) => caseSection(c.result, c.id, limits, colors)).join(''),
    '</section>',
  ].join('');
}

export function renderReport(summary: RunSummary, assets: ReportAssets, options: RenderOptions = {}): string {
  const title = options.title ?? DEFAULT_TITLE;
  const limits: AnomalyLimits = {
    perKind: Math.max(0, options.anomaliesPerKind ?? 20),
    witnessOps: Math.max(0, options.witnessOps ?? 12),
    users: 40,
  };
  const ids = caseIds(summary.results);
  const cases = summary.results.map((result, i) => ({ result, id: ids[i] ?? `case-${i}` }));
  const experiments = groupByExperiment(cases);
  const aggregates = summary.aggregates ?? [];
  const colors = nodeColors(summary.results);
  const compared = [...experiments].map(([name, list]) =>
    comparisonData(
      experimentId(name),
      list.map((c) => c.result),
    ),
  );
  const sections = [...experiments].map(([name, list], i) =>
    experimentSection(name, list, aggregates, limits, colors, compared[i] as ComparisonData),
  );
  const body = [
    runHeader(summary, title, cases, experiments),
    '<main>',
    sinceBaselineSection(summary.sinceBaseline),
    overviewTable(aggregates, cases),
    claimsSection(summary.claims, (dir) => cases.find((c) => c.result.dir === dir)?.id),
    trendsSection(summary.trends),
    sections.length > 0 ? sections.join('') : '<p class="none">No results in this run.</p>',
    '</main>',
    `<footer>session-chaos · summary schema ${esc(summary.schema)} · one self-contained file, works offline</footer>`,
  ].join('');
  const data = {
    cases: cases.map((c) => chartData(c.result, c.id)),
    experiments: compared.filter((e) => e.cases.length > 1),
  };
  return htmlDocument({ title, body, data, scripts: [assets.chartJs, CLIENT_SCRIPT] });
}
