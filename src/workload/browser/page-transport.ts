/** An adapter's requests made from a browser page: how browser users speak to an app through an adapter. */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { AppAnswer, AppRequest } from '../../model/adapter.ts';
import { LOAD_BALANCER_COOKIE } from '../../model/app.ts';
import type { Transport } from '../adapter-client.ts';
import { encodeRequest, parseJson } from '../http/app-client.ts';
import { sessionHash } from '../outcome.ts';
import { CLIENT_TIMEOUT_MS } from '../session-client.ts';
import { closeUserContext, openUserContext, type TraceTarget } from './context.ts';

interface PageAnswer {
  status: number;
  url: string;
  headers: [string, string][];
  text: string;
}

/**
 * An adapter's requests sent by a real page with fetch: Chromium's network stack and cookie jar (SameSite,
 * HttpOnly, paths), redirects followed as a browser follows them. The page first opens the app's
 * `/healthz`, so every request is same-origin.
 */
export class PageTransport implements Transport {
  readonly client = 'browser' as const;

  private constructor(
    readonly user: string,
    readonly context: BrowserContext,
    readonly page: Page,
    private trace: TraceTarget | null,
    /** Another tab of a user's context: closing it closes its page only. */
    readonly isTab = false,
  ) {}

  /** A user's own context (see openUserContext) with one page on the app's origin. */
  static async open(
    browser: Browser,
    user: string,
    baseUrl: string,
    trace: TraceTarget | null,
  ): Promise<PageTransport> {
    const { context, tracing } = await openUserContext(browser, user, trace);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/healthz`, { waitUntil: 'domcontentloaded' });
    return new PageTransport(user, context, page, tracing);
  }

  async tab(): Promise<PageTransport> {
    const page = await this.context.newPage();
    await page.goto(this.page.url(), { waitUntil: 'domcontentloaded' });
    return new PageTransport(this.user, this.context, page, null, true);
  }

  async send(request: AppRequest): Promise<AppAnswer> {
    const answer: PageAnswer = await this.page.evaluate(
      async ({ path, init, ms }) => {
        const signal = AbortSignal.timeout(ms);
        const res = await fetch(path, { ...init, credentials: 'same-origin', cache: 'no-store', signal });
        return { status: res.status, url: res.url, headers: [...res.headers], text: await res.text() };
      },
      {
        path: request.path,
        init: encodeRequest(request),
        ms: CLIENT_TIMEOUT_MS,
      },
    );
    const byName = new Map(answer.headers.map(([name, value]) => [name.toLowerCase(), value]));
    return {
      status: answer.status,
      header: (name) => byName.get(name.toLowerCase()) ?? null,
      text: answer.text,
      json: parseJson(answer.text),
      url: answer.url,
    };
  }

  async sessionHash(): Promise<string | undefined> {
    const cookies = await this.context.cookies();
    const own = cookies.filter((c) => c.name !== LOAD_BALANCER_COOKIE);
    return sessionHash(own.map((c) => `${c.name}=${c.value}`).join('; '));
  }

  async close(): Promise<void> {
    if (this.isTab) return void (await this.page.close().catch(() => undefined));
    const trace = this.trace;
    this.trace = null;
    await closeUserContext(this.context, this.user, trace);
  }
}
