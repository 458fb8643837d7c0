/** A browser user: a real user in Chromium, using the app's forms and pages. */
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import type { WorkloadClock } from '../../history/clock.ts';
import type { Op, OpKind } from '../../model/op.ts';
import { errorName } from '../outcome.ts';
import type { SessionClient } from '../session-client.ts';
import { readCartPage } from './cart-page.ts';
import { closeUserContext, openUserContext, type TraceTarget } from './context.ts';
import { opsFromHops } from './hops.ts';
import { NavigationRecorder } from './navigation.ts';

/** A real user in Chromium (one browser context each): logs in through the form, adds items through the form. */
export class BrowserClient implements SessionClient {
  #epoch = 0;

  private constructor(
    readonly user: string,
    readonly baseUrl: string,
    readonly clock: WorkloadClock,
    readonly context: BrowserContext,
    readonly page: Page,
    readonly recorder: NavigationRecorder,
    /** Set while the context records a trace (cleared once saved). */
    private trace: TraceTarget | null,
    /** The user's first tab, whose logins count the epochs, when this is another tab of it. */
    readonly parent: BrowserClient | null = null,
  ) {}

  get epoch(): number {
    return this.parent?.epoch ?? this.#epoch;
  }

  /** Another tab of this user: a page of the same context, sharing its cookies and so its session. */
  async tab(): Promise<BrowserClient> {
    const page = await this.context.newPage();
    const recorder = new NavigationRecorder(page, this.clock);
    return new BrowserClient(this.user, this.baseUrl, this.clock, this.context, page, recorder, null, this);
  }

  static async open(
    browser: Browser,
    user: string,
    baseUrl: string,
    clock: WorkloadClock,
    trace: TraceTarget | null = null,
  ): Promise<BrowserClient> {
    const { context, tracing } = await openUserContext(browser, user, trace);
    const page = await context.newPage();
    const recorder = new NavigationRecorder(page, clock);
    return new BrowserClient(user, baseUrl, clock, context, page, recorder, tracing);
  }

  async login(): Promise<Op[]> {
    this.#epoch += 1;
    const start = this.clock.now();
    try {
      await this.page.goto(`${this.baseUrl}/login`, { waitUntil: 'domcontentloaded' });
      await this.page.fill('#login-form [name=username]', this.user);
      await this.page.fill('#login-form [name=password]', 'secret');
    } catch (error) {
      return [this.#unknown('login', start, errorName(error))];
    }
    return this.#navigate('login', () => this.#submit('#login-form'));
  }

  async add(item: string): Promise<Op[]> {
    const before: Op[] = (await this.page.$('#add-form')) ? [] : await this.read();
    if (!(await this.page.$('#add-form'))) return before;
    await this.page.fill('#add-form [name=item]', item);
    return [...before, ...(await this.#navigate('add', () => this.#submit('#add-form'), item))];
  }

  read(): Promise<Op[]> {
    return this.#navigate('read', () =>
      this.page.goto(`${this.baseUrl}/cart`, { waitUntil: 'domcontentloaded' }),
    );
  }

  async close(): Promise<void> {
    if (this.parent) return void (await this.page.close().catch(() => undefined));
    const trace = this.trace;
    this.trace = null;
    await closeUserContext(this.context, this.user, trace);
  }

  async #submit(form: string): Promise<Response | null> {
    const [response] = await Promise.all([
      this.page.waitForNavigation({ waitUntil: 'domcontentloaded' }),
      this.page.click(`${form} [type=submit]`),
    ]);
    return response;
  }

  async #navigate(kind: OpKind, action: () => Promise<Response | null>, wrote?: string): Promise<Op[]> {
    const actionStart = this.clock.now();
    try {
      const response = await action();
      if (!response) return [this.#unknown(kind, actionStart, 'no response', wrote)];
      const hops = await this.recorder.chain(response);
      const view = await readCartPage(this.page);
      const ctx = { user: this.user, epoch: this.epoch, actionStart, viewEnd: this.clock.now(), view };
      return opsFromHops(kind, hops, wrote === undefined ? ctx : { ...ctx, wrote });
    } catch (error) {
      return [this.#unknown(kind, actionStart, errorName(error), wrote)];
    }
  }

  #unknown(op: OpKind, start: number, error: string, wrote?: string): Op {
    const result: Op = {
      user: this.user,
      client: 'browser',
      op,
      start,
      end: this.clock.now(),
      node: null,
      status: null,
      outcome: 'info',
      epoch: this.epoch,
      error,
    };
    if (wrote !== undefined) result.wrote = wrote;
    return result;
  }
}
