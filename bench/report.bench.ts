/** Bench: how much disk a run folder takes, how large its report is, how fast it is rebuilt and opened. */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CASE_FILES, RUN_FILES } from '../src/model/run.ts';
import { bytesUnder, PRUNED_FILE } from '../src/run/prune-runs.ts';
import { CHROMIUM, chromiumFlags } from '../src/runtime/browser.ts';
import { ROOT } from '../src/runtime/host.ts';

/**
 * What a run leaves on disk and how fast its report opens: a run folder's size by kind of file, the
 * report's and summary's size, `report` rebuilding it, and opening it in Chromium (navigation to the first
 * frame, median of OPENS). Reads reports/latest (the last `npm run chaos`: the quick matrix) when there is
 * one, else runs the smoke profile first. Targets, from the quick matrix measured here (59 MB with its 20
 * cases: histories 35, the kept browser traces 10, the rest 14; 33 MB before parallel-tabs joined it): the
 * run folder ≤ 65 MB, the report ≤ 1.5 MB, opening ≤ 1 s.
 */
const OPENS = 5;
const TARGETS = { folderMb: 65, reportMb: 1.5, openS: 1 };
const CLI = join(ROOT, 'bin', 'session-chaos.js');

const mb = (bytes: number): number => bytes / 1e6;
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Bytes per kind of file: histories, logs, traces, the reports, the rest. */
function sizes(dir: string, kinds: Record<string, number> = {}): Record<string, number> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const kind =
      name === CASE_FILES.history
        ? 'histories'
        : name === CASE_FILES.logs
          ? 'logs'
          : name === CASE_FILES.traces
            ? 'traces'
            : name === RUN_FILES.html || name === RUN_FILES.summary
              ? name
              : null;
    if (kind === null && lstatSync(path).isDirectory()) sizes(path, kinds);
    else kinds[kind ?? 'other'] = (kinds[kind ?? 'other'] ?? 0) + bytesUnder(path);
  }
  return kinds;
}

function runToMeasure(scratch: string): { dir: string; what: string } {
  const latest = join(ROOT, 'reports', 'latest');
  if (existsSync(join(latest, RUN_FILES.summary)) && !existsSync(join(latest, PRUNED_FILE))) {
    cpSync(realpathSync(latest), join(scratch, 'run'), { recursive: true });
    return { dir: join(scratch, 'run'), what: `reports/latest (${realpathSync(latest)})` };
  }
  process.stdout.write('no reports/latest: running the smoke profile first (about a minute)…\n');
  execFileSync('node', [CLI, 'run', '--profile', 'smoke', '--out', scratch, '--seed', '1'], {
    stdio: 'ignore',
  });
  return { dir: realpathSync(join(scratch, 'latest')), what: 'a smoke run (no reports/latest)' };
}

async function openTimes(html: string): Promise<number[]> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumFlags() });
  try {
    const times: number[] = [];
    for (let i = 0; i < OPENS; i += 1) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const started = performance.now();
      await page.goto(`file://${html}`, { waitUntil: 'load' });
      await page.evaluate(
        () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
      );
      times.push((performance.now() - started) / 1000);
      await page.close();
    }
    return times;
  } finally {
    await browser.close();
  }
}

export async function run(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'sc-bench-report-'));
  try {
    const { dir, what } = runToMeasure(scratch);
    const started = performance.now();
    execFileSync('node', [CLI, 'report', dir], { stdio: 'ignore' });
    const rebuildS = (performance.now() - started) / 1000;
    const kinds = sizes(dir);
    const folder = Object.values(kinds).reduce((a, b) => a + b, 0);
    const opens = await openTimes(join(dir, RUN_FILES.html));
    const report = kinds[RUN_FILES.html] ?? 0;
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
    process.stdout.write(`load average ${loadavg()[0]?.toFixed(2)}; ${what}\n`);
    for (const [kind, bytes] of Object.entries(kinds).sort(([, a], [, b]) => b - a))
      process.stdout.write(`  ${kind.padEnd(14)} ${mb(bytes).toFixed(1).padStart(6)} MB\n`);
    process.stdout.write(
      `${[
        `run folder ${mb(folder).toFixed(1)} MB (target ≤ ${TARGETS.folderMb}: ${met(mb(folder) <= TARGETS.folderMb)})`,
        `report ${mb(report).toFixed(2)} MB (target ≤ ${TARGETS.reportMb}: ${met(mb(report) <= TARGETS.reportMb)})`,
        `opens in ${median(opens).toFixed(2)} s, median of ${OPENS} (target ≤ ${TARGETS.openS}: ${met(median(opens) <= TARGETS.openS)})`,
        `\`report\` rebuilds it in ${rebuildS.toFixed(1)} s`,
      ].join('\n')}\n`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
