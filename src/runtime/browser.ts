/** The Chromium browser users run in: started like every other child of the runner, reaped after a crash. */
import { readlinkSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { childEnv, childrenOf } from './local/process.ts';
import { yieldToRunner } from './priority.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for a machine without network. Chromium's sandbox cannot run as root: only then is it turned off
 * (`--no-sandbox`); any other user keeps it.
 */
export const chromiumFlags = (uid = process.getuid?.()): string[] => [
  ...(uid === 0 ? ['--no-sandbox'] : []),
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Debian's Chromium, for browser users: marked with this runner's owner id so a crashed run's browser is
 * reaped, and given only the allowlisted environment, like every other child.
 */
export async function launchBrowser(): Promise<Browser> {
  // The runner handles Ctrl-C itself (heal, final report), then closes the browser.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: chromiumFlags(),
    env: childEnv(),
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  // Playwright starts it in a session of its own: it yields to the runner as the services do.
  for (const pid of chromiumChildren()) yieldToRunner(pid);
  return browser;
}

/** This process's children that run Chromium (Playwright does not say which process it started). */
function chromiumChildren(): number[] {
  const runsChromium = (pid: number): boolean => {
    try {
      return readlinkSync(`/proc/${pid}/exe`).includes('chrom');
    } catch {
      return false; // gone meanwhile
    }
  };
  return childrenOf(process.pid).filter(runsChromium);
}
