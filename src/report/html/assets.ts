/** The report's one piece of I/O: reading the Chart.js browser bundle that renderReport inlines. */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ReportAssets } from './render.ts';

/**
 * Path of Chart.js's UMD bundle. The package's `exports` map hides `dist/*`, so resolve the main entry
 * (`dist/chart.cjs`) and take its sibling.
 */
export function chartJsPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('chart.js')), 'chart.umd.js');
}

let cached: Promise<ReportAssets> | undefined;

export function loadReportAssets(): Promise<ReportAssets> {
  cached ??= readFile(chartJsPath(), 'utf8').then((chartJs) => ({ chartJs }));
  return cached;
}
