/** Writes index.html for a summary: loads the assets, renders, and replaces the file atomically. */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RunSummary } from '../../model/run.ts';
import { loadReportAssets } from './assets.ts';
import { type RenderOptions, renderReport } from './render.ts';

export async function writeHtmlReport(
  summary: RunSummary,
  file: string,
  options?: RenderOptions,
): Promise<void> {
  const html = renderReport(summary, await loadReportAssets(), options);
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, html, 'utf8');
  await rename(tmp, file);
}
