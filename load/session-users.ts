/**
 * k6 load: every VU is a user of the reference app (infra/app-node) behind the load balancer, speaking the
 * app contract's JSON routes (docs/your-app.md, "The app contract"). Each iteration logs in, adds items to the cart
 * in the session, reads the cart back after each write and checks it holds every item whose write was
 * acknowledged, then logs out.
 *
 *   k6 run load/session-users.ts                      # BASE_URL defaults to http://127.0.0.1:8080
 *   BASE_URL=http://127.0.0.1:21080 VUS=20 DURATION=1m SUMMARY=out/k6.json k6 run load/session-users.ts
 */
import { check, sleep } from 'k6';
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import { Counter, Rate } from 'k6/metrics';
import type { Options } from 'k6/options';

const BASE_URL = (__ENV.BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
const WRITES_PER_SESSION = Number(__ENV.WRITES ?? 5);
const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };

export const options: Options = {
  vus: Number(__ENV.VUS ?? 10),
  duration: __ENV.DURATION ?? '30s',
  thresholds: {
    http_req_failed: ['rate<0.05'],
    http_req_duration: ['p(95)<500'],
    checks: ['rate>0.95'],
    // A healthy cluster loses no session and no acknowledged write: any at all is a failure.
    session_logged_out: ['count==0'],
    session_item_missing: ['count==0'],
    session_read_complete: ['rate==1'],
  },
};

/** A 401 `no-session` after a successful login: the session was lost. */
const loggedOut = new Counter('session_logged_out');
/** Acknowledged items a cart read did not contain (a lost write, or a stale session). */
const itemMissing = new Counter('session_item_missing');
/** Per cart read: the same user, with every acknowledged item. */
const readComplete = new Rate('session_read_complete');

interface Cart {
  user: string | null;
  items: string[];
  version: number;
  node: string;
}

/** The cart in a JSON answer (`{user, items, version, node}`), or null for any other body. */
function cartOf(res: RefinedResponse<ResponseType | undefined>): Cart | null {
  let body: unknown;
  try {
    body = res.json();
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const { user, items, version, node } = body as Record<string, unknown>;
  if (!Array.isArray(items) || !items.every((i): i is string => typeof i === 'string')) return null;
  if (typeof version !== 'number' || typeof node !== 'string') return null;
  if (user !== null && typeof user !== 'string') return null;
  return { user, items, version, node };
}

const post = (path: string, body: object, name: string) =>
  http.post(`${BASE_URL}${path}`, JSON.stringify(body), { headers: JSON_HEADERS, tags: { name } });

/** Counts a 401 as a logout; returns whether the session is gone. */
function sessionLost(res: RefinedResponse<ResponseType | undefined>): boolean {
  const lost = res.status === 401;
  // A sample even when 0, so the metric and its threshold exist in a run without a logout.
  loggedOut.add(lost ? 1 : 0);
  return lost;
}

export default function (): void {
  // One user per VU; the VU's cookie jar (sid, and SERVERID for sticky balancing) carries its session.
  const user = `k6-vu${__VU}`;
  const login = post('/login', { username: user, password: 'secret' }, 'POST /login');
  const loginCart = cartOf(login);
  const loggedIn = check(login, {
    'login: 200': (r) => r.status === 200,
    'login: a new empty cart': () => loginCart?.user === user && loginCart.items.length === 0,
  });
  if (!loggedIn) return;

  // Only acknowledged writes must be read back: a 5xx write's outcome is unknown (the app contract).
  const acknowledged: string[] = [];
  for (let n = 0; n < WRITES_PER_SESSION; n++) {
    const item = `${user}-i${__ITER}-${n}`;
    const write = post('/api/cart/items', { item }, 'POST /api/cart/items');
    if (sessionLost(write)) return;
    if (check(write, { 'write: 200': (r) => r.status === 200 })) acknowledged.push(item);

    const read = http.get(`${BASE_URL}/api/cart`, {
      headers: { Accept: 'application/json' },
      tags: { name: 'GET /api/cart' },
    });
    if (sessionLost(read)) return;
    const cart = cartOf(read);
    check(read, { 'read: 200 with a cart': (r) => r.status === 200 && cart !== null });
    // An error (no cart) is http_req_failed's to count; these are over the carts actually read.
    if (cart !== null) {
      const missing = acknowledged.filter((i) => !cart.items.includes(i));
      itemMissing.add(missing.length);
      readComplete.add(cart.user === user && missing.length === 0);
      check(cart, {
        'read: same user': (c) => c.user === user,
        'read: every acknowledged item': () => missing.length === 0,
      });
    }
    sleep(0.1);
  }

  const logout = post('/logout', {}, 'POST /logout');
  check(logout, { 'logout: 200': (r) => r.status === 200 });
}

/** What this script reads of k6's end-of-test data. */
interface SummaryData {
  metrics: Record<string, { values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }>;
}

/** Writes the whole end-of-test data as JSON, and a few lines on stdout (k6 prints no summary of its own then). */
export function handleSummary(data: SummaryData): Record<string, string> {
  const value = (metric: string, stat: string) => data.metrics[metric]?.values[stat] ?? 0;
  const failed = Object.entries(data.metrics).flatMap(([metric, { thresholds }]) =>
    Object.entries(thresholds ?? {})
      .filter(([, t]) => !t.ok)
      .map(([expression]) => `${metric} ${expression}`),
  );
  const lines = [
    `requests ${value('http_reqs', 'count')}, failed ${(value('http_req_failed', 'rate') * 100).toFixed(2)} %`,
    `p(95) ${value('http_req_duration', 'p(95)').toFixed(1)} ms, checks ${(value('checks', 'rate') * 100).toFixed(2)} %`,
    `logged out ${value('session_logged_out', 'count')}, items missing ${value('session_item_missing', 'count')}`,
    failed.length === 0 ? 'every threshold met' : `thresholds crossed: ${failed.join('; ')}`,
  ];
  return {
    stdout: `\n${lines.join('\n')}\n`,
    [__ENV.SUMMARY ?? 'k6-summary.json']: JSON.stringify(data, null, 2),
  };
}
