/** Number, time and verdict formatting shared by the report's parts. Deterministic (no locale, no clock). */
import type { CaseResult } from '../../model/case.ts';
import type { Verdict } from '../../model/expectation.ts';
import { esc } from './escape.ts';

/** 12345 → "12,345"; non-finite → "–". */
export function int(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const rounded = Math.round(n);
  const digits = String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return rounded < 0 ? `-${digits}` : digits;
}

/** Latency in ms: one decimal below 10, whole numbers above. */
export function ms(n: number): string {
  if (!Number.isFinite(n)) return '–';
  return n < 10 ? n.toFixed(1) : int(n);
}

/** Seconds with one decimal, e.g. "20.0 s". */
export function secondsText(s: number): string {
  return Number.isFinite(s) ? `${s.toFixed(1)} s` : '–';
}

export function fixed(n: number, digits: number): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '–';
}

/** "2025-06-01T12:00:03.120Z" → "2025-06-01 12:00:03 UTC"; anything unparseable is shown as given. */
export function dateTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso || '–';
  return `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Elapsed time between two ISO dates, e.g. "4 min 12 s"; "–" when either is missing. */
export function elapsed(fromIso: string, toIso: string): string {
  const from = Date.parse(fromIso);
  const to = Date.parse(toIso);
  if (Number.isNaN(from) || Number.isNaN(to) || to < from) return '–';
  const total = Math.round((to - from) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s} s`;
  return `${s} s`;
}

/** pass if every case passed, fail if any failed, otherwise (or with no cases) unknown. */
export function overallVerdict(verdicts: Verdict[]): Verdict {
  if (verdicts.includes('fail')) return 'fail';
  if (verdicts.length > 0 && verdicts.every((v) => v === 'pass')) return 'pass';
  return 'unknown';
}

export function badge(verdict: Verdict, label: string = verdict): string {
  const v = verdict === 'pass' || verdict === 'fail' ? verdict : 'unknown';
  return `<span class="badge ${v}">${esc(label)}</span>`;
}

/** A case's verdict as a badge; a case that claimed nothing says so instead of "unknown". */
export const caseBadge = (c: CaseResult): string =>
  badge(
    c.verdict,
    c.expectations.length === 1 && c.expectations[0]?.name === 'no expectations'
      ? 'no expectations'
      : c.verdict,
  );

/** "node-crash · sticky" plus "· repeat 2" when the case is a repeat. */
export function caseLabel(c: CaseResult): string {
  const repeat = c.repeat > 0 ? ` <span class="repeat">repeat ${esc(c.repeat)}</span>` : '';
  const size = c.appNodes === undefined ? '' : ` <span class="repeat">${esc(c.appNodes)} nodes</span>`;
  return `${esc(c.strategy)}${size}${repeat}`;
}
