/** The end-of-run summary on the terminal: a table of cases, the expectations that failed, and repeats. */
import { type CaseResult, perThousandWrites } from '../model/case.ts';
import type { CaseAggregate, Estimate, RunSummary } from '../model/run.ts';
import { INTERVALS_NOTE } from './intervals-note.ts';

/** Pads a table of strings into aligned columns (numbers right-aligned). */
export function textTable(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) =>
          /^[\d.]+$/.test(cell) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const VERDICT = { pass: 'PASS', fail: 'FAIL', unknown: 'UNKNOWN' } as const;

const noExpectations = (r: CaseResult): boolean =>
  r.expectations.length === 1 && r.expectations[0]?.name === 'no expectations';

function row(r: CaseResult): string[] {
  return [
    r.experiment,
    `${r.strategy}${r.appNodes === undefined ? '' : ` ×${r.appNodes}`}${r.repeat > 0 ? ` #${r.repeat}` : ''}`,
    noExpectations(r) ? 'NO EXPECTATIONS' : VERDICT[r.verdict],
    String(r.users),
    String(r.ops),
    `${r.logouts} (${r.loggedOutUsers})`,
    `${r.staleReads} (${r.staleWrites})`,
    String(r.monotonicWrites + r.writesFollowReads),
    r.undecidedWrites ? `${r.lostWrites}+${r.undecidedWrites}?` : String(r.lostWrites),
    r.lostUpdates && r.writes
      ? `${r.lostUpdates} (${perThousandWrites(r.lostUpdates, r.writes).toFixed(0)}‰)`
      : '0',
    String(r.partialSessions),
    String(r.errors),
    String(r.latency.p50),
    String(r.imbalance),
  ];
}

/** The end-of-run table, then every expectation that did not hold. */
export function summaryTable(summary: RunSummary): string {
  const header = [
    'experiment',
    'strategy',
    'verdict',
    'users',
    'ops',
    'logouts (users)',
    'stale (writes)',
    'order',
    'lost',
    'updates',
    'partial',
    'errors',
    'p50 ms',
    'imbalance',
  ];
  const lines = [textTable([header, ...summary.results.map(row)])];
  if (summary.incomplete) {
    const { reasons, missingCases } = summary.incomplete;
    lines.push(`INCOMPLETE run: ${reasons.join('; ')}`);
    if (missingCases.length > 0) lines.push(`  never started: ${missingCases.join(', ')}`);
  }
  if (summary.results.some((r) => r.undecidedWrites > 0))
    lines.push(
      "  lost n+m?: n writes lost, m undecided (their user's last final read failed: lost or kept, unknown)",
    );
  for (const r of summary.results) {
    const label = `${r.experiment}/${r.strategy}${r.appNodes === undefined ? '' : ` ×${r.appNodes}`}${r.repeat > 0 ? ` #${r.repeat}` : ''}`;
    for (const e of r.expectations.filter((x) => x.ok !== true))
      lines.push(`  ${label}: ${e.ok === false ? 'failed' : 'unknown'}: ${e.name} (${e.detail})`);
  }
  const repeated = (summary.aggregates ?? []).filter((a) => a.repeats > 1);
  if (repeated.length > 0) lines.push('', repeatsTable(repeated));
  return lines.join('\n');
}

const interval = (e: Estimate | undefined, digits: number, scale = 1): string => {
  if (!e) return '-';
  const f = (v: number): string => (v * scale).toFixed(digits);
  return e.low === null || e.high === null ? f(e.mean) : `${f(e.mean)} [${f(e.low)}, ${f(e.high)}]`;
};

/** Each experiment × strategy over its repeats: verdict (FLAKY when repeats disagree), means with 95 % intervals. */
function repeatsTable(aggregates: CaseAggregate[]): string {
  const rows = aggregates.map((a) => [
    a.experiment,
    a.strategy,
    `${VERDICT[a.verdict]}${a.flaky ? ' FLAKY' : ''}`,
    String(a.repeats),
    interval(a.metrics.loggedOutShare, 1, 100),
    interval(a.metrics.staleReads, 1),
    interval(a.metrics.lostWrites, 1),
    interval(a.metrics.p50Ms, 1),
  ]);
  const header = ['experiment', 'strategy', 'over repeats', 'n', 'logged out %', 'stale', 'lost', 'p50 ms'];
  return `${textTable([header, ...rows])}\n  ${INTERVALS_NOTE}`;
}
