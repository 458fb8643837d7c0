import { type Browser, chromium } from 'playwright-core';
import { childEnv } from './local/process.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that work as root on a machine without network (see notes/platform-facts.md). */
const FLAGS = [
  '--no-sandbox',
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
export function launchBrowser(): Promise<Browser> {
  // The runner handles Ctrl-C itself (heal, final report), then closes the browser.
  return chromium.launch({
    executablePath: CHROMIUM,
    args: FLAGS,
    env: childEnv(),
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}
