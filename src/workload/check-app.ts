/** check-app for the app contract: probes a running app as a user would and names every way it deviates. */
import { type HTMLElement, parse } from 'node-html-parser';
import { LOAD_BALANCER_COOKIE } from '../model/app.ts';
import { AppClient, type Reply, type RequestOptions } from './http/app-client.ts';
import { errorName } from './outcome.ts';

/** One way an app differs from the app contract, and the request that showed it. */
export interface Deviation {
  request: string;
  problem: string;
}

export interface ContractReport {
  url: string;
  checks: number;
  deviations: Deviation[];
  /** The cookies the app set at login: what carries its session. */
  sessionCookies: string[];
  /** The app says which node it is (X-Node). Optional: behind the load balancer the suite learns the node
   * from HAProxy; without it, only a node probed directly goes unnamed. */
  namesItsNode: boolean;
}

const JSON_ACCEPT = { accept: 'application/json' };
const USER = 'contract-user';
/** An item with markup in it: the cart page must show it escaped, as text. */
const ITEM = 'apple <b>&"';

/** Collects checks of one probe run; every failed check is a deviation naming its request. */
class Probe {
  checks = 0;
  readonly deviations: Deviation[] = [];
  /** Answers with and without X-Node: an app sends it on every answer or on none. */
  readonly named = { with: 0, without: 0, firstWithout: '' };

  constructor(readonly client: AppClient) {}

  expect(request: string, ok: boolean, problem: string): boolean {
    this.checks += 1;
    if (!ok) this.deviations.push({ request, problem });
    return ok;
  }

