import type { Anomaly } from '../model/anomaly.ts';
import type { CheckerError } from '../model/case.ts';
import type { Op } from '../model/op.ts';
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
  /** Checkers that crashed; what they would have found is unknown. */
  checkerErrors: CheckerError[];
}

/** Runs every checker; a crashing checker is named in checkerErrors instead of crashing the run. */
export function checkHistory(history: Op[], checkers: Checker[] = CHECKERS): Findings {
  const findings: Findings = { anomalies: [], checkerErrors: [] };
  for (const checker of checkers) {
    try {
      findings.anomalies.push(...checker.check(history));
    } catch (error) {
      findings.checkerErrors.push({ checker: checker.name, message: (error as Error).message });
    }
  }
  findings.anomalies.sort((a, b) => a.at - b.at);
  return findings;
}
