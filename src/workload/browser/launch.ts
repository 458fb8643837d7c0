import { type Browser, chromium } from 'playwright-core';
import { ownerEnv } from '../../runtime/local/owner.ts';

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

/** Debian's Chromium, marked with this runner's owner id so a crashed run's browser is reaped. */
export function launchBrowser(): Promise<Browser> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
  );
  // The runner handles Ctrl-C itself (heal, final report), then closes the browser.
  return chromium.launch({
    executablePath: CHROMIUM,
    args: FLAGS,
    env: { ...env, ...ownerEnv() },
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}
