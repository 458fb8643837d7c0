/**
 * The users behind anomalies as swimlanes: each user's ops over time (node per run of ops, outcome) under the
 * fault windows, drawn as inline SVG so it reads without scripts, with the same story told in text beside it.
 */
import type { Anomaly } from '../../model/anomaly.ts';
import type { CaseResult, LaneRun, UserLane } from '../../model/case.ts';
import { esc } from './escape.ts';
import { secondsText } from './format.ts';

const WIDTH = 1000;
const LABEL_W = 56;
const LANE_H = 14;
const LANE_GAP = 8;
const TOP = 18;
const AXIS_H = 16;
const FAILED = '#b42318';
const UNKNOWN = '#8c8c8c';
const SHOWN_STEPS = 8;

type Scale = (ms: number) => number;

const seconds = (ms: number): string => secondsText(ms / 1000);
const interval = (from: number, to: number): string => `${(from / 1000).toFixed(1)}–${seconds(to)}`;
const runColor = (run: LaneRun, colors: Record<string, string>): string =>
  run.loggedOut || run.outcome === 'fail'
    ? FAILED
    : run.outcome === 'info'
      ? UNKNOWN
      : (colors[run.node ?? ''] ?? UNKNOWN);

function runTitle(run: LaneRun): string {
  const what = run.loggedOut
    ? 'no session (logged out)'
    : `${run.ops} op${run.ops === 1 ? '' : 's'} ${run.outcome}`;
  return `${run.node ?? 'no node'} · ${what} · ${interval(run.from, run.to)} · login ${run.epoch}`;
}

/** One run: titled when it says more than "one op, fine" (a lane of round-robin ops has hundreds of those). */
function runShape(run: LaneRun, x: Scale, colors: Record<string, string>): string {
  const [left, right] = [x(run.from), x(Math.max(run.to, run.from))];
  const box = `x="${left.toFixed(1)}" width="${Math.max(1, right - left).toFixed(1)}" height="${LANE_H}" fill="${runColor(run, colors)}"`;
  const plain = run.ops === 1 && run.outcome === 'ok' && !run.loggedOut;
  if (plain) return `<rect ${box}/>`;
  const mark = run.loggedOut
    ? `<text x="${left.toFixed(1)}" y="-1" class="lane-mark" text-anchor="middle">✕</text>`
    : '';
  return `<rect ${box}><title>${esc(runTitle(run))}</title></rect>${mark}`;
}

function laneShapes(
  lane: UserLane,
  y: number,
  x: Scale,
  colors: Record<string, string>,
  anomalies: Anomaly[],
) {
  const runs = lane.runs.map((run) => runShape(run, x, colors));
  const marks = anomalies.map((a) => {
    const cx = x(a.at).toFixed(1);
    return `<path d="M${cx} ${LANE_H - 1}l4 4l-4 4l-4-4z" class="lane-anomaly"><title>${esc(`${a.kind} at ${seconds(a.at)}: ${a.message}`)}</title></path>`;
  });
  const label = `<text x="${LABEL_W - 6}" y="${LANE_H - 3}" text-anchor="end" class="lane-user">${esc(lane.user)}</text>`;
  return `<g transform="translate(0 ${y})" class="lane">${label}${runs.join('')}${marks.join('')}</g>`;
}

function faultBands(c: CaseResult, x: Scale, height: number): string {
  return c.faults
    .filter((f) => f.status !== 'not-applied')
    .map((f) => {
      const [left, right] = [x(f.at * 1000), x((f.healedAt ?? c.durationS) * 1000)];
      const title = `${f.kind} → ${f.target} ${secondsText(f.at)}–${f.healedAt === null ? 'end' : secondsText(f.healedAt)}`;
      return `<rect x="${left.toFixed(1)}" y="0" width="${Math.max(1, right - left).toFixed(1)}" height="${height - AXIS_H}" class="lane-band"><title>${esc(title)}</title></rect><text x="${(left + 2).toFixed(1)}" y="11" class="lane-band-label">${esc(f.kind)}</text>`;
    })
    .join('');
}

