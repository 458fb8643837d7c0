import type { CaseResult } from '../model/case.ts';
import type { CaseAggregate, Estimate } from '../model/run.ts';
import { verdictOf } from './check-case.ts';
import { round } from './stats.ts';

/** Two-sided 95 % quantiles of Student's t for 1–30 degrees of freedom; the normal one beyond. */
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
const Z95 = 1.96;

/** Mean and 95 % interval of values measured once per repeat (Student's t; none for a single repeat). */
export function tInterval(values: number[]): Estimate {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, n);
  if (n < 2) return { mean: round(mean, 3), low: null, high: null, method: 't' };
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1);
  const half = (T95[n - 2] ?? Z95) * Math.sqrt(variance / n);
  return { mean: round(mean, 3), low: round(mean - half, 3), high: round(mean + half, 3), method: 't' };
}

/** A share `hits / total` pooled over repeats, with the Wilson score 95 % interval (none for one repeat). */
export function wilsonInterval(hits: number, total: number, repeats: number): Estimate {
  const p = total > 0 ? hits / total : 0;
  if (repeats < 2 || total === 0) return { mean: round(p, 4), low: null, high: null, method: 'wilson' };
  const z2 = Z95 * Z95;
  const center = (p + z2 / (2 * total)) / (1 + z2 / total);
  const half = (Z95 * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total))) / (1 + z2 / total);
  return { mean: round(p, 4), low: round(center - half, 4), high: round(center + half, 4), method: 'wilson' };
}

const COUNTS = [
  'ops',
  'logouts',
  'loggedOutUsers',
  'staleReads',
  'staleWrites',
  'monotonicWrites',
  'writesFollowReads',
  'lostWrites',
  'undecidedUsers',
  'partialSessions',
  'errors',
  'imbalance',
] as const;

function metrics(results: CaseResult[]): Record<string, Estimate> {
  const n = results.length;
  const sum = (pick: (r: CaseResult) => number): number => results.reduce((s, r) => s + pick(r), 0);
  const estimates: Record<string, Estimate> = {};
  for (const name of COUNTS) estimates[name] = tInterval(results.map((r) => r[name]));
  estimates.p50Ms = tInterval(results.map((r) => r.latency.p50));
  estimates.p99Ms = tInterval(results.map((r) => r.latency.p99));
  const users = sum((r) => r.users);
  estimates.loggedOutShare = wilsonInterval(
    sum((r) => r.loggedOutUsers),
    users,
    n,
  );
  estimates.errorShare = wilsonInterval(
    sum((r) => r.errors),
    sum((r) => r.ops),
    n,
  );
  const kinds = new Set(results.flatMap((r) => Object.keys(r.exposure)));
  for (const kind of kinds) {
    const affected = sum((r) => Math.round((r.exposure[kind as keyof typeof r.exposure] ?? 0) * r.users));
    estimates[`exposure:${kind}`] = wilsonInterval(affected, users, n);
  }
  return estimates;
}

/** Every experiment × strategy over its repeats: verdict over all, flakiness, metrics with intervals. */
export function aggregateRepeats(results: CaseResult[]): CaseAggregate[] {
  const groups = new Map<string, CaseResult[]>();
  for (const r of results) {
    const key = `${r.experiment}\u0000${r.strategy}\u0000${r.appNodes ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((group) => {
    const [first] = group as [CaseResult];
    const verdicts = group.map((r) => r.verdict);
    const names = [...new Set(group.flatMap((r) => r.expectations.map((e) => e.name)))];
    return {
      experiment: first.experiment,
      strategy: first.strategy,
      ...(first.appNodes === undefined ? {} : { appNodes: first.appNodes }),
      repeats: group.length,
      verdict: verdictOf(verdicts.map((v) => (v === 'pass' ? true : v === 'fail' ? false : null))),
      verdicts,
      flaky: new Set(verdicts).size > 1,
      metrics: metrics(group),
      expectations: names.map((name) => {
        const oks = group.map((r) => r.expectations.find((e) => e.name === name)?.ok ?? null);
        const count = (ok: boolean | null): number => oks.filter((o) => o === ok).length;
        return { name, passed: count(true), failed: count(false), unknown: count(null) };
      }),
    };
  });
}
