import type { Op } from '../history/op.ts';
import type { Anomaly } from '../report/model.ts';
import { checkErrors } from './errors.ts';
import { checkLogouts } from './logout.ts';
import { checkLostWrites } from './lost-write.ts';
import { checkPartialSessions } from './partial-session.ts';
import { checkStaleReads } from './stale-read.ts';

export interface Checker {
  name: string;
  check(history: Op[]): Anomaly[];
}

export const CHECKERS: Checker[] = [
  { name: 'logout', check: checkLogouts },
  { name: 'stale-read', check: checkStaleReads },
  { name: 'lost-write', check: checkLostWrites },
  { name: 'partial-session', check: checkPartialSessions },
  { name: 'error', check: checkErrors },
];

export interface Findings {
  anomalies: Anomaly[];
  /** Checkers that crashed, as "name: message"; what they would have found is unknown. */
  checkerErrors: string[];
}

/** Runs every checker; a crashing checker is named in checkerErrors instead of crashing the run. */
export function checkHistory(history: Op[], checkers: Checker[] = CHECKERS): Findings {
  const findings: Findings = { anomalies: [], checkerErrors: [] };
  for (const checker of checkers) {
    try {
      findings.anomalies.push(...checker.check(history));
    } catch (error) {
      findings.checkerErrors.push(`${checker.name}: ${(error as Error).message}`);
    }
  }
  findings.anomalies.sort((a, b) => a.at - b.at);
  return findings;
}
