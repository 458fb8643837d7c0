/** The HTTP users of a case, run in a thread of their own so the runner's work does not skew their times. */
import { Worker } from 'node:worker_threads';
import { AdapterError } from '../../model/adapter.ts';
import type { LoopLag } from '../../model/case.ts';
import type { Op } from '../../model/op.ts';
import type { UserPlan } from '../user-loop.ts';
import type { FromUsers, HttpUsersSetup, ToUsers } from './http-users-messages.ts';
// Started by its path: this import (erased at run time) names the edge for the import rules.
import type {} from './http-users-thread.ts';

/**
 * The HTTP users, run in a worker thread so that the runner's own work (browsers, faults, writing the
 * history) neither delays their requests nor inflates the times they record: each op is timed on the
 * monotonic clock of the thread that made it, from the same origin as the runner's clock.
 */
export class HttpUsers {
  readonly #worker: Worker;
  readonly #ready: Promise<void>;
  #waiting: { type: FromUsers['type']; resolve: (m: FromUsers) => void; reject: (e: Error) => void } | null =
    null;
  #exited: Error | null = null;

  constructor(
    setup: HttpUsersSetup,
    readonly record: (op: Op) => void,
  ) {
    this.#worker = new Worker(new URL('./http-users-worker.js', import.meta.url), { workerData: setup });
    this.#ready = new Promise((resolve, reject) => {
      this.#worker.on('message', (message: FromUsers) => message.type === 'ready' && resolve());
      this.#worker.once('error', reject);
      this.#worker.once('exit', (code) => reject(new Error(`the HTTP users' thread exited (code ${code})`)));
    });
    // A thread that fails to load is reported by whatever asks it something next, not as unhandled.
    this.#ready.catch(() => undefined);
    this.#worker.on('message', (message: FromUsers) => this.#receive(message));
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) => this.#fail(new Error(`the HTTP users' thread exited (code ${code})`)));
  }

  #receive(message: FromUsers): void {
    if (message.type === 'ops') for (const op of message.ops) this.record(op);
    else if (message.type === 'failed')
      this.#fail(
        message.adapter ? new AdapterError(message.message) : new Error(`HTTP users: ${message.message}`),
      );
    else if (this.#waiting?.type === message.type) {
      const { resolve } = this.#waiting;
      this.#waiting = null;
      resolve(message);
    }
  }

  #fail(error: Error): void {
    this.#exited ??= error;
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.reject(error);
  }

  /** Sends a command and waits for the message that ends it. */
  async #ask(command: ToUsers, until: FromUsers['type']): Promise<FromUsers> {
    await this.#ready;
    if (this.#exited) throw this.#exited;
    return new Promise((resolve, reject) => {
      this.#waiting = { type: until, resolve, reject };
      this.#worker.postMessage(command);
    });
  }

  /** Gives the users the load balancer's address, once the thread has loaded its code. */
  async open(baseUrl: string): Promise<void> {
    await this.#ask({ type: 'open', baseUrl }, 'opened');
  }

  /** Runs every user to the deadline; resolves with the thread's event-loop lag meanwhile. */
  async run(epochOrigin: number, plans: UserPlan[], deadlineMs: number): Promise<LoopLag | null> {
    const done = await this.#ask({ type: 'run', epochOrigin, plans, deadlineMs }, 'ran');
    return done.type === 'ran' ? done.lag : null;
  }

  /** Stops the users early (Ctrl-C): each finishes the op it is in. */
  stop(): void {
    if (!this.#exited) this.#worker.postMessage({ type: 'stop' } satisfies ToUsers);
  }

  async finalReads(): Promise<void> {
    await this.#ask({ type: 'final-reads' }, 'final-reads-done');
  }

  async close(): Promise<void> {
    this.#exited ??= new Error('the HTTP users were closed');
    await this.#worker.terminate();
  }
}
