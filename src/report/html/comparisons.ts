/**
 * One experiment's strategies side by side: latency before/during/after its faults, bytes per write per kind
 * of link, memory per node — and, where the experiment compares cluster sizes, each against the node count.
 * Markup and the data the client script draws from (see client.ts).
 */
import type { CaseResult, LatencySummary } from '../../model/case.ts';
import { meanMemory } from './cost.ts';
import { esc } from './escape.ts';

export const LINK_KINDS = ['lb', 'store', 'replication'] as const;
type Phase = 'before' | 'during' | 'after';

/** One strategy (at one cluster size), its repeats averaged. */
export interface ComparedCase {
  strategy: string;
  nodes: number | null;
  /** p50 and p99 in ms, per phase; only `after` (all ops) when the experiment has no faults. */
  latency: Partial<Record<Phase, [number, number]>>;
  bytesPerWrite: Partial<Record<(typeof LINK_KINDS)[number], number>>;
  memoryMb: number | null;
}

export interface ComparisonData {
  id: string;
  /** True when the experiment runs strategies at several cluster sizes: charts against the node count. */
  bySize: boolean;
  cases: ComparedCase[];
}

const mean = (values: number[]): number | null =>
  values.length ? values.reduce((s, v) => s + v, 0) / values.length : null;
const round1 = (n: number): number => Math.round(n * 10) / 10;

function latencyOf(cases: CaseResult[]): ComparedCase['latency'] {
  const faulted = cases.some((c) => c.faults.length > 0);
  // Summaries saved before latency was split by phase have no latencyByPhase.
  const pick = (get: (c: CaseResult) => LatencySummary | undefined): [number, number] | undefined => {
    const measured = cases.flatMap((c) => get(c) ?? []).filter((l) => l.count > 0);
    const [p50, p99] = [mean(measured.map((l) => l.p50)), mean(measured.map((l) => l.p99))];
    return p50 === null || p99 === null ? undefined : [round1(p50), round1(p99)];
  };
  const phases: [Phase, (c: CaseResult) => LatencySummary | undefined][] = faulted
    ? [
        ['before', (c) => c.latencyByPhase?.before],
        ['during', (c) => c.latencyByPhase?.during],
        ['after', (c) => c.latencyByPhase?.after],
      ]
    : [['after', (c) => c.latency]];
  return Object.fromEntries(phases.flatMap(([phase, get]) => (pick(get) ? [[phase, pick(get)]] : [])));
}

function compared(cases: CaseResult[]): ComparedCase {
  const first = cases[0] as CaseResult;
  const bytesPerWrite = Object.fromEntries(
    LINK_KINDS.flatMap((kind) => {
      const m = mean(cases.flatMap((c) => c.cost?.links[kind]?.perWrite ?? []));
      return m === null ? [] : [[kind, Math.round(m)]];
    }),
  );
  const memoryMb = mean(cases.flatMap((c) => meanMemory(c) ?? []));
  return {
    strategy: first.strategy,
    nodes: first.appNodes ?? null,
    latency: latencyOf(cases),
    bytesPerWrite,
    memoryMb: memoryMb === null ? null : round1(memoryMb),
  };
}

/** The experiment's cases grouped by strategy and size (repeats averaged), in the order they ran. */
export function comparisonData(id: string, cases: CaseResult[]): ComparisonData {
  const groups = new Map<string, CaseResult[]>();
  for (const c of cases) {
    const key = `${c.strategy}\u0000${c.appNodes ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const sizes = new Set(cases.map((c) => c.appNodes).filter((n) => n !== undefined));
  return { id, bySize: sizes.size > 1, cases: [...groups.values()].map(compared) };
}

function figure(canvasId: string, label: string, caption: string): string {
  return [
    '<figure class="chart compare">',
    `<div class="canvas-box compare-box"><canvas id="${esc(canvasId)}" role="img" aria-label="${esc(label)}">`,
    `${esc(label)}</canvas></div>`,
    `<figcaption>${esc(caption)}</figcaption></figure>`,
  ].join('');
}

/** The comparison charts of one experiment; empty when there is only one strategy at one size to show. */
export function comparisonSection(data: ComparisonData): string {
  if (data.cases.length < 2) return '';
  const { id } = data;
  const hasCost = data.cases.some((c) => Object.keys(c.bytesPerWrite).length > 0 || c.memoryMb !== null);
  const figures = data.bySize
    ? [
        figure(
          `${id}-cmp-size-bytes`,
          'Bytes per write against nodes',
          'Bytes per acknowledged write on every link, against the number of app nodes: one line per strategy.',
        ),
        figure(
          `${id}-cmp-size-memory`,
          'Memory per node against nodes',
          'Mean memory of an app node (MB), against the number of app nodes: one line per strategy.',
        ),
        figure(
          `${id}-cmp-size-latency`,
          'p50 latency against nodes',
          'p50 latency of successful ops (ms), against the number of app nodes: one line per strategy.',
        ),
      ]
    : [
        figure(
          `${id}-cmp-latency`,
          'Latency by phase per strategy',
          'p50 latency of successful ops (ms) before, during and after the faults (p99 in the tooltip), per strategy.',
        ),
        ...(hasCost
          ? [
              figure(
                `${id}-cmp-bytes`,
                'Bytes per write per link kind',
                'Bytes per acknowledged write, stacked by kind of link (load balancer, store, replication), per strategy.',
              ),
              figure(
                `${id}-cmp-memory`,
                'Memory per node per strategy',
                'Mean memory of an app node (MB), per strategy.',
              ),
            ]
          : []),
      ];
  return `<h3>Strategies compared</h3><div class="compare-charts">${figures.join('')}</div>`;
}
