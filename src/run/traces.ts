/** Browser users' Playwright traces: which ones a case keeps (`--trace`), and deleting the rest. */
import { readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CASE_FILES, type TraceMode, traceFile } from '../model/run.ts';

/** Which users' traces a case keeps, and which it deletes. */
export interface TraceDecision {
  keep: string[];
  drop: string[];
}

/**
 * `all` keeps every trace, `anomalies` those of users the checkers found an anomaly for (of any kind,
 * expected or not), `off` none. `withAnomaly` is null when they could not tell (a checker crashed): then
 * nothing is deleted, since the evidence of an anomaly nobody counted could go with it.
 */
export function decideTraces(
  mode: TraceMode,
  traced: readonly string[],
  withAnomaly: ReadonlySet<string> | null,
): TraceDecision {
  const kept = (user: string): boolean =>
    mode === 'all' || (mode === 'anomalies' && (withAnomaly === null || withAnomaly.has(user)));
  return { keep: traced.filter(kept), drop: traced.filter((user) => !kept(user)) };
}

const byName = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

/** The users whose trace is in a case folder, in name order (none when it has no traces folder). */
export function tracedUsers(caseDir: string): string[] {
  try {
    return readdirSync(join(caseDir, CASE_FILES.traces))
      .filter((name) => name.endsWith('.zip'))
      .map((name) => name.slice(0, -'.zip'.length))
      .sort(byName);
  } catch {
    return [];
  }
}

/**
 * Deletes the traces `mode` does not keep (and the traces folder once empty), so a run folder holds only
 * the traces someone will open; returns the users whose trace is kept.
 */
export function pruneTraces(
  caseDir: string,
  mode: TraceMode,
  withAnomaly: ReadonlySet<string> | null,
): string[] {
  const { keep, drop } = decideTraces(mode, tracedUsers(caseDir), withAnomaly);
  for (const user of drop) rmSync(join(caseDir, traceFile(user)), { force: true });
  if (keep.length === 0) {
    try {
      rmdirSync(join(caseDir, CASE_FILES.traces));
    } catch {
      // absent, or holding something that is not ours: left as it is
    }
  }
  return keep;
}
