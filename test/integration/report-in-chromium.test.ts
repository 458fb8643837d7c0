/** The report of a real run as a reader sees it in Chromium: offline, with its header, overview, claims,
 * links, charts, swimlanes and anomalies, and browser traces opening in the trace viewer. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { readHistory } from '../../src/history/reader.ts';
import type { CaseResult } from '../../src/model/case.ts';
import type { RunSummary } from '../../src/model/run.ts';
import { launchBrowser } from '../../src/runtime/browser.ts';
import { runExperiments } from '../helpers/chaos-run.ts';
import { running } from '../helpers/processes.ts';
import { drawn, nextFrames, processesMentioning, shootRange } from '../helpers/report-page.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { waitFor } from '../helpers/wait.ts';

/**
 * The report of a real run, opened from its run folder in Chromium (file://) and read as a reader sees it:
 * the overview matrix, the claims, every link, the charts' pixels, the swimlanes, and a browser user's
 * Playwright trace opened in the trace viewer that ships in playwright-core. Each section is kept as a PNG
 * under test-artifacts/report/ (see ARTIFACTS).
 */
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = join(REPO, 'test-artifacts', 'report');
const PLAYWRIGHT_CLI = join(REPO, 'node_modules', 'playwright-core', 'cli.js');

/**
 * Two app nodes, sticky vs redis, the busiest node killed. More browser users than HTTP users: whichever
 * way HAProxy pins the five, the busiest node holds at least three of them, so at least one browser user,
 * which then loses its session (or meets errors) under sticky and so keeps its trace (the default
 * `--trace anomalies`). That needs the browser users to have logged in before the kill: it comes at 4 s
 * (a browser user's first login takes 0.5–2 s on a 2-core machine, up to 5 s when it is busy with more).
 */
const SEED = 7;
const EXPERIMENT = {
  name: 'report-in-chromium',
  description: 'SIGKILL the busiest app node; sticky vs a shared store',
  strategies: ['sticky', 'redis'],
  cluster: { appNodes: 2 },
  workload: { browserUsers: 3, httpUsers: 2, thinkMs: 250 },
  profiles: { quick: { durationS: 8 }, full: { durationS: 8 } },
  faults: [{ kind: 'kill-node', target: 'app:busiest', at: 4, duration: 3 }],
  expectations: {
    sticky: [{ metric: 'logouts', atLeast: 1 }, { check: 'logouts-only-among-users-of-faulted-nodes' }],
    redis: [{ metric: 'logouts', equals: 0 }],
  },
};

/** Chart.js's instance of a canvas, as far as these tests read it. */
interface ChartLike {
  data: {
    datasets: { label?: string; data: unknown[]; borderColor?: unknown; backgroundColor?: unknown }[];
  };
}

interface CanvasState {
  id: string;
  chart: boolean;
  width: number;
  height: number;
  /** Pixels drawn at all (alpha > 0). */
  painted: number;
  /** Pixels in one of the chart's dataset colours: the data itself, not just axes and labels. */
  dataPixels: number;
  /** Whether any dataset has a non-zero value to draw. */
  hasData: boolean;
}