  /** Sends one request, noting whether the answer carries X-Node. A request that gets no answer is a deviation. */
  async call(
    client: AppClient,
    label: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<Reply | null> {
    try {
      const reply = await client.request(path, options);
      if (reply.node) this.named.with += 1;
      else if (this.named.without++ === 0) this.named.firstWithout = `${label} (${reply.status})`;
      return reply;
    } catch (error) {
      this.expect(label, false, `no answer: ${errorName(error)}`);
      return null;
    }
  }

  status(label: string, reply: Reply, status: number, location?: string): boolean {
    const where = reply.headers.get('location') ?? '';
    if (!this.expect(label, reply.status === status, `expected ${status}, got ${reply.status}`)) return false;
    if (location === undefined) return true;
    return this.expect(label, where.includes(location), `expected a redirect to ${location}, got "${where}"`);
  }

  cart(label: string, reply: Reply, want: { items: string[]; version: number }): void {
    const cart = reply.json as
      | { user?: unknown; items?: unknown; version?: unknown; node?: unknown }
      | undefined;
    if (
      !this.expect(
        label,
        typeof cart === 'object' && cart !== null,
        `expected a JSON cart, got ${reply.text.slice(0, 80)}`,
      )
    )
      return;
    const shown = JSON.stringify({ user: cart?.user, items: cart?.items, version: cart?.version });
    const expected = JSON.stringify({ user: USER, ...want });
    this.expect(label, shown === expected, `expected the cart ${expected}, got ${shown}`);
    if (reply.node)
      this.expect(
        label,
        cart?.node === reply.node,
        `"node" is ${JSON.stringify(cart?.node)}, X-Node is ${reply.node}`,
      );
  }

  /** X-Node on some answers but not on others is a deviation; on none, the app simply does not say. */
  namesItsNode(): boolean {
    const { with: named, without, firstWithout } = this.named;
    if (named > 0)
      this.expect(
        firstWithout || 'every answer',
        without === 0,
        `X-Node on ${named} answers but not on this one`,
      );
    return named > 0;
  }

  noSession(label: string, reply: Reply): void {
    if (!this.status(label, reply, 401)) return;
    const body = JSON.stringify(reply.json);
    this.expect(
      label,
      body === '{"error":"no-session"}',
      `expected {"error":"no-session"}, got ${reply.text.slice(0, 80)}`,
    );
  }

  element(label: string, page: HTMLElement, selector: string): HTMLElement | null {
    const found = page.querySelector(selector);
    this.expect(label, found !== null, `the page has no ${selector}`);
    return found;
  }
}

async function probeAnonymous(p: Probe): Promise<void> {
  const health = await p.call(p.client, 'GET /healthz', '/healthz');
  if (health && p.status('GET /healthz', health, 200) && health.node) {
    const node = (health.json as { node?: unknown } | undefined)?.node;
    p.expect(
      'GET /healthz',
      typeof node === 'string' && node === health.node,
      `expected {"node": X-Node}, got ${health.text.slice(0, 80)}`,
    );
  }
  const login = await p.call(p.client, 'GET /login', '/login');
  if (login && p.status('GET /login', login, 200)) {
    const page = parse(login.text);
    for (const selector of ['form#login-form', '#login-form [name=username]', '#login-form [name=password]'])
      p.element('GET /login', page, selector);
    const submit =
      page.querySelector('#login-form [type=submit]') ?? page.querySelector('#login-form button');
    p.expect('GET /login', submit !== null, 'the login form has no submit button');
  }
  const read = await p.call(p.client, 'GET /api/cart without a session', '/api/cart', {
    headers: JSON_ACCEPT,
  });
  if (read) p.noSession('GET /api/cart without a session', read);
  const add = await p.call(p.client, 'POST /api/cart/items without a session', '/api/cart/items', {
    json: { item: 'x' },
    headers: JSON_ACCEPT,
  });
  if (add) p.noSession('POST /api/cart/items without a session', add);
  const page = await p.call(p.client, 'GET /cart without a session', '/cart');
  if (page) p.status('GET /cart without a session', page, 303, '/login?expired=1');
}

async function cartPage(p: Probe, label: string, want: { items: string[]; version: number }): Promise<void> {
  const reply = await p.call(p.client, label, '/cart');
  if (!reply || !p.status(label, reply, 200)) return;
  const page = parse(reply.text);
  const user = p.element(label, page, '#user')?.text.trim();
  if (user !== undefined) p.expect(label, user === USER, `#user shows "${user}", expected "${USER}"`);
  const version = p.element(label, page, '#version')?.text.trim();
  if (version !== undefined)
    p.expect(
      label,
      version === String(want.version),
      `#version shows "${version}", expected ${want.version}`,
    );
  const node = reply.node ? p.element(label, page, '#node')?.text.trim() : undefined;
  if (node !== undefined)
    p.expect(label, node === reply.node, `#node shows "${node}", X-Node is ${reply.node}`);
  p.element(label, page, '#items');
  const items = page.querySelectorAll('#items li[data-item]').map((li) => li.getAttribute('data-item'));
  p.expect(
    label,
    JSON.stringify(items) === JSON.stringify(want.items),
    `#items li[data-item] show ${JSON.stringify(items)}, expected ${JSON.stringify(want.items)}`,
  );
  p.element(label, page, '#add-form [name=item]');
}

/** The form flow: log in, see the cart, add an item through the form. Returns the cookies set at login. */
async function probeForms(p: Probe): Promise<string[]> {
  const login = await p.call(p.client, 'POST /login (form)', '/login', {
    form: { username: USER, password: 'pw' },
  });
  if (!login || !p.status('POST /login (form)', login, 303, '/cart')) return [];
  const cookies = login.headers
    .getSetCookie()
    .map((c) => c.split('=')[0] ?? '')
    .filter((n) => n !== LOAD_BALANCER_COOKIE);
  p.expect('POST /login (form)', cookies.length > 0, 'no cookie was set: nothing can carry the session');
  await cartPage(p, 'GET /cart after login', { items: [], version: 0 });
  const add = await p.call(p.client, 'POST /cart/items (form)', '/cart/items', { form: { item: ITEM } });
  if (add) p.status('POST /cart/items (form)', add, 303, '/cart');
  await cartPage(p, 'GET /cart after adding an item', { items: [ITEM], version: 1 });
  return cookies;
}

async function probeJson(p: Probe): Promise<void> {
  const read = await p.call(p.client, 'GET /api/cart', '/api/cart', { headers: JSON_ACCEPT });
  if (read && p.status('GET /api/cart', read, 200))
    p.cart('GET /api/cart', read, { items: [ITEM], version: 1 });
  const add = await p.call(p.client, 'POST /api/cart/items', '/api/cart/items', {
    json: { item: 'pear' },
    headers: JSON_ACCEPT,
  });
  if (add && p.status('POST /api/cart/items', add, 200))
    p.cart('POST /api/cart/items', add, { items: [ITEM, 'pear'], version: 2 });
  const logout = await p.call(p.client, 'POST /logout', '/logout', { json: {}, headers: JSON_ACCEPT });
  if (logout) p.expect('POST /logout', logout.status < 400, `expected success, got ${logout.status}`);
  const after = await p.call(p.client, 'GET /api/cart after logout', '/api/cart', { headers: JSON_ACCEPT });
  if (after) p.noSession('GET /api/cart after logout', after);
  const fresh = new AppClient(p.client.baseUrl);
  const login = await p.call(fresh, 'POST /login (JSON)', '/login', {
    json: { username: USER, password: 'pw' },
    headers: JSON_ACCEPT,
  });
  if (login && p.status('POST /login (JSON)', login, 200))
    p.cart('POST /login (JSON)', login, { items: [], version: 0 });
}

/** Probes a running app against the app contract (docs/your-app.md, "The app contract") as one user would. */
export async function checkApp(url: string): Promise<ContractReport> {
  const probe = new Probe(new AppClient(url.replace(/\/+$/, '')));
  await probeAnonymous(probe);
  const sessionCookies = await probeForms(probe);
  await probeJson(probe);
  const namesItsNode = probe.namesItsNode();
  return { url, checks: probe.checks, deviations: probe.deviations, sessionCookies, namesItsNode };
}
