import { NO_SESSION, type Op, type OpKind } from '../../history/op.ts';
import type { WorkloadClock } from '../clock.ts';
import { errorName, outcomeOf, sessionHash } from '../outcome.ts';
import type { SessionClient } from '../session-client.ts';
import { CookieJar } from './cookie-jar.ts';

interface Cart {
  user: string | null;
  items: string[];
  version: number;
  node?: string;
}

const TIMEOUT_MS = 5000;

/** A cheap user speaking the JSON API with a cookie jar. */
export class HttpClient implements SessionClient {
  readonly #jar = new CookieJar();
  epoch = 0;

  constructor(
    readonly user: string,
    readonly baseUrl: string,
    readonly clock: WorkloadClock,
  ) {}

  async login(): Promise<Op[]> {
    this.epoch += 1;
    return [await this.#call('login', 'POST', '/login', { username: this.user, password: 'secret' })];
  }

  async add(item: string): Promise<Op[]> {
    return [{ ...(await this.#call('add', 'POST', '/api/cart/items', { item })), wrote: item }];
  }

  async read(): Promise<Op[]> {
    return [await this.#call('read', 'GET', '/api/cart')];
  }

  async close(): Promise<void> {}

  async #call(op: OpKind, method: string, path: string, body?: unknown): Promise<Op> {
    const start = this.clock.now();
    const base = { user: this.user, client: 'http' as const, op, start, epoch: this.epoch };
    try {
      const response = await fetch(this.baseUrl + path, {
        method,
        redirect: 'manual',
        headers: {
          cookie: this.#jar.header(),
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      this.#jar.store(response.headers.getSetCookie());
      const text = await response.text();
      const status = response.status;
      const result: Op = {
        ...base,
        end: this.clock.now(),
        node: response.headers.get('x-node'),
        status,
        outcome: outcomeOf(status),
      };
      const session = sessionHash(this.#jar.get('sid'));
      if (session) result.session = session;
      if (status === 401) result.error = NO_SESSION;
      else if (status === 200) result.read = cartView(text);
      else result.error = `HTTP ${status}`;
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

function cartView(text: string): Op['read'] {
  const cart = JSON.parse(text) as Cart;
  return { user: cart.user ?? null, items: cart.items ?? [], version: cart.version ?? 0 };
}
