/** Trends: each case's verdict and key figures over the last runs, a small chart per figure. */
import type { Trend, TrendPoint } from '../../model/comparison.ts';
import { caseName, show } from '../comparison-text.ts';
import { esc } from './escape.ts';
import { badge } from './format.ts';

const CHARTED = ['loggedOutShare', 'errorShare', 'p50Ms'] as const;
const [W, H] = [120, 28];

/** A sparkline as inline SVG (no script), with the figures as its text alternative. */
export function sparkline(values: number[], label: string): string {
  if (values.length === 0) return '–';
  const [low, high] = [Math.min(...values), Math.max(...values)];
  const y = (v: number): number => (high === low ? H / 2 : H - 2 - ((v - low) / (high - low)) * (H - 4));
  const x = (i: number): number => (values.length === 1 ? W / 2 : 2 + (i / (values.length - 1)) * (W - 4));
  const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const last = values.length - 1;
  return `<svg class="spark" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(label)}"><title>${esc(label)}</title><polyline fill="none" stroke="currentColor" stroke-width="1.5" points="${points}"/><circle cx="${x(last).toFixed(1)}" cy="${y(values[last] ?? 0).toFixed(1)}" r="2.5"/></svg>`;
}

function cell(metric: string, points: TrendPoint[]): string {
  const values = points.flatMap((p) => (p.metrics[metric] === undefined ? [] : [p.metrics[metric]]));
  const figures = values.map((v) => show(metric, v)).join(', ');
  const now = values.at(-1);
  return `<td>${sparkline(values, `${metric} over ${values.length} runs: ${figures}`)} <span class="share">${now === undefined ? '' : esc(show(metric, now))}</span></td>`;
}

function row(t: Trend): string {
  const verdicts = t.points.map((p) => badge(p.verdict, p.verdict[0]?.toUpperCase() ?? '?')).join('');
  return `<tr><th scope="row">${esc(caseName(t))}</th><td class="num">${t.points.length}</td><td>${verdicts}</td>${CHARTED.map((m) => cell(m, t.points)).join('')}</tr>`;
}

export function trendsSection(trends: Trend[] | undefined): string {
  if (!trends || trends.length === 0) return '';
  return [
    '<section class="experiment" id="trends">',
    '<h2>Trends over the last runs</h2>',
    '<p class="note">Oldest first, this run last (the dot). Verdicts: P pass, F fail, U unknown.</p>',
    '<div class="table-wrap"><table class="matrix"><thead><tr><th>case</th><th>runs</th><th>verdicts</th><th>logged-out users</th><th>errors</th><th>p50</th></tr></thead><tbody>',
    trends.map(row).join(''),
    '</tbody></table></div>',
    '</section>',
  ].join('');
}
