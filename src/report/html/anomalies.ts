/** Anomalies of one case, grouped by kind, each with its witness ops; capped so huge runs stay small. */

import type { Anomaly, AnomalyKind } from '../../model/anomaly.ts';
import type { CaseResult } from '../../model/case.ts';
import type { Op } from '../../model/op.ts';
import { traceFile } from '../../model/run.ts';
import { esc, relativeHref } from './escape.ts';
import { int, ms, secondsText } from './format.ts';

export interface AnomalyLimits {
  /** Anomalies shown per kind; the rest are counted ("and N more"). */
  perKind: number;
  /** Witness ops shown per anomaly. */
  witnessOps: number;
  /** Affected users listed per kind. */
  users: number;
}

/**
 * Opens a kept trace offline in the trace viewer that ships in playwright-core: `--port 0` serves the viewer
 * from the package on a free local port and opens it in the default browser (without it, the viewer needs a
 * Chromium that Playwright downloads).
 */
export const SHOW_TRACE = 'npx playwright-core show-trace --port 0';

/** The browser users of a case whose Playwright trace was kept, and the case's folder (relative to the report). */
export interface CaseTraces {
  dir: string;
  users: readonly string[];
}

const NO_TRACES: CaseTraces = { dir: '', users: [] };

export const caseTraces = (c: CaseResult): CaseTraces => ({ dir: c.dir, users: c.traces ?? [] });

/** A link to the user's trace, titled with the command that opens it, when the case kept one. */
function traceLink(user: string, traces: CaseTraces): string {
  if (!traces.users.includes(user)) return '';
  const path = traces.dir === '' ? traceFile(user) : `${traces.dir}/${traceFile(user)}`;
  const title = `${user}'s Playwright trace (screenshots, DOM snapshots, network); open it offline, in the run folder: ${SHOW_TRACE} ${path}`;
  return ` <a class="trace" href="${esc(relativeHref(path))}" title="${esc(title)}">trace</a>`;
}

const KINDS: { kind: AnomalyKind | 'other'; title: string; what: string }[] = [
  { kind: 'logout', title: 'Logouts', what: 'a logged-in user got "no session"' },
  {
    kind: 'stale-read',
    title: 'Stale reads',
    what: 'a view missed a write that a later view showed again (read-your-writes or monotonic reads broken)',
  },
  {
    kind: 'monotonic-writes',
    title: 'Monotonic writes broken',
    what: 'a view showed an acknowledged write but not an earlier one, shown again later',
  },
  {
    kind: 'writes-follow-reads',
    title: 'Writes-follow-reads broken',
    what: 'a write issued after reading an item was applied to a session without it',
  },
  {
    kind: 'lost-write',
    title: 'Lost writes',
    what: 'an acknowledged item that no later view of its session ever showed again',
  },
  {
    kind: 'lost-update',
    title: 'Lost updates',
    what: "a lost write whose session a later save of the user's own parallel request overwrote",
  },
  {
    kind: 'partial-session',
    title: 'Partial sessions',
    what: 'a session kept its items but lost its user, or the reverse',
  },
  { kind: 'error', title: 'Errors', what: '5xx, refused connections, timeouts' },
];

/** The first `max` items joined, with "+N" for the rest. */
function capList(items: string[], max: number): string {
  const shown = items.slice(0, max).map(esc).join(', ');
  return items.length > max ? `${shown} <span class="more">+${items.length - max}</span>` : shown;
}

function readCell(op: Op): string {
  const r = op.read;
  if (!r) return '';
  const who = r.user === op.user ? '' : `user=${r.user === null ? 'null' : esc(r.user)} `;
  const items = r.items.length === 0 ? '∅' : `[${capList(r.items, 6)}]`;
  return `${who}${items} v${esc(r.version)}`;
}

function witnessRow(op: Op): string {
  const final = op.final ? ' <span class="tag">final</span>' : '';
  const epoch = op.session
    ? `<span title="session ${esc(op.session)}">${esc(op.epoch)}</span>`
    : esc(op.epoch);
  return [
    `<tr class="outcome-${esc(op.outcome)}">`,
    `<td>${esc(op.user)}</td><td>${esc(op.client)}</td><td>${esc(op.op)}${final}</td>`,
    `<td class="num">${ms(op.start)}–${ms(op.end)}</td>`,
    `<td>${op.node === null ? '–' : esc(op.node)}</td>`,
    `<td class="num">${op.status === null ? '–' : esc(op.status)}</td>`,
    `<td class="outcome">${esc(op.outcome)}</td><td class="num">${epoch}</td>`,
    `<td>${op.wrote === undefined ? '' : esc(op.wrote)}</td><td>${readCell(op)}</td>`,
    `<td class="error">${op.error === undefined ? '' : esc(op.error)}</td>`,
    '</tr>',
  ].join('');
}

