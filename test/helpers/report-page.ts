/** Reading a report in Chromium as a reader sees it: frames, charts drawn near the screen, section shots. */
import { readdirSync, readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { running } from './processes.ts';

/** Pids of running processes whose command line mentions `text`. */
export function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text) && running(Number(pid));
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

/** Resolves once the page has rendered two more frames. */
export const nextFrames = (page: Page): Promise<unknown> =>
  page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));

/**
 * A PNG of the page from the top of `first` to the bottom of `last`, taken as a reader sees it: scrolled
 * there, the window made tall enough to hold it, then given back its size. (Not a full-page shot: the
 * cases off screen are laid out only when scrolled near, content-visibility, so a full page would move.)
 */
export async function shootRange(page: Page, first: Locator, last: Locator, path: string): Promise<void> {
  const viewport = page.viewportSize();
  const range = async () => {
    const [a, b] = [await first.boundingBox(), await last.boundingBox()];
    if (!a || !b) throw new Error(`${path}: nothing to shoot (not rendered)`);
    const x = Math.min(a.x, b.x);
    return { x, y: a.y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: b.y + b.height - a.y };
  };
  await first.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await nextFrames(page);
  let clip = await range();
  try {
    // Scrolled as far as it goes, the page's bottom is the window's: growing the window only moves the
    // range down within it.
    if (viewport && clip.y + clip.height > viewport.height) {
      await page.setViewportSize({ width: viewport.width, height: Math.ceil(clip.y + clip.height) });
      await nextFrames(page);
      clip = await range();
    }
    await page.screenshot({ path, clip });
  } finally {
    if (viewport) await page.setViewportSize(viewport);
  }
}

/** Scrolls a chart's canvas into view and waits until the report has drawn it (it draws charts as they come near). */
export async function drawn(canvas: Locator): Promise<void> {
  await canvas.scrollIntoViewIfNeeded();
  await canvas.and(canvas.page().locator('canvas[data-drawn="true"]')).waitFor({ state: 'attached' });
}