describe('the report of a real run, in Chromium', function () {
  this.timeout(240_000);
  let runDir = '';
  let summary: RunSummary;
  let browser: Browser | undefined;
  let page: Page;
  let reportUrl = '';
  const problems: string[] = [];
  const requests: string[] = [];
  let viewer: ChildProcess | undefined;

  const caseId = (c: CaseResult): Promise<string> =>
    page
      .locator('section.case')
      .filter({ has: page.locator('h3', { hasText: `${c.experiment} · ${c.strategy}` }) })
      .getAttribute('id')
      .then((id) => {
        if (!id) throw new Error(`no case section for ${c.dir}`);
        return id;
      });

  /** The case whose users were logged out (sticky's, when the kill hit its pinned users). */
  const caseWithLogouts = (): CaseResult => {
    const found = summary.results.find((r) => r.logouts > 0 && (r.lanes ?? []).length > 0);
    if (!found)
      throw new Error(
        `no case logged anyone out: ${summary.results.map((r) => `${r.dir} ${r.logouts} logouts`).join(', ')}`,
      );
    return found;
  };

  before(async () => {
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(scratchDir('report-chromium'), 'report-in-chromium.experiment.json');
    writeFileSync(file, JSON.stringify(EXPERIMENT));
    const run = await runExperiments([file], SEED);
    ({ runDir, summary } = run);
    expect(run.code, `the run ended in an infrastructure error:\n${run.stdout.slice(-2000)}`).to.be.oneOf([
      0, 1,
    ]);
    expect(summary.results.map((r) => r.strategy)).to.deep.equal(EXPERIMENT.strategies);

    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1 });
    reportUrl = pathToFileURL(join(runDir, 'index.html')).href;
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on('request', (r) => {
      if (r.url() !== reportUrl) requests.push(r.url());
    });

    // How fast the report opens (printed, not asserted: speed is for the benchmarks): to its load event, to
    // its first frame (as bench/report.bench.ts measures it); and, since it draws a chart as it comes near
    // the screen, how long the first case's timeline takes to appear once scrolled to. Then the same again.
    const open = async (go: () => Promise<unknown>): Promise<string> => {
      await page.evaluate(() => window.scrollTo(0, 0)).catch(() => undefined);
      const started = performance.now();
      await go();
      const loadMs = performance.now() - started;
      await nextFrames(page);
      const frameMs = performance.now() - started;
      const timeline = page.locator('section.case canvas[id$="-timeline"]').first();
      const scrolled = performance.now();
      await drawn(timeline);
      const chartMs = performance.now() - scrolled;
      await page.evaluate(() => window.scrollTo(0, 0));
      return (
        `load event ${loadMs.toFixed(0)} ms, first frame ${frameMs.toFixed(0)} ms; ` +
        `a timeline drawn ${chartMs.toFixed(0)} ms after scrolling to it`
      );
    };
    const first = await open(() => page.goto(reportUrl, { waitUntil: 'load' }));
    const again = await open(() => page.reload({ waitUntil: 'load' }));
    const kb = statSync(join(runDir, 'index.html')).size / 1024;
    const charts = await page.locator('canvas').count();
    console.log(
      `      report: ${reportUrl} (${kb.toFixed(0)} KB, ${charts} charts; seed ${SEED})\n` +
        `      first open: ${first}\n      reload: ${again}\n      screenshots: ${ARTIFACTS}`,
    );
  });

  after(async () => {
    if (viewer?.pid !== undefined && running(viewer.pid)) viewer.kill('SIGKILL');
    await browser?.close();
  });

  it('opens offline, fetching nothing, without a console error or a page error', () => {
    expect(problems, problems.join('\n')).to.deep.equal([]);
    expect(requests, 'the page fetched something').to.deep.equal([]);
  });

  it('header: the cases and the overall verdict', async () => {
    const header = page.locator('header');
    await header.screenshot({ path: join(ARTIFACTS, '1-header.png') });
    const facts = await header
      .locator('.facts > div')
      .evaluateAll((divs) =>
        divs.map((d) => [d.querySelector('dt')?.textContent ?? '', d.querySelector('dd')?.textContent ?? '']),
      );
    const cases = facts.find(([label]) => label === 'Cases')?.[1] ?? '';
    expect(cases, 'the Cases fact').to.match(new RegExp(`^${summary.results.length}\\b`));
    const verdict = ((await header.locator('.badge.big').textContent()) ?? '').toLowerCase();
    const verdicts = summary.results.map((r) => r.verdict);
    const overall = verdicts.includes('fail')
      ? 'fail'
      : verdicts.every((v) => v === 'pass')
        ? 'pass'
        : 'unknown';
    expect(verdict).to.equal(overall);
  });

  it('overview: strategies × experiments, each cell its verdict and logged-out share, linked to its case', async () => {
    const overview = page.locator('section.overview');
    await overview.screenshot({ path: join(ARTIFACTS, '2-overview.png') });
    const columns = await overview.locator('thead th[scope=col]').allInnerTexts();
    expect(columns).to.deep.equal([EXPERIMENT.name]);
    const rows = overview.locator('tbody tr');
    expect(await rows.locator('th[scope=row]').allInnerTexts()).to.deep.equal(EXPERIMENT.strategies);
    for (const result of summary.results) {
      const cell = rows.filter({ has: page.locator('th', { hasText: result.strategy }) }).locator('td');
      const badge = cell.locator('a .badge');
      expect(
        ((await badge.textContent()) ?? '').toLowerCase(),
        `${result.strategy}: verdict as text`,
      ).to.equal(result.verdict);
      const colour = await badge.evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(colour, `${result.strategy}: verdict as colour`).to.not.be.oneOf([
        'rgba(0, 0, 0, 0)',
        'transparent',
      ]);
      const share = Math.round((100 * result.loggedOutUsers) / result.users);
      expect(await cell.locator('.figure').textContent(), `${result.strategy}: key figure`).to.equal(
        `logged out ${share} %`,
      );
      const href = await cell.locator('a').getAttribute('href');
      expect(href, `${result.strategy}: links to its case`).to.equal(`#${await caseId(result)}`);
    }
    // A click goes there: the case section scrolls to the top of the window.
    const first = rows.first().locator('td a');
    const target = (await first.getAttribute('href')) ?? '';
    await first.click();
    await page.waitForFunction((hash) => window.location.hash === hash, target);
    const top = await page.locator(target).evaluate((el) => el.getBoundingClientRect().top);
    expect(top, `${target} is at the top after the click`).to.be.within(-2, 50);
    await page.evaluate(() => window.scrollTo(0, 0));
  });

  it('claims: one row per claim, each confirmed, refuted or not measured, linked to the cases it was decided on', async () => {
    const claims = summary.claims ?? [];
    expect(claims.length, 'summary.json has claims').to.be.above(0);
    const section = page.locator('#claims');
    await section.screenshot({ path: join(ARTIFACTS, '3-claims.png') });
    const measured = claims.filter((c) => c.status !== 'not measured').length;
    expect(measured, 'sticky and redis measure some claims').to.be.above(0);
    expect(await section.locator('h2 .note').textContent()).to.equal(
      `${measured} of ${claims.length} measured in this run`,
    );
    const rows = await section.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        statement: tr.querySelector('th')?.firstChild?.textContent ?? '',
        status: (tr.querySelector('.badge')?.textContent ?? '').toLowerCase(),
        links: [...tr.querySelectorAll('td.cases a')].map((a) => ({
          text: a.textContent ?? '',
          target: a.getAttribute('href') ?? '',
        })),
      })),
    );
    expect(rows.map((r) => [r.statement, r.status])).to.deep.equal(
      claims.map((c) => [c.statement, c.status]),
    );
    for (const [i, claim] of claims.entries()) {
      const links = rows[i]?.links ?? [];
      expect(
        links.map((l) => l.text),
        `${claim.statement}: its cases`,
      ).to.deep.equal(claim.cases);
      for (const link of links) {
        const result = summary.results.find((r) => r.dir === link.text);
        expect(result, `${link.text} is a case of this run`).to.not.equal(undefined);
        expect(link.target, `${claim.statement}: ${link.text}`).to.equal(
          `#${await caseId(result as CaseResult)}`,
        );
      }
    }
  });

  it('every link resolves: in-page anchors to an element, relative links to a file of the run folder', async () => {
    const links = await page.locator('a').evaluateAll((anchors) =>
      anchors.map((a) => {
        const raw = a.getAttribute('href');
        const inPage = raw?.startsWith('#')
          ? document.getElementById(decodeURIComponent(raw.slice(1)))
          : null;
        return {
          text: (a.textContent ?? '').trim(),
          raw,
          href: (a as HTMLAnchorElement).href,
          inPage: inPage === null ? null : `${inPage.tagName.toLowerCase()}.${inPage.className}`,
        };
      }),
    );
    expect(links.length).to.be.above(0);
    const files: string[] = [];
    for (const link of links) {
      const what = `<a href="${link.raw}">${link.text}</a>`;
      expect(link.raw, `${what} has an href`).to.be.a('string').and.not.equal('');
      if (link.raw?.startsWith('#')) {
        expect(link.inPage, `${what} points at an element of the page`).to.not.equal(null);
        continue;
      }
      const url = new URL(link.href);
      expect(url.protocol, `${what} stays in the run folder (no network)`).to.equal('file:');
      const path = fileURLToPath(url);
      expect(path.startsWith(runDir + sep), `${what} stays in the run folder`).to.equal(true);
      expect(existsSync(path), `${what}: ${path} exists`).to.equal(true);
      files.push(relative(runDir, path));
    }
    for (const r of summary.results)
      expect(files, `${r.dir}: its history is linked`).to.include(join(r.dir, 'history.jsonl'));
  });

  it('every chart drew its data: timelines, requests by node, and the strategies compared', async () => {
    const canvases: CanvasState[] = [];
    for (const canvas of await page.locator('canvas').all()) {
      await drawn(canvas);
      canvases.push(
        await canvas.evaluate((el) => {
          const canvas = el as HTMLCanvasElement;
          const Chart = (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): unknown } }).Chart;
          const chart = Chart.getChart(canvas) as ChartLike | undefined;
          const datasets = chart?.data.datasets ?? [];
          const scratch = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
          const colours = datasets
            .flatMap((d) => [d.borderColor, d.backgroundColor].flat())
            .filter((c): c is string => typeof c === 'string')
            .map((colour) => {
              // As the canvas stores it, through a 1×1 scratch canvas. (No named functions in here: tsx
              // would wrap them in a helper the page does not have.)
              if (!scratch) return [];
              scratch.clearRect(0, 0, 1, 1);
              scratch.fillStyle = colour;
              scratch.fillRect(0, 0, 1, 1);
              return [...scratch.getImageData(0, 0, 1, 1).data.slice(0, 3)];
            });
          const hasData = datasets.some((d) =>
            d.data.some((p) => {
              const v = typeof p === 'object' && p !== null ? (p as { y: unknown }).y : p;
              return typeof v === 'number' && v !== 0;
            }),
          );
          const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
          let painted = 0;
          let dataPixels = 0;
          for (let i = 0; pixels && i < pixels.length; i += 4) {
            if ((pixels[i + 3] ?? 0) === 0) continue;
            painted += 1;
            const [r, g, b] = [pixels[i] ?? 0, pixels[i + 1] ?? 0, pixels[i + 2] ?? 0];
            const near = colours.some(
              ([cr = -99, cg = -99, cb = -99]) => Math.abs(r - cr) + Math.abs(g - cg) + Math.abs(b - cb) < 12,
            );
            if (near) dataPixels += 1;
          }
          return {
            id: canvas.id,
            chart: chart !== undefined,
            width: canvas.width,
            height: canvas.height,
            painted,
            dataPixels,
            hasData,
          };
        }),
      );
    }
    expect(problems, problems.join('\n')).to.deep.equal([]);

    const ids = await Promise.all(summary.results.map(caseId));
    const compared = canvases.filter((c) => c.id.includes('-cmp-'));
    const compareIds = await page
      .locator('.compare-charts canvas')
      .evaluateAll((list) => list.map((c) => c.id));
    expect(compareIds.length, 'the strategies compared: at least the latency chart').to.be.above(0);
    expect(compared.map((c) => c.id)).to.deep.equal(compareIds);
    for (const id of ids) {
      const timeline = canvases.find((c) => c.id === `${id}-timeline`);
      expect(timeline?.hasData, `${id}: a timeline with requests`).to.equal(true);
    }
    expect(compared.find((c) => c.id.endsWith('-cmp-latency'))?.hasData, 'latency compared').to.equal(true);
    for (const c of canvases) {
      expect(c.chart, `${c.id} has a chart`).to.equal(true);
      expect(c.width, `${c.id} width`).to.be.above(100);
      expect(c.painted / (c.width * c.height), `${c.id} is not blank`).to.be.above(0.005);
      if (c.hasData) expect(c.dataPixels, `${c.id}: its data is drawn in its colours`).to.be.above(50);
    }
    const experiment = page.locator('section.experiment', { has: page.locator('.compare-charts') }).first();
    await shootRange(
      page,
      experiment.locator('h3', { hasText: 'Strategies compared' }),
      experiment.locator('.compare-charts'),
      join(ARTIFACTS, '4-strategies-compared.png'),
    );
    const timeline = page.locator(`#${ids[0]}-timeline`).locator('xpath=ancestor::figure');
    await shootRange(page, timeline, timeline, join(ARTIFACTS, '5-timeline.png'));
  });

  it('swimlanes: a lane per user behind the anomalies of the case with logouts, each drawn with rects', async () => {
    const result = caseWithLogouts();
    const section = page.locator(`#${await caseId(result)}`);
    const svg = section.locator('svg.swimlanes');
    await svg.scrollIntoViewIfNeeded();
    const box = await svg.boundingBox();
    expect(box?.width ?? 0, 'the swimlanes have a size').to.be.above(300);
    const lanes = await svg.locator('g.lane').evaluateAll((groups) =>
      groups.map((g) => {
        const rects = [...g.querySelectorAll('rect')];
        return {
          user: g.querySelector('text.lane-user')?.textContent ?? '',
          rects: rects.length,
          drawn: rects.filter((r) => r.getBBox().width > 0 && r.getBBox().height > 0).length,
          failed: rects.filter((r) => r.getAttribute('fill') === '#b42318').length,
          marks: [...g.querySelectorAll('text.lane-mark')].length,
        };
      }),
    );
    expect(
      lanes.map((l) => l.user),
      'one lane per user',
    ).to.deep.equal((result.lanes ?? []).map((l) => l.user));
    const loggedOut = new Set(result.anomalies.filter((a) => a.kind === 'logout').map((a) => a.user));
    for (const lane of lanes) {
      expect(lane.rects, `${lane.user}: runs of ops`).to.be.above(0);
      expect(lane.drawn, `${lane.user}: every run drawn`).to.equal(lane.rects);
      if (loggedOut.has(lane.user)) {
        expect(lane.failed, `${lane.user}: its logout in red`).to.be.above(0);
        expect(lane.marks, `${lane.user}: its logout marked ✕`).to.be.above(0);
      }
    }
    expect(await svg.locator('rect.lane-band').count(), 'the fault window shaded').to.equal(
      result.faults.length,
    );
    await shootRange(
      page,
      section.locator('h4', { hasText: 'Users behind anomalies' }),
      section.locator('ul.lane-text'),
      join(ARTIFACTS, '6-swimlanes.png'),
    );
  });

  it("anomalies: grouped by kind with their counts, and a browser user's trace opens in the trace viewer", async () => {
    const result = caseWithLogouts();
    const section = page.locator(`#${await caseId(result)}`);
    const kinds = section.locator('section.kind');
    await shootRange(
      page,
      section.locator('h4', { hasText: /^Anomalies/i }),
      kinds.last(),
      join(ARTIFACTS, '7-anomalies.png'),
    );
    const count = (await section.locator('section.kind-logout h5 .count').textContent()) ?? '';
    expect(Number(count.replace(/,/g, '')), 'logouts counted').to.equal(result.logouts);

    const traces = section.locator('a.trace');
    if ((await traces.count()) === 0) {
      // Say why: which node each browser user was on when the fault hit, and what it met.
      const [fault] = result.faults;
      const history = readHistory(join(runDir, result.dir, 'history.jsonl'));
      const browsers = [...new Set(history.filter((op) => op.client === 'browser').map((op) => op.user))];
      const where = browsers.map((user) => {
        const before = history.filter(
          (op) => op.user === user && op.node && op.start < (fault?.at ?? 0) * 1000,
        );
        const kinds = [...new Set(result.anomalies.filter((a) => a.user === user).map((a) => a.kind))];
        return `${user} on ${before.at(-1)?.node ?? 'no node yet'}, anomalies: ${kinds.join(', ') || 'none'}`;
      });
      expect.fail(
        `no anomaly of ${result.dir} links a trace: ${fault?.kind} hit ${fault?.target} at ${fault?.at} s; ` +
          `${where.join('; ')}; traces kept: ${JSON.stringify(result.traces ?? [])}`,
      );
    }
    const link = traces.first();
    const user = (await link.locator('xpath=preceding-sibling::span[@class="who"]').textContent()) ?? '';
    const href = await link.evaluate((a) => (a as HTMLAnchorElement).href);
    const zip = fileURLToPath(href);
    expect(existsSync(zip), `${zip} exists`).to.equal(true);
    const shown = relative(runDir, zip);
    expect(await link.getAttribute('title'), 'the title gives the command that opens it').to.contain(
      `npx playwright-core show-trace --port 0 ${shown}`,
    );

    // The viewer as the title says (from the run folder, --port 0), by the CLI of the playwright-core
    // installed here. With --port it serves the viewer and asks xdg-open to open it: without a display
    // and with BROWSER=true, xdg-open runs `true URL`, so nothing else opens.
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      BROWSER: 'true',
    };
    let output = '';
    let url = '';
    try {
      viewer = spawn(process.execPath, [PLAYWRIGHT_CLI, 'show-trace', '--port', '0', shown], {
        cwd: runDir,
        env,
      });
      viewer.stdout?.on('data', (d) => {
        output += d;
      });
      viewer.stderr?.on('data', (d) => {
        output += d;
      });
      await waitFor(
        'the trace viewer to say where it listens',
        async () => {
          if (viewer?.exitCode !== null) throw new Error(`the trace viewer exited: ${output}`);
          url = /Listening on (http:\/\/\S+)/.exec(output)?.[1] ?? '';
          return url !== '';
        },
        30_000,
      );
      const viewerPage = await (browser as Browser).newPage({ viewport: { width: 1280, height: 800 } });
      await viewerPage.goto(url.replace('0.0.0.0', '127.0.0.1'));
      const actions = viewerPage.locator('.actions-tree-view [role=treeitem]');
      await actions.first().waitFor({ timeout: 30_000 });
      const listed = await actions.allInnerTexts();
      const ops = readHistory(join(runDir, result.dir, 'history.jsonl')).filter((op) => op.user === user);
      expect(listed.length, `${user}: at least one action per op (${ops.length} ops)`).to.be.at.least(
        ops.length,
      );
      expect(
        listed.some((text) => text.includes(`Fill "${user}"`)),
        `${user}: its login typed its name`,
      ).to.equal(true);
      expect(
        listed.some((text) => text.startsWith('Navigate') && text.includes('/login')),
        'a navigation to the login page',
      ).to.equal(true);
      await viewerPage.screenshot({ path: join(ARTIFACTS, '8-trace-viewer.png') });
      await viewerPage.close();
    } finally {
      const pid = viewer?.pid;
      if (pid !== undefined) {
        viewer?.kill('SIGTERM');
        await waitFor('the trace viewer to stop', async () => !running(pid), 10_000);
      }
      const port = url === '' ? '' : new URL(url).port;
      if (port !== '')
        await waitFor(
          `nothing left that was handed the viewer's address (${url})`,
          async () => processesMentioning(`:${port}`).length === 0,
          10_000,
        );
    }
    expect(processesMentioning(shown), 'nothing left running on the trace').to.deep.equal([]);
  });
});
