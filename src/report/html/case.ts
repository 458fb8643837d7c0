/** One case (experiment × strategy × repeat): faults, expectations, charts, anomalies. */
import { CASE_PHASES, type CasePhase, type CaseResult, type CheckerError } from '../../model/case.ts';
import type { ExpectationResult } from '../../model/expectation.ts';
import type { FaultRecord } from '../../model/fault.ts';
import {
  type AnomalyLimits,
  anomaliesSection,
  anomalyTotals,
  caseTraces,
  totalAnomalies,
} from './anomalies.ts';
import { chartsSection } from './charts.ts';
import { esc, relativeHref } from './escape.ts';
import { caseBadge, caseLabel, int, secondsText } from './format.ts';
import { swimlanesSection } from './swimlanes.ts';

const STATUS: Record<FaultRecord['status'], string> = {
  healed: '',
  'not-healed': ' <span class="state undecided">NEVER HEALED</span>',
  'not-applied': ' <span class="state undecided">NEVER ACTED</span>',
};

function faultItem(f: FaultRecord): string {
  const until = f.healedAt === null ? 'never healed' : `healed at ${secondsText(f.healedAt)}`;
  const notes = [f.detail, f.error].filter(Boolean).join('; ');
  const detail = notes ? ` <span class="note">${esc(notes)}</span>` : '';
  const effects = [
    f.firstFailureAfterS != null ? `first failure ${secondsText(f.firstFailureAfterS)} after it began` : '',
    f.firstAnomalyAfterS != null ? `first anomaly after ${secondsText(f.firstAnomalyAfterS)}` : '',
    f.recoveredAfterS != null ? `recovered ${secondsText(f.recoveredAfterS)} after the heal` : '',
    f.lastAnomalyAfterHealS != null
      ? `last anomaly ${secondsText(f.lastAnomalyAfterHealS)} after the heal`
      : '',
  ].filter(Boolean);
  const effect = effects.length ? ` — ${effects.join(', ')}` : '';
  const late =
    f.lateMs === undefined ? '' : ` <span class="note">(${int(f.lateMs)} ms after its scheduled time)</span>`;
  return `<li><b>${esc(f.kind)}</b> → <code>${esc(f.target)}</code> at ${secondsText(f.at)}${late}, ${until}${STATUS[f.status] ?? ''}${effect}${detail}${evidence(f)}</li>`;
}

/** What the fault touched and whether its effect was seen: the evidence every verdict of the case stands on. */
function evidence(f: FaultRecord): string {
  if (f.status === 'not-applied') return '';
  const seen = f.effect
    ? f.effect.observed
      ? `<span class="state ok">effect seen</span> at ${secondsText(f.effect.at)}: ${esc(f.effect.evidence)}`
      : `<span class="state undecided">NO EFFECT SEEN</span>: ${esc(f.effect.evidence)}`
    : '<span class="state undecided">NO EFFECT RECORDED</span>';
  const touched = touchedText(f);
  return `<br><span class="note">${seen}${touched ? ` · touched: ${esc(touched)}` : ''}</span>`;
}

function touchedText({ touched }: FaultRecord): string {
  if (!touched) return '';
  return [
    ...(touched.processes ?? []).map((p) => `${p.service} (pid ${p.pid ?? '?'}) ${p.signal}: ${p.result}`),
    ...(touched.links ?? []).map((l) => `${l.id} ${l.state}`),
    ...(touched.loadBalancer ?? []).map((s) => `HAProxy ${s.server} ${s.state}`),
    ...(touched.primaryBefore !== undefined ? [`primary before: ${touched.primaryBefore ?? 'none'}`] : []),
  ].join('; ');
}

const PHASE_NAMES: Record<CasePhase, string> = {
  start: 'cluster start',
  'open-users': 'opening users',
  workload: 'workload',
  heal: 'healing',
  'final-reads': 'final reads',
  stop: 'stop',
};

/** Where the case's time went, and how late the runner's event loop ran: noise a reader should know of. */
function timingLine(c: CaseResult): string {
  if (!c.timing) return '';
  const { phasesS, eventLoopLagMs: lag } = c.timing;
  const phases = CASE_PHASES.flatMap((p) =>
    phasesS[p] === undefined ? [] : [`${PHASE_NAMES[p]} ${secondsText(phasesS[p] as number)}`],
  );
  const loops = Object.entries(lag).map(([thread, l]) => `${thread} p50 ${l.p50} ms, p99 ${l.p99} ms`);
  const loop = loops.length ? ` · event-loop lag: ${loops.join('; ')}` : '';
  return `<p class="case-meta">${esc(`${phases.join(' · ')}${loop}`)}</p>`;
}

/**
 * Latency before, during and after the faults (what a slow link or a dead node costs users), and on the
 * node of the user's previous op or another (what a node without the session pays to fetch it).
 */
