/** A case's workload: its browser users and HTTP users, started together and run to the end of the case. */
import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { Workload } from '../experiment/experiment.ts';
import type { WorkloadClock } from '../history/clock.ts';
import type { AdapterFile } from '../model/adapter.ts';
import type { LoopLag } from '../model/case.ts';
import type { Op } from '../model/op.ts';
import { traceFile } from '../model/run.ts';
import { AdapterClient } from './adapter-client.ts';
import { adapterSource } from './adapters/load.ts';
import { BrowserClient } from './browser/browser-client.ts';
import { PageTransport } from './browser/page-transport.ts';
import { HttpUsers } from './http/http-users.ts';
import type { SessionClient } from './session-client.ts';
import { finalReads, runUser, type UserPlan, userNames, userPlans } from './user-loop.ts';

export interface WorkloadOptions {
  workload: Workload;
  clock: WorkloadClock;
  seed: number;
  /** Called with every completed op, in completion order (the history writer and live stats). */
  record(op: Op): void;
  /** Stops the users early (Ctrl-C). */
  signal: AbortSignal;
  /** Starts the Chromium browser users run in (the runtime owns every process, browsers included). */
  launchBrowser(): Promise<Browser>;
  /** A user's adapter module for an app of their own; the app contract's when unset. */
  adapter?: AdapterFile;
  /** Each browser user records a Playwright trace, saved under this case folder when it closes (`--trace`). */
  traces?: { caseDir: string; note(message: string): void };
}

/** Browser and HTTP users working the app contract until the workload's duration is over. */
export class WorkloadRun {
  /** The browser users; the HTTP users run in a thread of their own (see HttpUsers). */
  readonly browsers: SessionClient[] = [];
  readonly #http: HttpUsers | null;
  /** Chromium, launched with the users: it starts while the cluster starts. */
  readonly #browser: Promise<Browser> | null;
  /** The HTTP users' thread's event-loop delay while they worked. */
  httpUsersLag: LoopLag | null = null;

  /** Starts the HTTP users' thread and Chromium at once: they load while the cluster starts. */
  constructor(readonly options: WorkloadOptions) {
    // Every user's pause listens for the abort: one listener per user is expected, not a leak.
    setMaxListeners(0, options.signal);
    const { workload, record } = options;
    const names = userNames('h', workload.httpUsers);
    const adapter = options.adapter ? { adapter: options.adapter } : {};
    this.#http = workload.httpUsers > 0 ? new HttpUsers({ names, workload, ...adapter }, record) : null;
    this.#browser = workload.browserUsers > 0 ? options.launchBrowser() : null;
    // A launch that fails is reported by open(); until then it must not count as unhandled.
    this.#browser?.catch(() => undefined);
  }

  /** Opens every user on the cluster at `baseUrl` (before the clock's work starts counting). */
  async open(baseUrl: string): Promise<void> {
    await Promise.all([this.#http?.open(baseUrl), this.#openBrowsers(baseUrl)]);
  }

  async #openBrowsers(baseUrl: string): Promise<void> {
    const { workload, clock } = this.options;
    if (this.#browser === null) return;
    const browser = await this.#browser;
    const users = userNames('b', workload.browserUsers);
    const traces = this.options.traces;
    const traceOf = (user: string) =>
      traces ? { path: join(traces.caseDir, traceFile(user)), note: traces.note } : null;
    // The contract's users fill in its forms; an adapter's send its requests from the page.
    const source = this.options.adapter && (await adapterSource(this.options.adapter));
    const open = (user: string): Promise<SessionClient> =>
      source
        ? PageTransport.open(browser, user, baseUrl, traceOf(user)).then(
            (page) => new AdapterClient(user, source, page, clock),
          )
        : BrowserClient.open(browser, user, baseUrl, clock, traceOf(user));
    this.browsers.push(...(await Promise.all(users.map(open))));
  }

  /** Runs every user until `durationS` on the clock has passed. */
  async run(): Promise<void> {
    const { workload, seed, clock, signal } = this.options;
    const deadline = workload.durationS * 1000;
    const heavy = workload.heavyUsers && { ...workload.heavyUsers, thinkMs: workload.thinkMs };
    const plans = userPlans(workload.httpUsers + this.browsers.length, seed, workload.arrivalS, heavy);
    const stop = (): void => this.#http?.stop();
    // Every browser user waits on this signal between its ops, besides this listener: not a leak.
    setMaxListeners(this.browsers.length * (workload.tabs ?? 1) + 10, signal);
    signal.addEventListener('abort', stop, { once: true });
    if (signal.aborted) stop();
    try {
      const http = this.#http?.run(clock.epochOrigin(), plans.slice(0, workload.httpUsers), deadline);
      await Promise.all([
        http?.then((lag) => {
          this.httpUsersLag = lag;
        }),
        ...this.browsers.map((client, i) =>
          runUser(client, plans[workload.httpUsers + i] as UserPlan, deadline, this.options, workload.tabs),
        ),
      ]);
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }

  /** Each user's last reads, after every fault healed (see finalReads). */
  async finalReads(): Promise<void> {
    await Promise.all([this.#http?.finalReads(), finalReads(this.browsers, this.options.record)]);
  }

  async close(): Promise<void> {
    await this.#http?.close();
    await Promise.all(this.browsers.map((c) => c.close()));
    await this.#browser?.then((browser) => browser.close()).catch(() => undefined);
  }
}
