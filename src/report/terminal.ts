import type { CaseResult } from '../model/case.ts';
import type { RunSummary } from '../model/run.ts';

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

function row(r: CaseResult): string[] {
  return [
    r.experiment,
    r.repeat > 0 ? `${r.strategy} #${r.repeat}` : r.strategy,
    VERDICT[r.verdict],
    String(r.users),
    String(r.ops),
    `${r.logouts} (${r.loggedOutUsers})`,
    String(r.staleReads),
    String(r.lostWrites),
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
    'stale',
    'lost',
    'partial',
    'errors',
    'p50 ms',
    'imbalance',
  ];
  const lines = [textTable([header, ...summary.results.map(row)])];
  for (const r of summary.results) {
    for (const e of r.expectations.filter((x) => x.ok !== true))
      lines.push(
        `  ${r.experiment}/${r.strategy}: ${e.ok === false ? 'failed' : 'unknown'}: ${e.name} (${e.detail})`,
      );
  }
  return lines.join('\n');
}