function latencyTable(c: CaseResult): string {
  const row = (label: string, l: CaseResult['latency']): string =>
    `<tr><td>${label}</td><td class="num">${int(l.count)}</td><td class="num">${l.p50}</td><td class="num">${l.p90}</td><td class="num">${l.p99}</td><td class="num">${l.max}</td></tr>`;
  const phases = c.latencyByPhase && c.faults.length > 0 ? c.latencyByPhase : null;
  const hops = c.latencyByNodeChange;
  const moved = hops && hops.sameNode.count > 0 && hops.otherNode.count > 0 ? hops : null;
  if (!phases && !moved) return '';
  return [
    '<h4>Latency of successful ops (ms)</h4>',
    '<table class="latency"><thead><tr><th>ops</th><th class="num">ops</th><th class="num">p50</th><th class="num">p90</th><th class="num">p99</th><th class="num">max</th></tr></thead><tbody>',
    phases ? row('started before the first fault', phases.before) : '',
    phases ? row('started while a fault was active', phases.during) : '',
    phases ? row('started after the last heal', phases.after) : '',
    moved ? row("on the node of the user's previous op", moved.sameNode) : '',
    moved ? row('on another node (its session fetched or replicated there)', moved.otherNode) : '',
    '</tbody></table>',
  ].join('');
}

function expectationRow(e: ExpectationResult): string {
  const [cls, text] =
    e.ok === true ? ['ok', '✓ ok'] : e.ok === false ? ['failed', '✗ failed'] : ['undecided', '? unknown'];
  return `<tr><td class="state ${cls}">${text}</td><td>${esc(e.name)}</td><td>${esc(e.detail)}</td></tr>`;
}

function expectations(list: ExpectationResult[]): string {
  if (list.length === 0) return '<p class="none">No expectations for this strategy.</p>';
  return `<table class="expectations"><tbody>${list.map(expectationRow).join('')}</tbody></table>`;
}

function checkerErrors(errors: CheckerError[]): string {
  if (errors.length === 0) return '';
  return [
    '<div class="checker-errors"><b>Checkers crashed</b> — their findings are unknown, so the numbers above may be',
    ` incomplete:<ul>${errors.map((e) => `<li><code>${esc(`${e.checker}: ${e.message}`)}</code></li>`).join('')}</ul></div>`,
  ].join('');
}

function folder(dir: string): string {
  if (dir === '') return '';
  const href = `${relativeHref(dir)}/history.jsonl`;
  return ` · folder <code>${esc(dir)}</code> (<a href="${esc(href)}">history.jsonl</a>)`;
}

/** Who was affected, how stale the stale views were, and whose lost writes could not be decided. */
function exposureLine(c: CaseResult): string {
  const shares = Object.entries(c.exposure)
    .filter(([kind]) => kind !== 'error')
    .map(([kind, share]) => `${esc(kind)} ${Math.round((share ?? 0) * 100)} %`);
  const errors = c.exposure.error ? [`errors ${Math.round(c.exposure.error * 100)} %`] : [];
  const parts = [
    shares.length || errors.length
      ? `users affected: ${[...shares, ...errors].join(', ')}`
      : 'no user was affected',
    c.staleness.count > 0
      ? `stale views missed writes acknowledged ${int(c.staleness.p50Ms)} ms before them (p50), at most ${int(c.staleness.maxMs)} ms`
      : '',
    c.undecidedUsers > 0
      ? `<span class="state undecided">${int(c.undecidedUsers)} undecided user(s)</span>: their last final read failed, so ${int(c.undecidedWrites)} of their writes are undecided (lost writes: ${int(c.lostWrites)} to ${int(c.lostWrites + c.undecidedWrites)})`
      : '',
  ].filter(Boolean);
  return `<p class="case-meta">${parts.join(' · ')}</p>`;
}

export function caseSection(
  c: CaseResult,
  id: string,
  limits: AnomalyLimits,
  colors: Record<string, string> = {},
): string {
  const faults = c.faults.length > 0 ? `<ul class="faults">${c.faults.map(faultItem).join('')}</ul>` : '';
  return [
    `<section class="case" id="${esc(id)}">`,
    `<h3><span>${esc(c.experiment)} · ${caseLabel(c)}</span>${caseBadge(c)}</h3>`,
    `<p class="case-meta">${int(c.users)} users · ${int(c.ops)} ops · ${secondsText(c.durationS)} workload${folder(c.dir)}</p>`,
    timingLine(c),
    faults,
    '<h4>Expectations</h4>',
    expectations(c.expectations),
    checkerErrors(c.checkerErrors),
    latencyTable(c),
    '<h4>Traffic</h4>',
    chartsSection(c, id),
    `<h4>Anomalies (${int(totalAnomalies(c))})</h4>`,
    exposureLine(c),
    swimlanesSection(c, colors),
    anomaliesSection(c.anomalies, limits, anomalyTotals(c), caseTraces(c)),
    '</section>',
  ].join('');
}
