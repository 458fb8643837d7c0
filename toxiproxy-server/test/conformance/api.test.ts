/** The Toxiproxy-compatible server's HTTP API answers as the real Toxiproxy's: server routes, proxies,
 * populate, toxics and reset, with the same status codes and error bodies. */
import { expect } from 'chai';
import { portOf, useToxiproxy } from './harness.ts';
import { canConnect, freePort, openClient, roundTrip, startUpstream } from './net-kit.ts';

interface ProxyBody {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: {
    name: string;
    type: string;
    stream: string;
    toxicity: number;
    attributes: Record<string, number>;
  }[];
}

describe('toxiproxy API conformance', () => {
  const tp = useToxiproxy();

  const errorBody = (message: string, status: number) => ({ error: message, status });
  const errorOf = (res: { body: unknown }): string => (res.body as { error: string }).error;

  describe('server', () => {
    it('GET /version answers 200 with a JSON version', async () => {
      const text = await tp.client.getVersion();
      expect(JSON.parse(text)).to.have.property('version').that.is.a('string').and.not.empty;
    });

    it('refuses browsers (User-Agent Mozilla/...) with 403', async () => {
      const res = await tp.api('GET', '/proxies', undefined, { 'User-Agent': 'Mozilla/5.0 (X11; Linux)' });
      expect(res.status).to.equal(403);
    });

    it('answers 405 for a known path with the wrong method and 404 for an unknown path', async () => {
      expect((await tp.api('PUT', '/proxies', {})).status).to.equal(405);
      expect((await tp.api('DELETE', '/version')).status).to.equal(405);
      expect((await tp.api('GET', '/reset')).status).to.equal(405);
      expect((await tp.api('GET', '/no/such/endpoint')).status).to.equal(404);
    });
  });

  describe('proxies', () => {
    it('creates a proxy with 201; listen port 0 reports the real port, in later GETs too', async () => {
      const upstream = await startUpstream();
      const name = tp.name('create');
      const res = await tp.api('POST', '/proxies', {
        name,
        listen: '127.0.0.1:0',
        upstream: `127.0.0.1:${upstream.port}`,
      });
      expect(res.status).to.equal(201);
      const body = res.body as ProxyBody;
      expect(body).to.include({ name, upstream: `127.0.0.1:${upstream.port}`, enabled: true });
      expect(body.toxics).to.deep.equal([]);
      expect(body.listen)
        .to.match(/^127\.0\.0\.1:\d+$/)
        .and.not.equal('127.0.0.1:0');
      const shown = await tp.api('GET', `/proxies/${name}`);
      expect(shown.status).to.equal(200);
      expect((shown.body as ProxyBody).listen).to.equal(body.listen);
      expect(await canConnect(Number(body.listen.split(':')[1]))).to.equal(true);
    });

    it('resolves a "localhost" listen address to IPv4', async () => {
      const upstream = await startUpstream();
      const res = await tp.api('POST', '/proxies', {
        name: tp.name('localhost'),
        listen: 'localhost:0',
        upstream: `127.0.0.1:${upstream.port}`,
      });
      expect(res.status).to.equal(201);
      expect((res.body as ProxyBody).listen).to.match(/^127\.0\.0\.1:[1-9]\d*$/);
    });

    // Binds every interface for a moment: the one place the suite does, to pin down what the real one does.
    it('binds a wildcard or empty listen host on every interface and reports it as [::]:P', async () => {
      const upstream = await startUpstream();
      for (const listen of [':0', '0.0.0.0:0', '[::]:0']) {
        const name = tp.name('wildcard');
        const res = await tp.api('POST', '/proxies', {
          name,
          listen,
          upstream: `127.0.0.1:${upstream.port}`,
        });
        const reported = (res.body as ProxyBody).listen;
        expect(reported, listen).to.match(/^\[::\]:\d+$/);
        expect(await canConnect(portOf(reported))).to.equal(true);
        await tp.api('DELETE', `/proxies/${name}`);
      }
    });

    it('rejects a missing name or upstream with 400 and an error body', async () => {
      const noName = await tp.api('POST', '/proxies', { listen: '127.0.0.1:0', upstream: '127.0.0.1:1' });
      expect(noName.status).to.equal(400);
      expect(noName.body).to.deep.equal(errorBody('missing required field: name', 400));
      const noUpstream = await tp.api('POST', '/proxies', { name: tp.name('noup'), listen: '127.0.0.1:0' });
      expect(noUpstream.status).to.equal(400);
      expect(noUpstream.body).to.deep.equal(errorBody('missing required field: upstream', 400));
    });

    it('rejects a body that is not JSON with 400 "bad request body"', async () => {
      const res = await tp.api('POST', '/proxies', '{"name": "broken",');
      expect(res.status).to.equal(400);
      expect(res.body).to.have.property('status', 400);
      expect((res.body as { error: string }).error).to.match(/^bad request body/);
    });

    it('rejects a duplicate name with 409 "proxy already exists"', async () => {
      const upstream = await startUpstream();
      const first = await tp.proxy('dup', upstream.port);
      const res = await tp.api('POST', '/proxies', {
        name: first.name,
        listen: '127.0.0.1:0',
        upstream: 'x:1',
      });
      expect(res.status).to.equal(409);
      expect(res.body).to.deep.equal(errorBody('proxy already exists', 409));
    });

    it('answers 500 with an error body when the listen address is taken', async () => {
      const upstream = await startUpstream();
      const res = await tp.api('POST', '/proxies', {
        name: tp.name('taken'),
        listen: `127.0.0.1:${upstream.port}`,
        upstream: `127.0.0.1:${upstream.port}`,
      });
      expect(res.status).to.equal(500);
      expect(res.body).to.have.property('status', 500);
      expect((res.body as { error: string }).error).to.be.a('string').and.not.empty;
    });

    it('answers 404 "proxy not found" for an unknown proxy on every proxy endpoint', async () => {
      const name = tp.name('ghost');
      for (const [method, path] of [
        ['GET', `/proxies/${name}`],
        ['POST', `/proxies/${name}`],
        ['PATCH', `/proxies/${name}`],
        ['DELETE', `/proxies/${name}`],
        ['GET', `/proxies/${name}/toxics`],
        ['POST', `/proxies/${name}/toxics`],
        ['GET', `/proxies/${name}/toxics/latency_downstream`],
      ] as const) {
        const res = await tp.api(method, path, method === 'POST' || method === 'PATCH' ? {} : undefined);
        expect(res.status, `${method} ${path}`).to.equal(404);
        expect(res.body, `${method} ${path}`).to.deep.equal(errorBody('proxy not found', 404));
      }
    });

    it('creates a disabled proxy without a listener and binds it when enabled', async () => {
      const upstream = await startUpstream();
      const port = await freePort();
      const name = tp.name('disabled');
      const listen = `127.0.0.1:${port}`;
      const created = await tp.api('POST', '/proxies', {
        name,
        listen,
        upstream: `127.0.0.1:${upstream.port}`,
        enabled: false,
      });
      expect(created.status).to.equal(201);
      expect(created.body).to.include({ enabled: false, listen });
      expect(await canConnect(port)).to.equal(false);
      const enabled = await tp.api('PATCH', `/proxies/${name}`, { enabled: true });
      expect(enabled.status).to.equal(200);
      expect(enabled.body).to.include({ enabled: true, listen });
      expect(await canConnect(port)).to.equal(true);
    });

    it('updates partially (POST and PATCH): omitted fields keep their values; disable refuses, enable rebinds the same port', async () => {
      const upstream = await startUpstream();
      const proxy = await tp.proxy('update', upstream.port);
      const disabled = await tp.api('POST', `/proxies/${proxy.name}`, { enabled: false });
      expect(disabled.status).to.equal(200);
      expect(disabled.body).to.include({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
      expect(await canConnect(proxy.port)).to.equal(false);
      const enabled = await tp.api('PATCH', `/proxies/${proxy.name}`, { enabled: true });
      expect(enabled.body).to.include({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
      expect(await canConnect(proxy.port)).to.equal(true);
      const viaClient = await proxy.update({
        enabled: false,
        listen: proxy.listen,
        upstream: proxy.upstream,
      });
      expect(viaClient.enabled).to.equal(false);
    });

    it('compares an updated listen once resolved: "localhost:P" for 127.0.0.1:P changes nothing, connections stay', async () => {
      const upstream = await startUpstream();
      const proxy = await tp.proxy('resolvedListen', upstream.port);
      const client = await openClient(proxy.port);
      await roundTrip(client, 'one');
      const res = await tp.api('PATCH', `/proxies/${proxy.name}`, { listen: `localhost:${proxy.port}` });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ listen: proxy.listen, enabled: true });
      expect(await roundTrip(client, 'two'), 'the open connection still works').to.be.a('number');
      expect(client.rec.closedAt).to.equal(undefined);
    });

    it('fails an update whose listen does not resolve with 500 before anything changes', async () => {
      const upstream = await startUpstream();
      const proxy = await tp.proxy('badListen', upstream.port);
      const cases = [
        ['bad', 'address bad: missing port in address'],
        ['127.0.0.1:99999', 'address 99999: invalid port'],
        ['a:b:c', 'address a:b:c: too many colons in address'],
      ];
      for (const [listen, error] of cases) {
        const res = await tp.api('PATCH', `/proxies/${proxy.name}`, { listen, enabled: false });
        expect([res.status, res.body]).to.deep.equal([500, errorBody(error as string, 500)]);
      }
      const shown = await tp.api('GET', `/proxies/${proxy.name}`);
      expect(shown.body).to.include({ listen: proxy.listen, enabled: true });
      expect(await canConnect(proxy.port)).to.equal(true);
      const created = await tp.api('POST', '/proxies', {
        name: tp.name('badListenNew'),
        listen: 'bad',
        upstream: '127.0.0.1:1',
      });
      expect(errorOf(created)).to.equal('listen tcp: address bad: missing port in address');
    });

    it('deletes with 204: the listener closes and the proxy is gone', async () => {
      const upstream = await startUpstream();
      const proxy = await tp.proxy('delete', upstream.port);
      const res = await tp.api('DELETE', `/proxies/${proxy.name}`);
      expect(res.status).to.equal(204);
      expect(res.text).to.equal('');
      expect(await canConnect(proxy.port)).to.equal(false);
      expect((await tp.api('GET', `/proxies/${proxy.name}`)).status).to.equal(404);
      const all = await tp.client.getAll();
      expect(all).to.not.have.property(proxy.name);
    });

    it('lists proxies keyed by name with their toxics', async () => {
      const upstream = await startUpstream();
      const proxy = await tp.proxy('index', upstream.port);
      await proxy.addToxic({
        name: 'lat',
        type: 'latency',
        stream: 'downstream',
        toxicity: 1,
        attributes: { latency: 5 },
      });
      const res = await tp.api('GET', '/proxies');
      expect(res.status).to.equal(200);
      const listed = (res.body as Record<string, ProxyBody>)[proxy.name];
      expect(listed).to.include({ name: proxy.name, listen: proxy.listen, enabled: true });
      expect(listed?.toxics.map((t) => t.name)).to.deep.equal(['lat']);
    });

    it('lists proxies in the byte order of their UTF-8 names (past U+FFFF too)', async () => {
      const upstream = await startUpstream();
      // U+FF61 is EF BD A1 in UTF-8 but sorts after U+1F600 (a D83D surrogate first) in UTF-16.
      const base = tp.name('utf8');
      const names = [`${base}\u{1F600}`, `${base}\uFF61`];
      try {
        for (const name of names) {
          const body = { name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream.port}` };
          expect((await tp.api('POST', '/proxies', body)).status).to.equal(201);
        }
        const listed = Object.keys((await tp.api('GET', '/proxies')).body as object);
        expect(listed.filter((name) => names.includes(name))).to.deep.equal([names[1], names[0]]);
      } finally {
        for (const name of names) await tp.api('DELETE', `/proxies/${encodeURIComponent(name)}`);
      }
    });

    it('accepts a proxy whose upstream is unreachable; a client that sent nothing is accepted, then closed (FIN)', async () => {
      const dead = await freePort();
      const proxy = await tp.proxy('unreachable', dead);
      const client = await openClient(proxy.port);
      await client.rec.closed(3000);
      expect(client.rec.error?.code, 'closed plainly, not reset').to.equal(undefined);
      expect(client.rec.endedAt, 'the client read an end of stream').to.be.a('number');
      expect(client.rec.total).to.equal(0);
    });
  });

  describe('populate', () => {
    it('creates proxies with 201 {"proxies": [...]} and keeps an identical existing proxy with its toxics', async () => {
      const upstream = await startUpstream();
      const [a, b] = [tp.name('popA'), tp.name('popB')];
      const target = `127.0.0.1:${upstream.port}`;
      const first = await tp.api('POST', '/populate', [
        { name: a, listen: '127.0.0.1:0', upstream: target },
        { name: b, listen: '127.0.0.1:0', upstream: target, enabled: false },
      ]);
      expect(first.status).to.equal(201);
      const proxies = (first.body as { proxies: ProxyBody[] }).proxies;
      expect(proxies.map((p) => [p.name, p.enabled])).to.have.deep.members([
        [a, true],
        [b, false],
      ]);
      const listenA = proxies.find((p) => p.name === a)?.listen as string;
      await tp.api('POST', `/proxies/${a}/toxics`, { type: 'latency', attributes: { latency: 1 } });
      const again = await tp.api('POST', '/populate', [{ name: a, listen: listenA, upstream: target }]);
      expect(again.status).to.equal(201);
      const kept = (await tp.api('GET', `/proxies/${a}`)).body as ProxyBody;
      expect(kept.listen).to.equal(listenA);
      expect(kept.toxics.map((t) => t.name)).to.deep.equal(['latency_downstream']);
    });

    it('replaces an existing proxy whose upstream differs (its toxics are dropped)', async () => {
      const upstream = await startUpstream();
      const other = await startUpstream();
      const proxy = await tp.proxy('popReplace', upstream.port);
      await tp.api('POST', `/proxies/${proxy.name}/toxics`, { type: 'latency', attributes: { latency: 1 } });
      const res = await tp.api('POST', '/populate', [
        { name: proxy.name, listen: proxy.listen, upstream: `127.0.0.1:${other.port}` },
      ]);
      expect(res.status).to.equal(201);
      const now = (await tp.api('GET', `/proxies/${proxy.name}`)).body as ProxyBody;
      expect(now.upstream).to.equal(`127.0.0.1:${other.port}`);
      expect(now.toxics).to.deep.equal([]);
    });

    it('validates every entry first: one without upstream is a 400 and nothing is created', async () => {
      const [good, bad] = [tp.name('popGood'), tp.name('popBad')];
      const res = await tp.api('POST', '/populate', [
        { name: good, listen: '127.0.0.1:0', upstream: '127.0.0.1:1' },
        { name: bad, listen: '127.0.0.1:0' },
      ]);
      expect(res.status).to.equal(400);
      expect(res.body).to.include(errorBody('missing required field: upstream at proxy 2', 400));
      expect((await tp.api('GET', `/proxies/${good}`)).status).to.equal(404);
    });

    it('lists in an error body the proxies it had applied', async () => {
      const taken = await startUpstream();
      const [good, bad] = [tp.name('popApplied'), tp.name('popTaken')];
      const res = await tp.api('POST', '/populate', [
        { name: good, listen: '127.0.0.1:0', upstream: '127.0.0.1:1' },
        { name: bad, listen: `127.0.0.1:${taken.port}`, upstream: '127.0.0.1:1' },
      ]);
      expect(res.status).to.equal(500);
      const body = res.body as { error: string; status: number; proxies: ProxyBody[] };
      expect(body).to.include(
        errorBody(`listen tcp 127.0.0.1:${taken.port}: bind: address already in use`, 500),
      );
      expect(body.proxies.map((p) => [p.name, p.enabled])).to.deep.equal([[good, true]]);
      expect((await tp.api('GET', `/proxies/${bad}`)).status).to.equal(404);
    });

    it('keeps a proxy whose replacement fails to bind (disabled, with its toxics), and one whose new listen does not resolve (untouched)', async () => {
      const upstream = await startUpstream();
      const taken = await startUpstream();
      const proxy = await tp.proxy('popKeep', upstream.port);
      await tp.api('POST', `/proxies/${proxy.name}/toxics`, { type: 'latency' });
      const failed = await tp.api('POST', '/populate', [
        { name: proxy.name, listen: `127.0.0.1:${taken.port}`, upstream: proxy.upstream },
      ]);
      expect(failed.status).to.equal(500);
      const kept = (await tp.api('GET', `/proxies/${proxy.name}`)).body as ProxyBody;
      expect(kept).to.include({ listen: proxy.listen, upstream: proxy.upstream, enabled: false });
      expect(kept.toxics.map((t) => t.name)).to.deep.equal(['latency_downstream']);
      expect(await canConnect(proxy.port)).to.equal(false);

      const other = await tp.proxy('popUntouched', upstream.port);
      const unresolved = await tp.api('POST', '/populate', [
        { name: other.name, listen: 'bad', upstream: '127.0.0.1:1' },
      ]);
      expect([unresolved.status, unresolved.body]).to.deep.equal([
        500,
        { ...errorBody('address bad: missing port in address', 500), proxies: null },
      ]);
      expect((await tp.api('GET', `/proxies/${other.name}`)).body).to.include({
        listen: other.listen,
        upstream: other.upstream,
        enabled: true,
      });
    });

    it('accepts an empty list with 201 and rejects a body that is not a list with 400', async () => {
      expect((await tp.api('POST', '/populate', [])).status).to.equal(201);
      const notList = await tp.api('POST', '/populate', { name: 'x' });
      expect(notList.status).to.equal(400);
      expect((notList.body as { error: string }).error).to.match(/^bad request body/);
    });
  });

  describe('toxics', () => {
    it('creates a toxic with 200 and defaults: downstream, toxicity 1, name <type>_<stream>, zero-filled attributes', async () => {
      const upstream = await startUpstream();
      const proxy = await tp.proxy('toxDefaults', upstream.port);
      const res = await tp.api('POST', `/proxies/${proxy.name}/toxics`, {
        type: 'latency',
        attributes: { latency: 50 },
      });
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({
        attributes: { latency: 50, jitter: 0 },
        name: 'latency_downstream',
        type: 'latency',
        stream: 'downstream',
        toxicity: 1,
      });
      const slicer = await tp.api('POST', `/proxies/${proxy.name}/toxics`, {
        type: 'slicer',
        stream: 'upstream',
      });
      expect(slicer.body).to.deep.include({
        name: 'slicer_upstream',
        attributes: { average_size: 0, size_variation: 0, delay: 0 },
      });
      const shown = await proxy.getToxic('latency_downstream');
      expect(shown.attributes).to.deep.equal({ latency: 50, jitter: 0 });
    });

    it('keeps toxic names unique across both streams (409 "toxic already exists")', async () => {
      const upstream = await startUpstream();
      const proxy = await tp.proxy('toxDup', upstream.port);
      const path = `/proxies/${proxy.name}/toxics`;
      expect(
        (await tp.api('POST', path, { name: 'same', type: 'latency', stream: 'upstream' })).status,
      ).to.equal(200);
      const dup = await tp.api('POST', path, { name: 'same', type: 'timeout', stream: 'downstream' });
      expect(dup.status).to.equal(409);
      expect(dup.body).to.deep.equal(errorBody('toxic already exists', 409));
    });

    it('rejects a bad stream or toxic type with 400 (and "down" is not a toxic)', async () => {
      const upstream = await startUpstream();
      const proxy = await tp.proxy('toxBad', upstream.port);
      const path = `/proxies/${proxy.name}/toxics`;
      const streamError = errorBody('stream was invalid, can be either upstream or downstream', 400);
      expect((await tp.api('POST', path, { type: 'latency', stream: '' })).body).to.deep.equal(streamError);
      expect((await tp.api('POST', path, { type: 'latency', stream: 'sideways' })).body).to.deep.equal(
        streamError,
      );
      const typeError = errorBody('invalid toxic type', 400);
      expect((await tp.api('POST', path, { type: 'nonsense' })).body).to.deep.equal(typeError);
      expect((await tp.api('POST', path, { type: 'down' })).body).to.deep.equal(typeError);
      const badBody = await tp.api('POST', path, 'not json');
      expect(badBody.status).to.equal(400);
      expect((await tp.api('GET', path)).body).to.deep.equal([]);
    });

    it('accepts the stream case-insensitively', async () => {
      const upstream = await startUpstream();
      const proxy = await tp.proxy('toxCase', upstream.port);
      const res = await tp.api('POST', `/proxies/${proxy.name}/toxics`, {
        name: 'up',
        type: 'latency',
        stream: 'UpStream',
      });
      expect(res.status).to.equal(200);
      expect((res.body as { stream: string }).stream.toLowerCase()).to.equal('upstream');
    });

    it('lists upstream toxics first, then downstream, each in insertion order', async () => {
      const upstream = await startUpstream();
      const proxy = await tp.proxy('toxOrder', upstream.port);
      const path = `/proxies/${proxy.name}/toxics`;
      for (const [name, stream] of [
        ['d1', 'downstream'],
        ['u1', 'upstream'],
        ['d2', 'downstream'],
        ['u2', 'upstream'],
      ]) {
        await tp.api('POST', path, { name, type: 'latency', stream });
      }
      const res = await tp.api('GET', path);
      expect(res.status).to.equal(200);
      expect((res.body as { name: string }[]).map((t) => t.name)).to.deep.equal(['u1', 'u2', 'd1', 'd2']);
    });

    it('updates with POST or PATCH: attributes are merged, toxicity kept unless given', async () => {
      const upstream = await startUpstream();
      const proxy = await tp.proxy('toxUpdate', upstream.port);
      await tp.api('POST', `/proxies/${proxy.name}/toxics`, {
        name: 'lat',
        type: 'latency',
        toxicity: 0.5,
        attributes: { latency: 100, jitter: 10 },
      });
      const patched = await tp.api('PATCH', `/proxies/${proxy.name}/toxics/lat`, {
        attributes: { latency: 300 },
      });
      expect(patched.status).to.equal(200);
      expect(patched.body).to.deep.include({ attributes: { latency: 300, jitter: 10 }, toxicity: 0.5 });
      const posted = await tp.api('POST', `/proxies/${proxy.name}/toxics/lat`, { toxicity: 1 });
      expect(posted.body).to.deep.include({
        attributes: { latency: 300, jitter: 10 },
        toxicity: 1,
        type: 'latency',
      });
      const missing = await tp.api('PATCH', `/proxies/${proxy.name}/toxics/nope`, { toxicity: 1 });
      expect(missing.status).to.equal(404);
      expect(missing.body).to.deep.equal(errorBody('toxic not found', 404));
    });

    it('keeps what a failed update could read: a 400, yet its other attributes change (open connections too), the toxicity not', async () => {
      const upstream = await startUpstream();
      const proxy = await tp.proxy('toxPartial', upstream.port);
      await tp.api('POST', `/proxies/${proxy.name}/toxics`, {
        name: 'lat',
        type: 'latency',
        attributes: { latency: 10 },
      });
      const client = await openClient(proxy.port);
      expect(await roundTrip(client, 'a')).to.be.below(400);
      const res = await tp.api('PATCH', `/proxies/${proxy.name}/toxics/lat`, {
        attributes: { latency: 500, jitter: 'x' },
        toxicity: 0,
      });
      expect([res.status, errorOf(res)]).to.deep.equal([
        400,
        'bad request body: json: cannot unmarshal string into Go struct field LatencyToxic.attributes.jitter of type int64',
      ]);
      const shown = await tp.api('GET', `/proxies/${proxy.name}/toxics/lat`);
      expect(shown.body).to.deep.include({ attributes: { latency: 500, jitter: 0 }, toxicity: 1 });
      expect(await roundTrip(client, 'b')).to.be.at.least(500 - 15);
    });

    it('deletes with 204, after which the toxic is 404', async () => {
      const upstream = await startUpstream();
      const proxy = await tp.proxy('toxDelete', upstream.port);
      const toxic = await proxy.addToxic({
        name: 'gone',
        type: 'timeout',
        stream: 'upstream',
        toxicity: 1,
        attributes: { timeout: 0 },
      });
      await toxic.remove();
      const res = await tp.api('GET', `/proxies/${proxy.name}/toxics/gone`);
      expect(res.status).to.equal(404);
      expect(res.body).to.deep.equal(errorBody('toxic not found', 404));
      expect((await tp.api('DELETE', `/proxies/${proxy.name}/toxics/gone`)).status).to.equal(404);
    });

    it('keeps toxics while a proxy is disabled and enabled again', async () => {
      const upstream = await startUpstream();
      const proxy = await tp.proxy('toxSurvive', upstream.port);
      await tp.api('POST', `/proxies/${proxy.name}/toxics`, { type: 'bandwidth', attributes: { rate: 10 } });
      await tp.api('PATCH', `/proxies/${proxy.name}`, { enabled: false });
      await tp.api('PATCH', `/proxies/${proxy.name}`, { enabled: true });
      const toxics = (await tp.api('GET', `/proxies/${proxy.name}/toxics`)).body as { name: string }[];
      expect(toxics.map((t) => t.name)).to.deep.equal(['bandwidth_downstream']);
    });
  });

  describe('reset', () => {
    it('answers 204, re-enables every proxy and removes every toxic, keeping the proxies', async () => {
      const upstream = await startUpstream();
      const on = await tp.proxy('resetOn', upstream.port);
      const off = await tp.proxy('resetOff', upstream.port);
      await tp.api('POST', `/proxies/${on.name}/toxics`, { type: 'latency', stream: 'upstream' });
      await tp.api('POST', `/proxies/${off.name}/toxics`, { type: 'timeout' });
      await tp.api('PATCH', `/proxies/${off.name}`, { enabled: false });
      const res = await tp.api('POST', '/reset');
      expect(res.status).to.equal(204);
      for (const proxy of [on, off]) {
        const shown = (await tp.api('GET', `/proxies/${proxy.name}`)).body as ProxyBody;
        expect(shown).to.include({ enabled: true, listen: proxy.listen });
        expect(shown.toxics).to.deep.equal([]);
        expect(await canConnect(proxy.port)).to.equal(true);
      }
    });
  });
});
