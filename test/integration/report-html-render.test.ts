/** The HTML report rendered in headless Chromium: every chart draws offline from its case's numbers, and the
 * page's CSP refuses any script but the report's own. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import type { RunSummary } from '../../src/model/run.ts';
import { writeHtmlReport } from '../../src/report/html/write.ts';
import { launchBrowser } from '../../src/runtime/browser.ts';

const FIXTURE = new URL('../fixtures/summary-sample.json', import.meta.url);

interface CanvasState {
  id: string;
  chart: boolean;
  width: number;
  height: number;
  painted: number;
  series: Record<string, number[]>;
  labels: string[];
}

describe('report/html in headless Chromium', function () {
  this.timeout(60_000);
  let browser: Browser;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'report-html-'));
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("draws every chart offline, without errors, each from its case's numbers", async () => {
    const summary = JSON.parse(await readFile(FIXTURE, 'utf8')) as RunSummary;
    const file = join(dir, 'index.html');
    await writeHtmlReport(summary, file);
    const url = pathToFileURL(file).href;

    const page = await browser.newPage({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1 });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    await page.goto(url, { waitUntil: 'load' });
    // Charts are drawn as they come near the screen: bring each case's charts there.
    for (const canvas of await page.locator('.case canvas').all()) await canvas.scrollIntoViewIfNeeded();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.case canvas')].every((c) => c.hasAttribute('data-drawn')),
    );

    const canvases = await page.evaluate(() => {
      const ChartCtor = (window as unknown as { Chart?: { getChart(c: HTMLCanvasElement): unknown } }).Chart;
      return [...document.querySelectorAll<HTMLCanvasElement>('.case canvas')].map((canvas) => {
        const ctx = canvas.getContext('2d');
        const pixels = ctx
          ? ctx.getImageData(0, 0, canvas.width, canvas.height).data
          : new Uint8ClampedArray();
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) painted++;
        const chart = ChartCtor?.getChart(canvas) as
          | { data: { labels?: unknown[]; datasets: { label: string; data: (number | { y: number })[] }[] } }
          | undefined;
        const series = Object.fromEntries(
          (chart?.data.datasets ?? []).map((d) => [
            d.label,
            d.data.map((p) => (typeof p === 'number' ? p : p.y)),
          ]),
        );
        return {
          id: canvas.id,
          chart: Boolean(chart),
          width: canvas.width,
          height: canvas.height,
          painted,
          series,
          labels: (chart?.data.labels ?? []).map(String),
        };
      });
    });

    // Kept with the test's files (removed afterwards) unless REPORT_SCREENSHOT asks for it elsewhere.
    await page.screenshot({ path: process.env.REPORT_SCREENSHOT ?? join(dir, 'report.png'), fullPage: true });
    await page.close();

    expect(problems, problems.join('\n')).to.deep.equal([]);
    expect(requests, 'the page fetched something').to.deep.equal([]);
    expect(canvases).to.have.length(summary.results.length * 2);
    for (const c of canvases as CanvasState[]) {
      expect(c.chart, `${c.id} has a Chart`).to.equal(true);
      expect(c.width, `${c.id} width`).to.be.greaterThan(100);
      expect(c.painted / (c.width * c.height), `${c.id} is painted`).to.be.greaterThan(0.01);
    }
    // Each timeline chart plots exactly its case's requests per node, logouts and errors per second.
    summary.results.forEach((r, i) => {
      const timeline = (canvases as CanvasState[]).filter((c) => 'logouts' in c.series)[i];
      expect(timeline?.series.logouts, `${r.strategy} logouts`).to.deep.equal(r.timeline.logouts);
      expect(timeline?.series.errors, `${r.strategy} errors`).to.deep.equal(r.timeline.errors);
      for (const [node, perSecond] of Object.entries(r.timeline.nodes))
        expect(timeline?.series[`${node} req/s`], `${r.strategy} ${node}`).to.deep.equal(perSecond);
    });
    // Each requests-by-node chart plots exactly its case's requests per node.
    summary.results.forEach((r, i) => {
      const byNode = (canvases as CanvasState[]).filter((c) => 'requests' in c.series)[i];
      const plotted = (byNode?.labels ?? []).map((node, k) => [node, byNode?.series.requests?.[k]]);
      const sorted = (pairs: unknown[][]) => pairs.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      expect(sorted(plotted), `${r.strategy} requests by node`).to.deep.equal(
        sorted(Object.entries(r.requestsByNode)),
      );
      expect(plotted.length, `${r.strategy} has nodes`).to.be.above(0);
    });
  });

  it("runs only the report's own scripts: one slipped into the page is refused by its CSP", async () => {
    const summary = JSON.parse(await readFile(FIXTURE, 'utf8')) as RunSummary;
    const file = join(dir, 'tampered.html');
    await writeHtmlReport(summary, file);
    const html = await readFile(file, 'utf8');
    // What escaping keeps out: a script in the page that is not one of the report's own.
    await writeFile(file, html.replace('</body>', '<script>document.title = "injected";</script></body>'));
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/.test(m.text())) refused.push(m.text());
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelectorAll('canvas').length > 0);
    const state = await page.evaluate(() => ({
      title: document.title,
      charts: Boolean((window as unknown as { Chart?: unknown }).Chart),
    }));
    await page.close();
    expect(state.title, 'the slipped-in script did not run').to.not.equal('injected');
    expect(state.charts, "the report's own scripts ran").to.equal(true);
    expect(refused.length, 'Chromium said why').to.be.above(0);
  });
});
