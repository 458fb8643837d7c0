/** When each request of a browser user's navigation was really sent and answered, on the workload clock. */
import type { Page, Request, Response } from 'playwright-core';
import type { WorkloadClock } from '../../history/clock.ts';
import { answeringNode } from '../../model/app.ts';

/** One request of a navigation's redirect chain, with times on the workload clock. */
export interface Hop {
  method: string;
  path: string;
  status: number | null;
  node: string | null;
  location: string | null;
  start: number;
  end: number;
}

/**
 * Times every main-frame navigation request of a page on the workload clock. The browser's own timing of
 * each request is used (when it was sent, when its response ended), not the moment the runner hears of it,
 * which on a busy machine comes hundreds of ms later; the events are the fallback.
 */
export class NavigationRecorder {
  readonly #starts = new WeakMap<Request, number>();
  readonly #ends = new WeakMap<Request, number>();

  constructor(
    page: Page,
    readonly clock: WorkloadClock,
  ) {
    page.on('request', (r) => r.isNavigationRequest() && this.#starts.set(r, clock.now()));
    page.on('response', (r) => r.request().isNavigationRequest() && this.#ends.set(r.request(), clock.now()));
    page.on('requestfailed', (r) => r.isNavigationRequest() && this.#ends.set(r, clock.now()));
  }

  /** The hops that led to this response, first to last. */
  async chain(response: Response): Promise<Hop[]> {
    const requests: Request[] = [];
    for (let r: Request | null = response.request(); r; r = r.redirectedFrom()) requests.unshift(r);
    return Promise.all(requests.map((r) => this.#hop(r)));
  }

  async #hop(request: Request): Promise<Hop> {
    const response = await request.response();
    const headers = response ? await response.allHeaders() : {};
    const now = this.clock.now();
    const heard = { start: this.#starts.get(request) ?? now, end: this.#ends.get(request) ?? now };
    return {
      method: request.method(),
      path: new URL(request.url()).pathname + new URL(request.url()).search,
      status: response?.status() ?? null,
      node: answeringNode((name) => headers[name]),
      location: headers.location ?? null,
      ...this.#timed(request, heard),
    };
  }

  /** Start and end from the browser's timing of the request, where it has them. */
  #timed(request: Request, heard: { start: number; end: number }): { start: number; end: number } {
    const timing = request.timing();
    if (!(timing.startTime > 0)) return heard;
    const start = this.clock.fromEpochMs(timing.startTime);
    const until = Math.max(timing.responseEnd, timing.responseStart);
    const end = until >= 0 ? start + until : heard.end;
    return { start, end: Math.max(start, Math.min(end, heard.end)) };
  }
}
