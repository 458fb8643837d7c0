/** HTTP details the Toxiproxy-compatible server shares with the real one: request ids, Go-style error bodies,
 * routing, escaping, header limits, keep-alive, and the noop toxic. */
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { expect } from 'chai';
import { useToxiproxy } from './harness.ts';
import { openClient, roundTrip, sleep, startUpstream } from './net-kit.ts';

/** The real server's request id: an xid, 20 characters of lowercase base32hex. */
const XID = /^[0-9a-v]{20}$/;
const BROWSER = { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64)' };

/** One raw HTTP/1.1 exchange on an open socket: the answer's status line and headers, the body. */
function exchange(socket: ReturnType<typeof connect>, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (data: Buffer): void => {
      text += data.toString();
      if (/\r\n\r\n/.test(text)) {
        socket.off('data', onData);
        resolve(text);
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(request);
  });
}

/**
 * What an HTTP client of the API sees besides status codes and bodies: headers, the shape of errors, the
 * router's own answers, and the HTTP server's limits.
 */
describe('toxiproxy HTTP conformance', () => {
  const tp = useToxiproxy();

  it('gives every answer of a route a request id (X-Toxiproxy-Request-Id), a JSON type for JSON', async () => {
    const version = await tp.api('GET', '/version');
    expect(version.headers.get('x-toxiproxy-request-id')).to.match(XID);
    expect(version.headers.get('content-type')).to.equal('application/json;charset=utf-8');
    const index = await tp.api('GET', '/proxies');
    expect(index.headers.get('x-toxiproxy-request-id')).to.match(XID);
    expect(index.headers.get('x-toxiproxy-request-id')).to.not.equal(
      version.headers.get('x-toxiproxy-request-id'),
    );
    expect(index.headers.get('content-type')).to.equal('application/json');
    expect(index.headers.get('content-length'), 'a short body has its length').to.equal(
      String(index.text.length),
    );
  });

  it('writes an error as JSON text with a newline, typed text/plain (Go http.Error), with its request id', async () => {
    const res = await tp.api('GET', `/proxies/${tp.name('missing')}`);
    expect(res.status).to.equal(404);
    expect(res.text).to.equal('{"error":"proxy not found","status":404}\n');
    expect(res.headers.get('content-type')).to.equal('text/plain; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(res.headers.get('x-toxiproxy-request-id')).to.match(XID);
  });

  it('answers a populate error as JSON (application/json, no newline) that also lists the proxies', async () => {
    const res = await tp.api('POST', '/populate', [{ name: tp.name('popErr') }]);
    expect(res.status).to.equal(400);
    expect(res.headers.get('content-type')).to.equal('application/json');
    expect(res.text).to.equal(
      '{"error":"missing required field: upstream at proxy 1","status":400,"proxies":null}',
    );
  });

  it("answers an unknown path with the router's plain 404, and a known path's other method with an empty 405", async () => {
    const unknown = await tp.api('GET', '/nope');
    expect([unknown.status, unknown.text]).to.deep.equal([404, '404 page not found\n']);
    expect(unknown.headers.get('content-type')).to.equal('text/plain; charset=utf-8');
    expect(unknown.headers.get('x-toxiproxy-request-id'), 'no route, no request id').to.equal(null);
    const wrong = await tp.api('PUT', '/proxies');
    expect([wrong.status, wrong.text]).to.deep.equal([405, '']);
    expect(wrong.headers.get('allow'), 'no Allow header').to.equal(null);
    expect(wrong.headers.get('content-length')).to.equal('0');
    expect(wrong.headers.get('x-toxiproxy-request-id')).to.equal(null);
  });

  it('refuses a browser on a known route with a plain 403, and routes its other requests as any', async () => {
    const refused = await tp.api('GET', '/proxies', undefined, BROWSER);
    expect([refused.status, refused.text]).to.deep.equal([403, 'User agent not allowed\n']);
    expect(refused.headers.get('content-type')).to.equal('text/plain; charset=utf-8');
    expect(refused.headers.get('x-toxiproxy-request-id')).to.match(XID);
    expect((await tp.api('GET', '/nope', undefined, BROWSER)).status).to.equal(404);
    expect((await tp.api('PUT', '/proxies', undefined, BROWSER)).status).to.equal(405);
  });

  it('redirects a path that is not clean (301) and does not strip a trailing slash', async () => {
    const moved = await tp.api('GET', '//proxies');
    expect([moved.status, moved.headers.get('location')]).to.deep.equal([301, '/proxies']);
    expect((await tp.api('GET', '/proxies/')).status).to.equal(404);
  });

  it('escapes <, > and & in JSON as Go does', async () => {
    const upstream = await startUpstream();
    const name = tp.name('a<b>&c');
    await tp.api('POST', '/proxies', { name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream.port}` });
    const res = await tp.api('GET', `/proxies/${encodeURIComponent(name)}`);
    expect(res.text).to.contain('a\\u003cb\\u003e\\u0026c');
    expect((res.body as { name: string }).name).to.equal(name);
  });

  it('reads and writes a lone surrogate as U+FFFD, as Go strings hold it', async () => {
    const upstream = await startUpstream();
    const name = tp.name('a\ud800b');
    await tp.api('POST', '/proxies', { name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream.port}` });
    const stored = name.replace('\ud800', '\ufffd');
    const res = await tp.api('GET', `/proxies/${encodeURIComponent(stored)}`);
    expect([res.status, (res.body as { name: string }).name]).to.deep.equal([200, stored]);
  });

  it('takes request headers of 20 kB (Go allows 1 MB)', async () => {
    const res = await tp.api('GET', '/version', undefined, { 'X-Large': 'x'.repeat(20_000) });
    expect(res.status).to.equal(200);
  });

  it('keeps an idle API connection open longer than 5 s (Go: 60 s)', async () => {
    const url = new URL(tp.url);
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    try {
      const request = `GET /version HTTP/1.1\r\nHost: ${url.host}\r\nUser-Agent: conformance\r\n\r\n`;
      expect(await exchange(socket, request)).to.match(/^HTTP\/1\.1 200/);
      await sleep(6000);
      expect(socket.destroyed || socket.readyState !== 'open', 'closed while idle').to.equal(false);
      expect(await exchange(socket, request)).to.match(/^HTTP\/1\.1 200/);
    } finally {
      socket.destroy();
    }
  }).timeout(15_000);

  it('knows the noop toxic: it changes nothing', async () => {
    const upstream = await startUpstream();
    const proxy = await tp.proxy('noop', upstream.port);
    const res = await tp.api('POST', `/proxies/${proxy.name}/toxics`, { type: 'noop' });
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({
      attributes: {},
      name: 'noop_downstream',
      type: 'noop',
      stream: 'downstream',
      toxicity: 1,
    });
    const client = await openClient(proxy.port);
    expect(await roundTrip(client, 'hello')).to.be.below(1000);
  });

  it('turns TCP keep-alive on for the sockets of every proxied connection (15 s, as Go does)', async () => {
    const upstream = await startUpstream();
    const proxy = await tp.proxy('keepalive', upstream.port);
    const client = await openClient(proxy.port);
    await roundTrip(client, 'ping');
    const ss = spawnSync('ss', ['-tnoH', 'state', 'established', `( sport = :${proxy.port} )`], {
      encoding: 'utf8',
    });
    expect(ss.stdout, 'the proxy side of the client connection').to.match(/timer:\(keepalive,/);
  });
});