const WITNESS_HEAD =
  '<tr><th>user</th><th>client</th><th>op</th><th class="num">start–end ms</th><th>node</th>' +
  '<th class="num">status</th><th>outcome</th><th class="num">epoch</th><th>wrote</th>' +
  '<th>read items / version</th><th>error</th></tr>';

function anomalyBody(a: Anomaly, limits: AnomalyLimits, traces: CaseTraces): string {
  const ops = a.witness.slice(0, limits.witnessOps).map(witnessRow).join('');
  const rest = a.witness.length - limits.witnessOps;
  const more = rest > 0 ? `<tr class="more-row"><td colspan="11">and ${int(rest)} more ops</td></tr>` : '';
  const none = a.witness.length === 0 ? '<tr class="more-row"><td colspan="11">no witness ops</td></tr>' : '';
  return [
    '<tbody>',
    `<tr class="anomaly"><th colspan="11" scope="rowgroup"><span class="at">${ms(a.at)} ms</span> `,
    `<span class="who">${esc(a.user)}</span>${traceLink(a.user, traces)} ${esc(a.message)}</th></tr>`,
    `${ops}${more}${none}</tbody>`,
  ].join('');
}

/**
 * How many anomalies of each kind a case found. A result keeps only the first few of each kind, so the
 * totals come from its counters, never from the length of the list.
 */
export function anomalyTotals(c: CaseResult): Record<string, number> {
  return {
    logout: c.logouts,
    'stale-read': c.staleReads,
    'monotonic-writes': c.monotonicWrites,
    'writes-follow-reads': c.writesFollowReads,
    'lost-write': c.lostWrites,
    'lost-update': c.lostUpdates ?? 0,
    'partial-session': c.partialSessions,
    error: c.errors,
  };
}

export const totalAnomalies = (c: CaseResult): number =>
  Object.values(anomalyTotals(c)).reduce((a, b) => a + b, 0);

/**
 * A case's anomalies in three: errors (failed requests) apart, then what its expectations say must happen
 * (expected effects, e.g. logouts without shared sessions) apart from what nobody asked for.
 */
export function anomalyTally(c: CaseResult): { unexpected: number; expected: number; errors: number } {
  const expected = new Set<string>(c.expectedKinds ?? []);
  const tally = { unexpected: 0, expected: 0, errors: c.errors };
  for (const [kind, n] of Object.entries(anomalyTotals(c))) {
    if (kind === 'error') continue;
    if (expected.has(kind)) tally.expected += n;
    else tally.unexpected += n;
  }
  return tally;
}

function kindSection(
  kind: string,
  title: string,
  what: string,
  list: Anomaly[],
  limits: AnomalyLimits,
  total: number,
  traces: CaseTraces,
): string {
  const sorted = [...list].sort((a, b) => a.at - b.at);
  const users = [...new Set(sorted.map((a) => a.user))].sort((a, b) =>
    a.localeCompare(b, 'en', { numeric: true }),
  );
  const first = sorted[0]?.at ?? 0;
  const last = sorted[sorted.length - 1]?.at ?? 0;
  const shown = sorted.slice(0, limits.perKind);
  const rest = total - shown.length;
  const sampled = total > sorted.length ? `the first ${int(sorted.length)} involve ` : '';
  return [
    `<section class="kind kind-${esc(kind)}">`,
    `<h5>${esc(title)} <span class="count">${int(total)}</span> <span class="what">${esc(what)}</span></h5>`,
    `<p class="kind-facts">${sampled}${int(users.length)} ${users.length === 1 ? 'user' : 'users'}: ${capList(users, limits.users)}`,
    ` · from ${secondsText(first / 1000)} to ${secondsText(last / 1000)}</p>`,
    `<div class="table-wrap"><table class="witness"><thead>${WITNESS_HEAD}</thead>`,
    shown.map((a) => anomalyBody(a, limits, traces)).join(''),
    '</table></div>',
    rest > 0 ? `<p class="more">and ${int(rest)} more ${esc(title.toLowerCase())} not shown</p>` : '',
    '</section>',
  ].join('');
}

/** `traces`: the case's kept browser traces (caseTraces), linked from the anomalies of their users. */
export function anomaliesSection(
  anomalies: Anomaly[],
  limits: AnomalyLimits,
  totals: Record<string, number> = {},
  traces: CaseTraces = NO_TRACES,
): string {
  if (anomalies.length === 0) return '<p class="none">No anomalies found.</p>';
  const known = new Set<string>(KINDS.map((k) => k.kind));
  const groups = KINDS.map((k) => ({ ...k, list: anomalies.filter((a) => a.kind === k.kind) }));
  const other = anomalies.filter((a) => !known.has(a.kind));
  if (other.length > 0)
    groups.push({ kind: 'other', title: 'Other', what: 'anomalies of unknown kind', list: other });
  return groups
    .filter((g) => g.list.length > 0)
    .map((g) =>
      kindSection(
        g.kind,
        g.title,
        g.what,
        g.list,
        limits,
        Math.max(totals[g.kind] ?? 0, g.list.length),
        traces,
      ),
    )
    .join('');
}
