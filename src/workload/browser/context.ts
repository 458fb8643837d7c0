/** Each browser user's own browser context (its own cookies), and its Playwright trace. */
import type { Browser, BrowserContext } from 'playwright-core';
import { CLIENT_TIMEOUT_MS } from '../session-client.ts';

/** Where a browser user saves the Playwright trace of its context, and where it says it could not. */
export interface TraceTarget {
  /** The zip written when the user closes. */
  path: string;
  /** A trace that could not be started or saved: worth a line, never worth failing the case. */
  note(message: string): void;
}

/** A browser user's own context (its own cookies), recording a trace when asked and able. */
export async function openUserContext(
  browser: Browser,
  user: string,
  trace: TraceTarget | null,
): Promise<{ context: BrowserContext; tracing: TraceTarget | null }> {
  const context = await browser.newContext();
  context.setDefaultTimeout(CLIENT_TIMEOUT_MS);
  const tracing = trace && (await startTrace(context, user, trace)) ? trace : null;
  return { context, tracing };
}

/** Saves the user's trace (if it records one) and closes its context. */
export async function closeUserContext(
  context: BrowserContext,
  user: string,
  trace: TraceTarget | null,
): Promise<void> {
  if (trace) await saveTrace(context, user, trace);
  await context.close().catch(() => undefined);
}

/** Starts recording screenshots, DOM snapshots and network; false (and a note) if the context refused. */
async function startTrace(context: BrowserContext, user: string, trace: TraceTarget): Promise<boolean> {
  try {
    await context.tracing.start({ screenshots: true, snapshots: true, title: user });
    return true;
  } catch (error) {
    trace.note(`note: ${user} records no trace: ${(error as Error).message.split('\n')[0]}`);
    return false;
  }
}

/** Saves the trace; a context that crashed or closed loses it, with a note. */
async function saveTrace(context: BrowserContext, user: string, trace: TraceTarget): Promise<void> {
  try {
    await context.tracing.stop({ path: trace.path });
  } catch (error) {
    trace.note(`note: ${user}'s trace was not saved: ${(error as Error).message.split('\n')[0]}`);
  }
}
