/** Stable, unique fragment ids for experiments and cases, so the tables can link to the case sections. */
import type { CaseResult } from '../../model/case.ts';
import { slug } from './escape.ts';

export function experimentId(experiment: string): string {
  return `exp-${slug(experiment)}`;
}

/** One id per result, in order: `case-<experiment>-<strategy>[-r<repeat>]`, suffixed when two collide. */
export function caseIds(results: CaseResult[]): string[] {
  const seen = new Map<string, number>();
  return results.map((c) => {
    const base = `case-${slug(c.experiment)}-${slug(c.strategy)}${c.repeat > 0 ? `-r${c.repeat}` : ''}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  });
}
