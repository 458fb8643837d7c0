/** Which anomalies a case was meant to show: the effects its expectations ask for, not unexpected ones. */
import type { AnomalyKind } from '../model/anomaly.ts';
import type { ExpectationDefinition, MetricName } from '../model/expectation.ts';

/** The anomaly kind each counting metric counts. */
const KIND_OF: Partial<Record<MetricName, AnomalyKind>> = {
  logouts: 'logout',
  loggedOutUsers: 'logout',
  loggedOutShare: 'logout',
  staleReads: 'stale-read',
  monotonicWrites: 'monotonic-writes',
  writesFollowReads: 'writes-follow-reads',
  lostWrites: 'lost-write',
  lostUpdates: 'lost-update',
  partialSessions: 'partial-session',
  errors: 'error',
};

/**
 * The anomaly kinds a case's expectations say must happen (`logouts ≥ 1`, `loggedOutShare = 1`): what the
 * experiment sets out to show, an expected effect, told apart from anomalies nobody asked for.
 */
export function expectedKinds(expectations: ExpectationDefinition[]): AnomalyKind[] {
  const kinds = expectations.flatMap((e) => {
    if (!('metric' in e)) return [];
    const kind = KIND_OF[e.metric];
    const required = ('atLeast' in e && e.atLeast > 0) || ('equals' in e && e.equals > 0);
    return kind && required ? [kind] : [];
  });
  return [...new Set(kinds)];
}
