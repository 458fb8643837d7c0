/** HTTP users: cheap users that make the adapter's requests over plain HTTP with a cookie jar. */
import type { WorkloadClock } from '../../history/clock.ts';
import type { AppAnswer, AppRequest } from '../../model/adapter.ts';
import { LOAD_BALANCER_COOKIE } from '../../model/app.ts';
import { AdapterClient, type AdapterSource, type Transport } from '../adapter-client.ts';
import { sessionHash } from '../outcome.ts';
import { CLIENT_TIMEOUT_MS } from '../session-client.ts';
import { AppClient } from './app-client.ts';

/** Plain HTTP with a cookie jar, redirects not followed: the cheap users, and check-app. */
export class HttpTransport implements Transport {
  readonly client = 'http' as const;

  constructor(readonly app: AppClient) {}

  async send(request: AppRequest): Promise<AppAnswer> {
    const reply = await this.app.request(request.path, request);
    return {
      status: reply.status,
      header: (name) => reply.headers.get(name),
      text: reply.text,
      json: reply.json,
      url: this.app.baseUrl + request.path,
    };
  }

  /** Whatever cookies the app uses to carry the session, but not the load balancer's. */
  async sessionHash(): Promise<string | undefined> {
    return sessionHash(this.app.jar.header([LOAD_BALANCER_COOKIE]));
  }

  async close(): Promise<void> {}
}

/** A cheap user: the adapter's requests (the contract's JSON API by default) with a cookie jar. */
export const httpUser = (
  user: string,
  baseUrl: string,
  clock: WorkloadClock,
  source: AdapterSource,
): AdapterClient =>
  new AdapterClient(
    user,
    source,
    new HttpTransport(new AppClient(baseUrl, undefined, CLIENT_TIMEOUT_MS)),
    clock,
  );