function axis(durationS: number, x: Scale, y: number): string {
  const step = [1, 2, 5, 10, 15, 30, 60, 120, 300].find((s) => durationS / s <= 10) ?? 600;
  const ticks = [];
  for (let s = 0; s <= durationS; s += step)
    ticks.push(
      `<text x="${x(s * 1000).toFixed(1)}" y="${y + 12}" text-anchor="middle" class="lane-tick">${s} s</text>`,
    );
  return `<line x1="${LABEL_W}" y1="${y}" x2="${WIDTH}" y2="${y}" class="lane-axis"/>${ticks.join('')}`;
}

/** A lane told in words: where the user's ops went, session by session, and where it lost its session. */
export function laneText(lane: UserLane): string {
  const steps: string[] = [];
  let span: { node: string | null; epoch: number; from: number; to: number; failed: number } | null = null;
  const flush = () => {
    if (span)
      steps.push(
        `${span.node ?? 'no node'} (login ${span.epoch}) ${interval(span.from, span.to)}${span.failed ? `, ${span.failed} failed` : ''}`,
      );
    span = null;
  };
  for (const run of lane.runs) {
    if (run.loggedOut) {
      flush();
      steps.push(`no session on ${run.node ?? 'no node'} at ${seconds(run.from)}`);
      continue;
    }
    if (!span || span.node !== run.node || span.epoch !== run.epoch) {
      flush();
      span = { node: run.node, epoch: run.epoch, from: run.from, to: run.to, failed: 0 };
    }
    span.to = run.to;
    if (run.outcome !== 'ok') span.failed += run.ops;
  }
  flush();
  const shown = steps.slice(0, SHOWN_STEPS).join(' → ');
  const more = steps.length > SHOWN_STEPS || lane.truncated ? ' → …' : '';
  return `${shown}${more}`;
}

function legend(colors: Record<string, string>, lanes: UserLane[]): string {
  const used = new Set(lanes.flatMap((l) => l.runs.map((r) => r.node ?? '')));
  const nodes = Object.entries(colors)
    .filter(([node]) => used.has(node))
    .map(([node, color]) => `<span class="swatch" style="background:${esc(color)}"></span>${esc(node)}`);
  const marks = [
    `<span class="swatch" style="background:${FAILED}"></span>failed op or no session (✕)`,
    `<span class="swatch" style="background:${UNKNOWN}"></span>outcome unknown`,
    '◆ anomaly',
    'shaded: fault windows',
  ];
  return `<p class="lane-legend">${[...nodes, ...marks].join(' · ')}</p>`;
}

/** The swimlanes of a case's users behind anomalies; empty when none was hit. */
export function swimlanesSection(c: CaseResult, colors: Record<string, string>): string {
  const lanes = c.lanes ?? [];
  if (lanes.length === 0) return '';
  const durationMs = Math.max(1, c.durationS * 1000, ...lanes.flatMap((l) => l.runs.map((r) => r.to)));
  const x: Scale = (ms) => LABEL_W + ((WIDTH - LABEL_W) * Math.min(ms, durationMs)) / durationMs;
  const height = TOP + lanes.length * (LANE_H + LANE_GAP) + AXIS_H;
  const rows = lanes.map((lane, i) =>
    laneShapes(
      lane,
      TOP + i * (LANE_H + LANE_GAP),
      x,
      colors,
      c.anomalies.filter((a) => a.user === lane.user),
    ),
  );
  const label = `Ops over time of ${lanes.length} user(s) behind anomalies, by node, under the fault windows`;
  const svg = `<svg class="swimlanes" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${esc(label)}">${faultBands(c, x, height)}${rows.join('')}${axis(durationMs / 1000, x, height - AXIS_H)}</svg>`;
  const told = lanes.map((l) => `<li><b>${esc(l.user)}</b>: ${esc(laneText(l))}</li>`).join('');
  return [
    `<h4>Users behind anomalies (${lanes.length})</h4>`,
    svg,
    legend(colors, lanes),
    `<ul class="lane-text">${told}</ul>`,
  ].join('');
}
