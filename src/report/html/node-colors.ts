/** One colour per app node across the whole report, so app-2 is the same colour in every chart and lane. */
import type { CaseResult } from '../../model/case.ts';

/** The palette the client script's charts use too (a unit test keeps the two the same). */
export const NODE_PALETTE = [
  '#4e79a7',
  '#59a14f',
  '#b07aa1',
  '#76b7b2',
  '#9c755f',
  '#edc948',
  '#ff9da7',
  '#bab0ac',
];

const byName = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

/** Every node any case served from or recorded, in name order, each with its palette colour. */
export function nodeColors(cases: CaseResult[]): Record<string, string> {
  const nodes = new Set(
    cases.flatMap((c) => [...Object.keys(c.timeline.nodes), ...Object.keys(c.requestsByNode)]),
  );
  return Object.fromEntries(
    [...nodes].sort(byName).map((n, i) => [n, NODE_PALETTE[i % NODE_PALETTE.length] as string]),
  );
}
