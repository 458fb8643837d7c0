/** A user speaking to the app through an adapter (the contract's, or a user's own): each action one op. */
import type { WorkloadClock } from '../history/clock.ts';
import {
  AdapterError,
  type AppAdapter,
  type AppAnswer,
  type AppRequest,
  type AppSession,
} from '../model/adapter.ts';
import { answeringNode } from '../model/app.ts';
import { type Client, NO_SESSION, type Op, type OpKind } from '../model/op.ts';
import { errorName, outcomeOf } from './outcome.ts';
import type { SessionClient } from './session-client.ts';

/** How a user's requests reach the app: plain HTTP with a cookie jar, or fetch from a browser page. */
export interface Transport {
  readonly client: Client;
  send(request: AppRequest): Promise<AppAnswer>;
  /** A short hash of the cookies that carry the session (never the load balancer's), if any. */
  sessionHash(): Promise<string | undefined>;
  /** Another way in to the same session, for a user's parallel requests (a browser's new tab); unset: share this one. */
  tab?(): Promise<Transport>;
  close(): Promise<void>;
}

/** Where the adapter came from, for the message when its own code throws. */
export interface AdapterSource {
  adapter: AppAdapter;
  /** e.g. `shop.adapter.ts`, or "the app contract" for the built-in one. */
  name: string;
}

/**
 * One user speaking to the app through an adapter: each action is one op, judged from the answer the
 * adapter returns. A request that fails is the op's error (unknown outcome); the adapter's own code
 * throwing is an AdapterError, which ends the case.
 */
export class AdapterClient implements SessionClient {
  #epoch = 0;
  readonly #failedRequests = new WeakSet<object>();
  readonly #app: AppSession;

  constructor(
    readonly user: string,
    readonly source: AdapterSource,
    readonly transport: Transport,
    readonly clock: WorkloadClock,
    /** The user's first lane, whose logins count the epochs, when this is another tab of it. */
    readonly parent: AdapterClient | null = null,
  ) {
    this.#app = {
      send: (request) =>
        transport.send(request).catch((error: unknown) => {
          const failure = error instanceof Object ? error : new Error(String(error));
          this.#failedRequests.add(failure);
          throw failure;
        }),
    };
  }

  get epoch(): number {
    return this.parent?.epoch ?? this.#epoch;
  }

  async login(): Promise<Op[]> {
    this.#epoch += 1;
    return [await this.#act('login', (app) => this.source.adapter.login(app, this.user, 'secret'))];
  }

  async add(item: string): Promise<Op[]> {
    return [{ ...(await this.#act('add', (app) => this.source.adapter.add(app, item))), wrote: item }];
  }

  async read(): Promise<Op[]> {
    return [await this.#act('read', (app) => this.source.adapter.read(app))];
  }

  async logout(): Promise<Op[]> {
    return [await this.#act('logout', (app) => this.source.adapter.logout(app))];
  }

  async tab(): Promise<AdapterClient> {
    if (!this.transport.tab) return this;
    return new AdapterClient(this.user, this.source, await this.transport.tab(), this.clock, this);
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  async #act(op: OpKind, action: (app: AppSession) => Promise<AppAnswer>): Promise<Op> {
    const start = this.clock.now();
    const base = { user: this.user, client: this.transport.client, op, start, epoch: this.epoch };
    let answer: AppAnswer;
    try {
      answer = await action(this.#app);
    } catch (error) {
      if (!this.#failedRequests.has(error as object)) throw this.#blame(op, error);
      return {
        ...base,
        end: this.clock.now(),
        node: null,
        status: null,
        outcome: 'info',
        error: errorName(error),
      };
    }
    const result: Op = {
      ...base,
      end: this.clock.now(),
      node: answeringNode((name) => answer.header(name)),
      status: answer.status,
      outcome: outcomeOf(answer.status),
    };
    const session = await this.transport.sessionHash();
    if (session) result.session = session;
    return this.#judge(result, answer);
  }

  /** What the answer says: no session, the session's items, or an error. */
  #judge(result: Op, answer: AppAnswer): Op {
    const { adapter } = this.source;
    try {
      if (adapter.noSession(answer)) return { ...result, error: NO_SESSION };
      const view = adapter.view(answer);
      if (view) {
        const items = view.items.map(String);
        return { ...result, read: { user: view.user ?? null, items, version: view.version ?? 0 } };
      }
    } catch (error) {
      const body = JSON.stringify(answer.text.slice(0, 120));
      throw this.#blame(
        `noSession or view, reading the answer to ${result.op} (HTTP ${answer.status}, ${body})`,
        error,
      );
    }
    if (answer.status >= 400) return { ...result, error: `HTTP ${answer.status}` };
    if (result.op === 'read') return { ...result, outcome: 'info', error: 'answer shows no session' };
    return result;
  }

  #blame(what: string, error: unknown): AdapterError {
    const message = error instanceof Error ? error.message : String(error);
    return new AdapterError(`the adapter ${this.source.name} threw in ${what}: ${message}`);
  }
}
