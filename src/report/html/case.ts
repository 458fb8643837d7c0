/** One case (experiment × strategy × repeat): faults, expectations, charts, anomalies. */
import type { CaseResult, CheckerError } from '../../model/case.ts';
import type { ExpectationResult } from '../../model/expectation.ts';
import type { FaultRecord } from '../../model/fault.ts';
import { type AnomalyLimits, anomaliesSection, anomalyTotals, totalAnomalies } from './anomalies.ts';
import { chartsSection } from './charts.ts';
import { esc, relativeHref } from './escape.ts';
import { badge, caseLabel, int, seconds } from './format.ts';

function faultItem(f: FaultRecord): string {
  const until = f.healedAt === null ? 'never healed' : `healed at ${seconds(f.healedAt)}`;
  const detail = f.detail ? ` <span class="note">${esc(f.detail)}</span>` : '';
  const effects = [
    f.firstFailureAfterS != null ? `first failure ${seconds(f.firstFailureAfterS)} after it began` : '',
    f.recoveredAfterS != null ? `recovered ${seconds(f.recoveredAfterS)} after the heal` : '',
  ].filter(Boolean);
  const effect = effects.length ? ` — ${effects.join(', ')}` : '';
  return `<li><b>${esc(f.kind)}</b> → <code>${esc(f.target)}</code> at ${seconds(f.at)}, ${until}${effect}${detail}</li>`;
}

/** Latency before, during and after the faults: what a slow link or a dead node costs users. */
function latencyTable(c: CaseResult): string {
  if (!c.latencyByPhase || c.faults.length === 0) return '';
  const row = (label: string, l: CaseResult['latency']): string =>
    `<tr><td>${label}</td><td class="num">${int(l.count)}</td><td class="num">${l.p50}</td><td class="num">${l.p90}</td><td class="num">${l.p99}</td><td class="num">${l.max}</td></tr>`;
  const { before, during, after } = c.latencyByPhase;
  return [
    '<h4>Latency of successful ops (ms)</h4>',
    '<table class="latency"><thead><tr><th>ops started</th><th class="num">ops</th><th class="num">p50</th><th class="num">p90</th><th class="num">p99</th><th class="num">max</th></tr></thead><tbody>',
    row('before the first fault', before),
    row('while a fault was active', during),
    row('after the last heal', after),
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

export function caseSection(c: CaseResult, id: string, limits: AnomalyLimits): string {
  const faults = c.faults.length > 0 ? `<ul class="faults">${c.faults.map(faultItem).join('')}</ul>` : '';
  return [
    `<section class="case" id="${esc(id)}">`,
    `<h3><span>${esc(c.experiment)} · ${caseLabel(c)}</span>${badge(c.verdict)}</h3>`,
    `<p class="case-meta">${int(c.users)} users · ${int(c.ops)} ops · ${seconds(c.durationS)} workload${folder(c.dir)}</p>`,
    faults,
    '<h4>Expectations</h4>',
    expectations(c.expectations),
    checkerErrors(c.checkerErrors),
    latencyTable(c),
    '<h4>Traffic</h4>',
    chartsSection(c, id),
    `<h4>Anomalies (${int(totalAnomalies(c))})</h4>`,
    anomaliesSection(c.anomalies, limits, anomalyTotals(c)),
    '</section>',
  ].join('');
}
