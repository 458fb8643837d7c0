/** The report's stylesheet: calm colours, readable tables, print-friendly. */
export const STYLES = `
:root {
  --ink: #1f2328; --muted: #59636e; --line: #d8dee4; --soft: #f6f8fa; --accent: #2f5d8a;
  --pass: #1a7f37; --pass-bg: #dcf5e3; --fail: #b42318; --fail-bg: #fde7e5;
  --unknown: #8a5a00; --unknown-bg: #fdf1cf; --bad-bg: #fbe3e1; --warn-bg: #fcf0d4;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; color: var(--ink); background: #fff; line-height: 1.45; font-size: 14px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
.page { max-width: 1280px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 24px; margin: 0; font-weight: 650; }
h2 { font-size: 20px; margin: 40px 0 8px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 0 0 6px; display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
h4 { font-size: 13px; margin: 18px 0 6px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
h5 { font-size: 14px; margin: 14px 0 2px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.title-row { display: flex; align-items: center; gap: 14px; flex-wrap: wrap; }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 8px 20px; margin: 16px 0; }
.facts div { background: var(--soft); border-radius: 6px; padding: 8px 12px; }
.facts dt { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.facts dd { margin: 2px 0 0; font-size: 15px; font-weight: 600; font-variant-numeric: tabular-nums; }
.attention { border-left: 4px solid var(--fail); background: #fff8f7; padding: 8px 14px; margin: 12px 0; border-radius: 0 6px 6px 0; }
.attention.unknown-only { border-left-color: var(--unknown); background: #fffcf2; }
.attention h4 { margin-top: 4px; }
.attention ul { margin: 4px 0; padding-left: 18px; }
.toc { font-size: 13px; color: var(--muted); margin: 8px 0 0; }
.toc a { margin-right: 4px; }
.note { color: var(--muted); font-size: 13px; }
.badge {
  display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12px; font-weight: 650;
  text-transform: uppercase; letter-spacing: .03em; -webkit-print-color-adjust: exact; print-color-adjust: exact;
}
.badge.pass { color: var(--pass); background: var(--pass-bg); }
.badge.fail { color: var(--fail); background: var(--fail-bg); }
.badge.unknown { color: var(--unknown); background: var(--unknown-bg); }
.badge.big { font-size: 15px; padding: 3px 14px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 10px; text-align: left; vertical-align: top; }
.num { text-align: right; white-space: nowrap; }
table.matrix { width: 100%; margin: 8px 0 4px; }
table.matrix thead th {
  font-size: 12px; color: var(--muted); font-weight: 600; border-bottom: 2px solid var(--line);
  vertical-align: bottom; white-space: normal;
}
table.matrix tbody th { white-space: nowrap; }
table.matrix tbody tr { border-bottom: 1px solid var(--line); }
table.matrix tbody tr:hover { background: var(--soft); }
table.matrix td.zero { color: #9aa3ad; }
td.bad { background: var(--bad-bg); color: var(--fail); font-weight: 650; }
td.warn { background: var(--warn-bg); color: var(--unknown); font-weight: 650; }
td.bad, td.warn, .badge { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.share { font-weight: 400; font-size: 11px; opacity: .85; }
svg.spark { vertical-align: middle; color: var(--muted); }
td.expected { color: var(--muted); }
table.overview td { white-space: nowrap; vertical-align: top; }
table.overview td.none { color: #9aa3ad; text-align: center; }
table.overview .figure { font-size: 12px; }
table.claims th[scope=row] { white-space: normal; font-weight: 600; }
table.claims td.cases { font-size: 12px; }
.repeat { font-size: 11px; color: var(--muted); font-weight: 500; background: var(--soft); border-radius: 4px; padding: 0 5px; }
.case { border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px; margin: 22px 0; }
.case-meta { color: var(--muted); font-size: 13px; margin: 0 0 8px; }
.faults { margin: 4px 0 10px; padding: 0; list-style: none; font-size: 13px; }
.faults li::before { content: "⚡ "; }
table.expectations { width: 100%; font-size: 13px; }
table.expectations td { border-bottom: 1px solid var(--line); }
table.expectations td.state { width: 1%; white-space: nowrap; font-weight: 650; }
.state.ok { color: var(--pass); } .state.failed { color: var(--fail); } .state.undecided { color: var(--unknown); }
.checker-errors { background: var(--unknown-bg); border-radius: 6px; padding: 8px 12px; margin: 10px 0; font-size: 13px; }
.checker-errors ul { margin: 4px 0 0; padding-left: 18px; }
.charts { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 1fr); gap: 18px; margin: 12px 0; }
.chart { margin: 0; }
.canvas-box { position: relative; height: 260px; }
.chart figcaption { font-size: 12px; color: var(--muted); margin-top: 4px; }
.none { color: var(--muted); font-style: italic; }
.compare-charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 18px; margin: 8px 0 14px; }
.compare-box { height: 240px; }
/* Cases off screen are not laid out until scrolled near: a report of many cases opens at once. */
section.case { content-visibility: auto; contain-intrinsic-size: auto 1600px; }
svg.swimlanes { width: 100%; height: auto; display: block; margin: 6px 0 2px; font-size: 11px; }
.lane-band { fill: rgba(230, 145, 20, 0.13); stroke: rgba(190, 110, 0, 0.55); stroke-width: 0.5; }
.lane-band-label { fill: #7a4a00; font-size: 10px; }
.lane-user, .lane-tick { fill: var(--muted); }
.lane-axis { stroke: var(--line); }
.lane-mark { fill: var(--fail); font-size: 10px; }
.lane-anomaly { fill: var(--ink); }
.lane-legend { font-size: 12px; color: var(--muted); margin: 0 0 4px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
ul.lane-text { font-size: 12.5px; margin: 0 0 10px; padding-left: 18px; }
.kind-facts { margin: 0 0 6px; font-size: 12.5px; color: var(--muted); }
h5 .count { background: var(--fail-bg); color: var(--fail); border-radius: 999px; padding: 0 8px; font-size: 12px; }
.kind-error h5 .count { background: var(--warn-bg); color: var(--unknown); }
h5 .what { font-weight: 400; color: var(--muted); font-size: 12.5px; }
table.witness { font-size: 12px; width: 100%; margin-bottom: 4px; }
table.witness thead th { color: var(--muted); font-weight: 600; border-bottom: 1px solid var(--line); white-space: nowrap; }
table.witness td { padding: 2px 8px; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 11.5px; }
table.witness tr.anomaly th { font-weight: 500; background: var(--soft); padding-top: 5px; border-top: 1px solid var(--line); }
table.witness .at { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--muted); margin-right: 6px; }
table.witness .who { font-weight: 650; margin-right: 6px; }
tr.outcome-fail td.outcome, td.error { color: var(--fail); }
tr.outcome-info td.outcome { color: var(--unknown); }
.tag { font-size: 10px; background: #e6edf5; color: var(--accent); border-radius: 3px; padding: 0 4px; }
.more, .more-row td { color: var(--muted); font-style: italic; font-size: 12px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 10px; }
@media (max-width: 900px) { .charts { grid-template-columns: 1fr; } .page { padding: 16px; } }
@media print {
  body { font-size: 10.5pt; }
  .page { max-width: none; padding: 0; }
  .toc, noscript { display: none; }
  .case { break-inside: auto; border: none; padding: 0; border-top: 1px solid var(--line); border-radius: 0; }
  h2, h3, h4, h5 { break-after: avoid; }
  tr, figure, .facts div { break-inside: avoid; }
  .canvas-box { height: 210px; }
  .charts { grid-template-columns: 3fr 1fr; }
  a { color: inherit; }
  .table-wrap { overflow: visible; }
  th, td { padding: 3px 5px; }
  table.matrix { font-size: 9pt; }
  table.witness td, table.witness th { font-size: 7.5pt; padding: 1px 4px; }
  td.error { word-break: normal; white-space: nowrap; }
}
.bar { height: 4px; background: #6b8fd6; border-radius: 2px; margin-top: 2px; }
`;
