/** Chart markup and the data the client script draws from. The drawing code itself is in client.ts. */
import type { CaseResult } from '../../model/case.ts';
import type { FaultRecord } from '../../model/fault.ts';
import { esc } from './escape.ts';
import { int } from './format.ts';

/** What one case contributes to the embedded JSON: only what the charts need, never the anomalies. */
export interface ChartData {
  id: string;
  bucketS: number;
  durationS: number;
  nodes: Record<string, number[]>;
  logouts: number[];
  errors: number[];
  faults: Pick<FaultRecord, 'kind' | 'target' | 'at' | 'healedAt'>[];
  requestsByNode: Record<string, number>;
}

export function chartData(c: CaseResult, id: string): ChartData {
  return {
    id,
    bucketS: c.timeline.bucketS,
    durationS: c.durationS,
    nodes: c.timeline.nodes,
    logouts: c.timeline.logouts,
    errors: c.timeline.errors,
    faults: c.faults.map(({ kind, target, at, healedAt }) => ({ kind, target, at, healedAt })),
    requestsByNode: c.requestsByNode,
  };
}

function hasTimeline(c: CaseResult): boolean {
  const t = c.timeline;
  return t.bucketS > 0 && (Object.keys(t.nodes).length > 0 || t.logouts.length > 0 || t.errors.length > 0);
}

function figure(cls: string, canvasId: string, label: string, caption: string): string {
  return [
    `<figure class="chart ${cls}">`,
    `<div class="canvas-box"><canvas id="${esc(canvasId)}" role="img" aria-label="${esc(label)}">`,
    `${esc(label)}</canvas></div>`,
    `<figcaption>${caption}</figcaption></figure>`,
  ].join('');
}

export function chartsSection(c: CaseResult, id: string): string {
  const nodes = Object.entries(c.requestsByNode);
  const byNode = nodes.map(([node, n]) => `${esc(node)} <b>${int(n)}</b>`).join(' · ');
  const timeline = hasTimeline(c)
    ? figure(
        'timeline',
        `${id}-timeline`,
        `Requests per second per node over ${c.durationS} s, with fault windows`,
        'Lines: requests/s per node (left axis). Bars: logouts and errors per ' +
          `${esc(c.timeline.bucketS)} s bucket (right axis). Shaded: fault windows.`,
      )
    : '<p class="none chart-missing">No timeline recorded.</p>';
  const nodesChart =
    nodes.length > 0
      ? figure('nodes', `${id}-nodes`, 'Requests by node', `Requests by node: ${byNode}`)
      : '<p class="none chart-missing">No requests recorded.</p>';
  return `<div class="charts">${timeline}${nodesChart}</div>`;
}
