import { CookieJar } from '../../src/workload/http/cookie-jar.ts';

/** A minimal JSON client with a cookie jar, for talking to a cluster in tests. */
export class TestUser {
  readonly jar = new CookieJar();

  async call(
    url: string,
    method = 'GET',
    body?: unknown,
  ): Promise<{ status: number; node: string | null; json: unknown }> {
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: { cookie: this.jar.header(), 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    this.jar.store(response.headers.getSetCookie());
    const text = await response.text();
    return {
      status: response.status,
      node: response.headers.get('x-node'),
      json: text ? JSON.parse(text) : null,
    };
  }

  login(base: string, user = 'alice') {
    return this.call(`${base}/login`, 'POST', { username: user, password: 'pw' });
  }
}
