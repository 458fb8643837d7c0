/** check-app for an app spoken to through a user's adapter: the adapter's five answers, checked as the users read them. */
import { WorkloadClock } from '../history/clock.ts';
import { AdapterError } from '../model/adapter.ts';
import { LOAD_BALANCER_COOKIE } from '../model/app.ts';
import { NO_SESSION, type Op } from '../model/op.ts';
import { AdapterClient, type AdapterSource } from './adapter-client.ts';
import type { ContractReport, Deviation } from './check-app.ts';
import { AppClient } from './http/app-client.ts';
import { HttpTransport } from './http/http-client.ts';

/** Items with markup and quotes in them: they must come back as they were sent. */
const ITEMS = ['apple', 'pear <b>&"\''];

const shows = (op: Op | undefined): string =>
  !op
    ? 'nothing'
    : op.error
      ? `error ${op.error}${op.status === null ? '' : ` (HTTP ${op.status})`}`
      : op.read
        ? `items ${JSON.stringify(op.read.items)}`
        : `HTTP ${op.status} showing no session`;

/** Collects the checks: each failed one is a deviation naming the action that showed it. */
class AdapterProbe {
  checks = 0;
  readonly deviations: Deviation[] = [];

  expect(request: string, ok: boolean, problem: string): void {
    this.checks += 1;
    if (!ok) this.deviations.push({ request, problem });
  }

  /** One action; the adapter's own code throwing is a deviation too, and ends the probe. */
  async act(request: string, action: () => Promise<Op[]>): Promise<Op | undefined> {
    try {
      return (await action()).at(-1);
    } catch (error) {
      if (!(error instanceof AdapterError)) throw error;
      this.expect(request, false, error.message);
      throw error;
    }
  }

  noSession(request: string, op: Op | undefined): void {
    this.expect(
      request,
      op?.error === NO_SESSION,
      `expected "no session" (noSession true), got ${shows(op)}`,
    );
  }

  items(request: string, op: Op | undefined, items: string[]): void {
    const ok = op?.outcome === 'ok' && JSON.stringify(op.read?.items) === JSON.stringify(items);
    this.expect(request, ok, `expected items ${JSON.stringify(items)}, got ${shows(op)}`);
  }
}

/** Probes a running app through an adapter as two users would: no session, log in, add, read, isolation, log out. */
export async function checkAdapter(url: string, source: AdapterSource): Promise<ContractReport> {
  const base = url.replace(/\/+$/, '');
  const clock = new WorkloadClock();
  const http = new AppClient(base);
  const user = new AdapterClient('check-user', source, new HttpTransport(http), clock);
  const other = new AdapterClient('check-other', source, new HttpTransport(new AppClient(base)), clock);
  const p = new AdapterProbe();
  let namesItsNode = false;
  let sessionCookies: string[] = [];
  const note = (op: Op | undefined): Op | undefined => {
    namesItsNode ||= (op?.node ?? null) !== null;
    return op;
  };
  try {
    p.noSession('read without a session', note(await p.act('read', () => user.read())));
    const login = note(await p.act('login', () => user.login()));
    p.expect('login', login?.outcome === 'ok', `expected success, got ${shows(login)}`);
    sessionCookies = http.jar.names().filter((name) => name !== LOAD_BALANCER_COOKIE);
    p.items('read after login', note(await p.act('read', () => user.read())), []);
    for (const item of ITEMS) {
      const add = note(await p.act(`add ${JSON.stringify(item)}`, () => user.add(item)));
      p.expect(`add ${JSON.stringify(item)}`, add?.outcome === 'ok', `expected success, got ${shows(add)}`);
    }
    p.items('read after two adds', await p.act('read', () => user.read()), ITEMS);
    await p.act('login', () => other.login());
    p.items("another user's read", await p.act('read', () => other.read()), []);
    const logout = await p.act('logout', () => user.logout());
    p.expect('logout', logout?.outcome === 'ok', `expected success, got ${shows(logout)}`);
    p.noSession('read after logout', await p.act('read', () => user.read()));
  } catch (error) {
    if (!(error instanceof AdapterError)) throw error;
  }
  return { url, checks: p.checks, deviations: p.deviations, sessionCookies, namesItsNode };
}
