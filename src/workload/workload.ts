import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser } from 'playwright-core';
import type { Workload } from '../experiment/experiment.ts';
import type { WorkloadClock } from '../history/clock.ts';
import { isNoSession } from '../history/ops.ts';
import type { Op } from '../model/op.ts';
import { BrowserClient } from './browser/browser-client.ts';
import { HttpClient } from './http/http-client.ts';
import { jittered, seededRandom } from './random.ts';
import type { SessionClient } from './session-client.ts';

export interface WorkloadOptions {
  baseUrl: string;
  workload: Workload;
  clock: WorkloadClock;
  seed: number;
  /** Called with every completed op, in completion order (the history writer and live stats). */
  record(op: Op): void;
  /** Stops the users early (Ctrl-C). */
  signal: AbortSignal;
  /** Starts the Chromium browser users run in (the runtime owns every process, browsers included). */
  launchBrowser(): Promise<Browser>;
}

/** Share of a user's steps that add an item; the rest read the cart. */
const ADD_SHARE = 0.6;
/** Final reads: how long they may keep trying for an answer, the pause between a user's two, and between tries. */
const FINAL_READS_MS = 15_000;
const FINAL_PAUSE_MS = 1000;
const FINAL_RETRY_MS = 250;
/** How long a logged-out user waits before logging in again. */
const RELOGIN_PAUSE_MS = 100;

const userNames = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(2, '0')}`);

/** 0 … n-1 in a seeded random order. */
function shuffled(n: number, random: () => number): number[] {
  const order = [...Array(n).keys()];
  for (let i = n - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

/** Browser and HTTP users working the app contract until the workload's duration is over. */
export class WorkloadRun {
  readonly clients: SessionClient[] = [];
  #browser: Browser | null = null;

  constructor(readonly options: WorkloadOptions) {
    // Every user's pause listens for the abort: one listener per user is expected, not a leak.
    setMaxListeners(0, options.signal);
  }

  /** Opens every user (browser contexts take a while: done before the clock's work starts counting). */
  async open(): Promise<void> {
    const { workload, baseUrl, clock } = this.options;
    for (const user of userNames('h', workload.httpUsers))
      this.clients.push(new HttpClient(user, baseUrl, clock));
    if (workload.browserUsers === 0) return;
    const browser = await this.options.launchBrowser();
    this.#browser = browser;
    const names = userNames('b', workload.browserUsers);
    this.clients.push(
      ...(await Promise.all(names.map((user) => BrowserClient.open(browser, user, baseUrl, clock)))),
    );
  }

  /** Runs every user until `durationS` on the clock has passed. */
  async run(): Promise<void> {
    const deadline = this.options.workload.durationS * 1000;
    const { arrivalS } = this.options.workload;
    // Users arrive evenly over arrivalS (browsers interleaved with HTTP users), or within the first think
    // time, so that they do not arrive as one burst.
    const order = shuffled(this.clients.length, seededRandom(this.options.seed));
    await Promise.all(
      this.clients.map((client, i) => {
        const arrivesMs =
          arrivalS === undefined ? null : ((order[i] ?? 0) / this.clients.length) * arrivalS * 1000;
        return this.#runUser(client, deadline, this.options.seed + i, arrivesMs);
      }),
    );
  }

  async #runUser(
    client: SessionClient,
    deadline: number,
    seed: number,
    arrivesMs: number | null,
  ): Promise<void> {
    const { clock, signal, workload } = this.options;
    const random = seededRandom(seed);
    const wait = arrivesMs ?? random() * workload.thinkMs;
    await sleep(Math.max(0, wait - clock.now()), undefined, { signal }).catch(() => undefined);
    let loggedIn = false;
    let items = 0;
    while (clock.now() < deadline && !signal.aborted) {
      const ops: Op[] = !loggedIn
        ? await client.login()
        : random() < ADD_SHARE
          ? await client.add(`${client.user}-${++items}`)
          : await client.read();
      for (const op of ops) this.options.record(op);
      if (!loggedIn) loggedIn = ops.some((op) => op.op === 'login' && op.outcome === 'ok');
      if (ops.some(isNoSession)) loggedIn = false;
      const pause = loggedIn ? jittered(workload.thinkMs, random) : RELOGIN_PAUSE_MS;
      await sleep(pause, undefined, { signal }).catch(() => undefined);
    }
  }

  /** One last read per user, after every fault has healed: what each session finally holds. */
  /**
   * After every fault healed: each user reads its cart twice, a pause apart, so one momentarily stale
   * answer is not taken for the session's final state. A read that gets no answer (an error) is tried again
   * until the cluster answers or a bound passes; a user whose reads all fail is undecided.
   */
  async finalReads(): Promise<void> {
    const deadline = performance.now() + FINAL_READS_MS;
    await Promise.all(
      this.clients.map(async (client) => {
        await this.#finalRead(client, deadline);
        await sleep(FINAL_PAUSE_MS);
        await this.#finalRead(client, deadline + FINAL_PAUSE_MS);
      }),
    );
  }

  async #finalRead(client: SessionClient, deadline: number): Promise<void> {
    for (;;) {
      const ops = await client.read();
      for (const op of ops) this.options.record({ ...op, final: true });
      const last = ops.at(-1);
      const answered = last !== undefined && (last.outcome === 'ok' || isNoSession(last));
      if (answered || performance.now() >= deadline) return;
      await sleep(FINAL_RETRY_MS);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close()));
    await this.#browser?.close().catch(() => undefined);
    this.#browser = null;
  }
}
