import type { WorkloadClock } from '../../history/clock.ts';
import { LOAD_BALANCER_COOKIE } from '../../model/app.ts';
import { type CartView, NO_SESSION, type Op, type OpKind } from '../../model/op.ts';
import { errorName, outcomeOf, sessionHash } from '../outcome.ts';
import { CLIENT_TIMEOUT_MS, type SessionClient } from '../session-client.ts';
import { AppClient } from './app-client.ts';

const JSON_ACCEPT = { accept: 'application/json' };

/** A cheap user speaking the JSON API with a cookie jar. */
export class HttpClient implements SessionClient {
  readonly #client: AppClient;
  epoch = 0;

  constructor(
    readonly user: string,
    baseUrl: string,
    readonly clock: WorkloadClock,
  ) {
    this.#client = new AppClient(baseUrl, undefined, CLIENT_TIMEOUT_MS);
  }

  async login(): Promise<Op[]> {
    this.epoch += 1;
    return [await this.#call('login', '/login', { username: this.user, password: 'secret' })];
  }

  async add(item: string): Promise<Op[]> {
    return [{ ...(await this.#call('add', '/api/cart/items', { item })), wrote: item }];
  }

  async read(): Promise<Op[]> {
    return [await this.#call('read', '/api/cart')];
  }

  async close(): Promise<void> {}

  /** Whatever cookies the app uses to carry the session, but not the load balancer's. */
  #session(): string | undefined {
    return sessionHash(this.#client.jar.header([LOAD_BALANCER_COOKIE]));
  }

  async #call(op: OpKind, path: string, json?: unknown): Promise<Op> {
    const start = this.clock.now();
    const base = { user: this.user, client: 'http' as const, op, start, epoch: this.epoch };
    try {
      const reply = await this.#client.request(path, { json, headers: JSON_ACCEPT });
      const result: Op = {
        ...base,
        end: this.clock.now(),
        node: reply.node,
        status: reply.status,
        outcome: outcomeOf(reply.status),
      };
      const session = this.#session();
      if (session) result.session = session;
      const view = reply.status === 200 ? cartView(reply.json) : null;
      if (reply.status === 401) result.error = NO_SESSION;
      else if (view) result.read = view;
      else if (reply.status === 200)
        Object.assign(result, { outcome: 'info', error: 'answer is not a cart' });
      else result.error = `HTTP ${reply.status}`;
      return result;
    } catch (error) {
      return {
        ...base,
        end: this.clock.now(),
        node: null,
        status: null,
        outcome: 'info',
        error: errorName(error),
      };
    }
  }
}

/** The cart of a JSON answer (`{"user","items","version"}`), or null when it is not one. */
function cartView(json: unknown): CartView | null {
  const cart = json as Partial<CartView> | null;
  if (typeof cart !== 'object' || cart === null || !Array.isArray(cart.items)) return null;
  const user = typeof cart.user === 'string' ? cart.user : null;
  return { user, items: cart.items.map(String), version: Number(cart.version ?? 0) };
}
