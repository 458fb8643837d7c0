/** Named ports and float32 toxicity as the real Toxiproxy parses them: Go's service names and /etc/services
 * in listen and upstream addresses, and toxicity rounded once from its decimal text. */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { expect } from 'chai';
import { useToxiproxy } from './harness.ts';
import { openClient, roundTrip } from './net-kit.ts';

/** A tcp service named once in /etc/services (the file both servers read) whose port, 1024 or above, is
 * free now; undefined when there is none. */
async function freeService(): Promise<{ name: string; port: number } | undefined> {
  let text: string;
  try {
    text = readFileSync('/etc/services', 'utf8');
  } catch {
    return undefined;
  }
  const seen = new Map<string, number[]>();
  for (const line of text.split('\n')) {
    const [name, portnet, ...aliases] = line.replace(/#.*/, '').trim().split(/\s+/);
    const port = Number(/^(\d+)\/tcp$/.exec(portnet ?? '')?.[1] ?? Number.NaN);
    if (Number.isNaN(port)) continue;
    for (const field of [name ?? '', ...aliases]) seen.set(field, [...(seen.get(field) ?? []), port]);
  }
  for (const [name, [port, ...more]] of seen) {
    if (port === undefined || more.length > 0 || port < 1024 || !/^[a-z][a-z0-9-]*$/.test(name)) continue;
    if (await canBind(port)) return { name, port };
  }
  return undefined;
}

function canBind(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function echoOn(port: number): Promise<{ server: Server; accepted: () => number }> {
  let count = 0;
  const server = createServer((socket) => {
    count++;
    socket.on('error', () => {});
    socket.pipe(socket);
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return { server, accepted: () => count };
}

/** Go's net package reads a port that is not a number as a service name (LookupPort). */
describe('toxiproxy named ports conformance (Go net.LookupPort)', () => {
  const tp = useToxiproxy();
  const errorOf = (res: { body: unknown }): string => (res.body as { error: string }).error;

  it('fails an unknown service name in a listen with Go’s words', async () => {
    const created = await tp.api('POST', '/proxies', {
      name: tp.name('noService'),
      listen: '127.0.0.1:nosuchservice',
      upstream: '127.0.0.1:1',
    });
    expect([created.status, errorOf(created)]).to.deep.equal([
      500,
      'listen tcp: lookup tcp/nosuchservice: unknown port',
    ]);
    const proxy = await tp.proxy('noServiceUpdate', 1);
    const updated = await tp.api('POST', `/proxies/${proxy.name}`, { listen: 'localhost:+http' });
    expect([updated.status, errorOf(updated)]).to.deep.equal([500, 'lookup tcp/+http: unknown port']);
  });

  // Go stops reading digits once the number is out of range, so what follows is never looked up.
  it('reads a port whose digits overflow as an invalid port, whatever follows them', async () => {
    const cases = {
      '12345678901x': 'listen tcp: address 12345678901x: invalid port',
      '1073741824x': 'listen tcp: lookup tcp/1073741824x: unknown port',
    };
    for (const [port, error] of Object.entries(cases)) {
      const body = { name: tp.name('overflow'), listen: `127.0.0.1:${port}`, upstream: '127.0.0.1:1' };
      const created = await tp.api('POST', '/proxies', body);
      expect([created.status, errorOf(created)], port).to.deep.equal([500, error]);
    }
  });

  it('resolves Go’s own service names, in any case, when comparing an updated listen', async () => {
    const table: [string, number][] = [
      ['HTTP', 80],
      ['Https', 443],
      ['ssh', 22],
      ['IMAP3', 220],
      ['submissions', 465],
    ];
    for (const [service, port] of table) {
      const name = tp.name(`builtIn_${service}`);
      const listen = `127.0.0.1:${port}`;
      const body = { name, listen, upstream: '127.0.0.1:1', enabled: false };
      expect((await tp.api('POST', '/proxies', body)).status).to.equal(201);
      // An equal resolved listen leaves the proxy's listen text as it was.
      const same = await tp.api('POST', `/proxies/${name}`, { ...body, listen: `127.0.0.1:${service}` });
      expect(same.status, same.text).to.equal(200);
      expect(same.body, service).to.include({ listen });
    }
  });

  it('listens on a service name from /etc/services and reports its port', async function () {
    const service = await freeService();
    if (service === undefined) this.skip();
    const upstream = await echoOn(0);
    const port = (upstream.server.address() as { port: number }).port;
    try {
      const created = await tp.api('POST', '/proxies', {
        name: tp.name('namedListen'),
        listen: `localhost:${service.name.toUpperCase()}`,
        upstream: `127.0.0.1:${port}`,
      });
      expect(created.status, created.text).to.equal(201);
      expect(created.body).to.include({ listen: `127.0.0.1:${service.port}` });
      const client = await openClient(service.port);
      await roundTrip(client, 'ping');
      expect(client.rec.bytes().toString()).to.equal('ping');
    } finally {
      upstream.server.close();
    }
  });

  it('dials an upstream given by a service name from /etc/services', async function () {
    const service = await freeService();
    if (service === undefined) this.skip();
    const upstream = await echoOn(service.port);
    try {
      const created = await tp.api('POST', '/proxies', {
        name: tp.name('namedUpstream'),
        listen: '127.0.0.1:0',
        upstream: `127.0.0.1:${service.name}`,
      });
      expect(created.status, created.text).to.equal(201);
      expect(created.body).to.include({ upstream: `127.0.0.1:${service.name}` });
      const listen = (created.body as { listen: string }).listen;
      const client = await openClient(Number(listen.slice(listen.lastIndexOf(':') + 1)));
      await roundTrip(client, 'ping');
      expect(client.rec.bytes().toString()).to.equal('ping');
      expect(upstream.accepted()).to.equal(1);
    } finally {
      upstream.server.close();
    }
  });
});

/** `toxicity` is a Go float32: strconv.ParseFloat(s, 32) rounds the decimal text once, and the API prints
 * the shortest decimal of the result. Rounding to a double and then to float32 differs for these. */
describe('toxiproxy float32 toxicity conformance (strconv.ParseFloat)', () => {
  const tp = useToxiproxy();
  /** The toxicity as printed, since JSON.parse would round it to a double. */
  const toxicityText = (json: string): string | undefined => /"toxicity":([^,}]*)/.exec(json)?.[1];

  const cases: [string, string][] = [
    ['0.25001160800457', '0.2500116'],
    ['0.34879370033741', '0.34879372'],
    ['1.00000005960464477539063', '1.0000001'],
    ['-1.00000005960464477539063', '-1.0000001'],
    ['3.4028235677973366e38', '3.4028235e+38'],
    ['7.0064923216240854e-46', '1e-45'],
  ];

  it('rounds a toxicity once from its decimal text, on create and on update', async () => {
    const proxy = await tp.proxy('float32', 1);
    const toxics = `/proxies/${proxy.name}/toxics`;
    for (const [text, printed] of cases) {
      const created = await tp.api('POST', toxics, `{"name":"t","type":"latency","toxicity":${text}}`);
      expect(created.status, created.text).to.equal(200);
      const read = await tp.api('GET', `${toxics}/t`);
      expect(toxicityText(read.text), text).to.equal(printed);
      await tp.api('PATCH', `${toxics}/t`, '{"toxicity":0.5}');
      const patched = await tp.api('PATCH', `${toxics}/t`, `{"toxicity":${text}}`);
      expect(toxicityText(patched.text), text).to.equal(printed);
      expect((await tp.api('DELETE', `${toxics}/t`)).status).to.equal(204);
    }
  });
});
