/** The Toxiproxy-compatible server's data path: bytes carried unchanged, closes passed on, connections closed
 * on disable, delete or a new upstream, and dials handled as the real server does. */
import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { CLUSTER_DIALS_ENV } from '../../serve.ts';
import { waitFor } from '../helpers.ts';
import { type ToxiproxyUnderTest, useToxiproxy } from './harness.ts';
import {
  canConnect,
  dialClient,
  dialsPending,
  freePort,
  openClient,
  roundTrip,
  sleep,
  stalledListener,
  startUpstream,
} from './net-kit.ts';

const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** A client of a new proxy that has sent `bytes`, and the proxy's dial to a stalled upstream pending. */
async function dialingStalledUpstream(tp: ToxiproxyUnderTest, name: string, bytes: string) {
  const upstream = await stalledListener();
  try {
    const proxy = await tp.proxy(name, upstream.port);
    const client = await openClient(proxy.port);
    client.socket.write(bytes);
    const dialing = async () => dialsPending(upstream.port) === 1;
    await waitFor('the proxy to dial the stalled upstream', dialing, 3000);
    return { upstream, client, proxy };
  } catch (error) {
    upstream.close();
    throw error;
  }
}

describe('toxiproxy data path conformance', () => {
  const tp = useToxiproxy();

  it('carries bytes unchanged in both directions (4 MiB echo)', async () => {
    const upstream = await startUpstream();
    const proxy = await tp.proxy('integrity', upstream.port);
    const client = await openClient(proxy.port);
    const payload = randomBytes(4 * 1024 * 1024);
    client.socket.write(payload);
    await client.rec.bytesBy(payload.length, 10000);
    expect(sha(client.rec.bytes())).to.equal(sha(payload));
    expect(sha(upstream.accepted[0]?.bytes() ?? Buffer.alloc(0))).to.equal(sha(payload));
  });

  it('closes the client when the upstream closes, and the upstream when the client closes', async () => {
    const upstream = await startUpstream((socket) => socket.once('data', () => socket.end('bye')));
    const proxy = await tp.proxy('eof', upstream.port);
    const first = await openClient(proxy.port);
    first.socket.write('hi');
    await first.rec.closed(3000);
    expect(first.rec.bytes().toString()).to.equal('bye');

    const echo = await startUpstream();
    const echoProxy = await tp.proxy('eofClient', echo.port);
    const second = await openClient(echoProxy.port);
    await roundTrip(second, 'ping');
    second.socket.end();
    await echo.accepted[0]?.until(() => echo.accepted[0]?.endedAt !== undefined, 3000, 'upstream to see EOF');
    await second.rec.closed(3000);
  });

  it('disabling a proxy closes its open connections and refuses new ones', async () => {
    const upstream = await startUpstream();
    const proxy = await tp.proxy('disable', upstream.port);
    const client = await openClient(proxy.port);
    await roundTrip(client, 'ping');
    await tp.api('PATCH', `/proxies/${proxy.name}`, { enabled: false });
    await client.rec.closed(3000);
    await upstream.accepted[0]?.closed(3000);
    expect(await canConnect(proxy.port)).to.equal(false);
  });

  it('deleting a proxy closes its open connections', async () => {
    const upstream = await startUpstream();
    const proxy = await tp.proxy('deleteConn', upstream.port);
    const client = await openClient(proxy.port);
    await roundTrip(client, 'ping');
    await proxy.remove();
    await client.rec.closed(3000);
    await upstream.accepted[0]?.closed(3000);
  });

  it('changing the upstream of an enabled proxy closes open connections and uses the new upstream', async () => {
    const upstream = await startUpstream();
    const other = await startUpstream((socket) => socket.end('other'));
    const proxy = await tp.proxy('reroute', upstream.port);
    const client = await openClient(proxy.port);
    await roundTrip(client, 'ping');
    const res = await tp.api('PATCH', `/proxies/${proxy.name}`, { upstream: `127.0.0.1:${other.port}` });
    expect(res.body).to.include({ enabled: true, listen: proxy.listen });
    await client.rec.closed(3000);
    const next = await openClient(proxy.port);
    await next.rec.closed(3000);
    expect(next.rec.bytes().toString()).to.equal('other');
  });

  it('reset keeps open connections and takes toxics off them', async () => {
    const upstream = await startUpstream();
    const proxy = await tp.proxy('resetOpen', upstream.port);
    const client = await openClient(proxy.port);
    await roundTrip(client, 'warm');
    await tp.api('POST', `/proxies/${proxy.name}/toxics`, { type: 'latency', attributes: { latency: 400 } });
    expect(await roundTrip(client, 'slow')).to.be.at.least(390);
    await tp.client.reset();
    expect(await roundTrip(client, 'fast')).to.be.below(200);
    expect(client.rec.closedAt).to.equal(undefined);
  });

  it('resets a client that had sent something when the dial to its upstream fails', async () => {
    const { upstream, client } = await dialingStalledUpstream(tp, 'refusedAfterData', 'hello');
    upstream.close(); // the listener goes: the dial's next SYN is refused
    await client.rec.closed(10_000);
    expect(client.rec.error?.code).to.equal('ECONNRESET');
  });

  it('dials one client at a time, and delivers what a client sent although it left during its dial', async () => {
    const { upstream, client, proxy } = await dialingStalledUpstream(tp, 'dialInTurn', 'first;');
    try {
      client.socket.resetAndDestroy();
      const later = await openClient(proxy.port);
      later.socket.write('second;');
      await sleep(300);
      expect(dialsPending(upstream.port), 'dials pending while the first hangs').to.equal(1);
      upstream.resume();
      const both = async () =>
        upstream.received().includes('first;') && upstream.received().includes('second;');
      await waitFor('both clients bytes upstream', both, 10_000);
      expect(upstream.received().indexOf('first;')).to.be.below(upstream.received().indexOf('second;'));
    } finally {
      upstream.close();
    }
  });

  it('disabling a proxy waits out its pending dial', async () => {
    const { upstream, proxy } = await dialingStalledUpstream(tp, 'stopWaits', 'hello');
    try {
      let answered = false;
      const disabling = tp.api('POST', `/proxies/${proxy.name}`, { enabled: false }).finally(() => {
        answered = true;
      });
      await sleep(300);
      expect(answered, 'answered while the dial was pending').to.equal(false);
      expect((await tp.api('GET', `/proxies/${proxy.name}`)).status, 'a read meanwhile').to.equal(200);
      upstream.resume();
      expect((await disabling).status).to.equal(200);
      expect(await canConnect(proxy.port)).to.equal(false);
    } finally {
      upstream.close();
    }
  });

  it('while one proxy waits out a pending dial, other proxies and its toxics change', async () => {
    const { upstream, proxy } = await dialingStalledUpstream(tp, 'lockHolder', 'hello');
    try {
      const other = await tp.proxy('lockOther', (await startUpstream()).port);
      const disabling = tp.api('POST', `/proxies/${proxy.name}`, { enabled: false });
      await sleep(200);
      const otherChange = await tp.api('POST', `/proxies/${other.name}`, { enabled: false });
      expect(otherChange.status, 'another proxy changes meanwhile').to.equal(200);
      const toxic = { type: 'latency', attributes: { latency: 1 } };
      const toxicAdded = await tp.api('POST', `/proxies/${proxy.name}/toxics`, toxic);
      expect(toxicAdded.status, 'a toxic of the waiting proxy meanwhile').to.equal(200);
      upstream.resume();
      expect((await disabling).status).to.equal(200);
    } finally {
      upstream.close();
    }
  });

  it('deleting a proxy whose dial is pending holds back the calls that read the proxies', async () => {
    const { upstream, proxy } = await dialingStalledUpstream(tp, 'lockDelete', 'hello');
    try {
      const deleting = tp.api('DELETE', `/proxies/${proxy.name}`);
      await sleep(200);
      let listed = false;
      const listing = tp.api('GET', '/proxies').finally(() => {
        listed = true;
      });
      await sleep(300);
      expect(listed, 'listed while the delete waits').to.equal(false);
      expect((await tp.api('GET', '/version')).status, '/version needs no proxy').to.equal(200);
      upstream.resume();
      expect((await deleting).status).to.equal(204);
      expect((await listing).status).to.equal(200);
    } finally {
      upstream.close();
    }
  });

  it('answers a change that takes over 25 s with a 503 timeout page, and makes the change anyway', async function () {
    this.timeout(60_000);
    const { upstream, proxy } = await dialingStalledUpstream(tp, 'apiDeadline', 'hello');
    try {
      const res = await tp.api('POST', `/proxies/${proxy.name}`, { enabled: false });
      expect(res.status).to.equal(503);
      expect(res.headers.get('content-type')).to.equal('text/html; charset=utf-8');
      expect(res.text).to.include('<h1>Timeout</h1>');
      expect(res.headers.get('x-toxiproxy-request-id')).to.match(/^[0-9a-v]{20}$/);
      upstream.resume();
      const disabled = async () =>
        (await tp.api('GET', `/proxies/${proxy.name}`)).text.includes('"enabled":false');
      await waitFor('the proxy to be disabled', disabled, 10_000);
    } finally {
      upstream.close();
    }
  });
});

/** Where our server departs from Toxiproxy on purpose; the real server fails these, so they run only on ours. */
describe('toxiproxy data path, beyond the real server', () => {
  // As the suite's clusters start ours: every client whose dial fails is reset.
  const tp = useToxiproxy({ [CLUSTER_DIALS_ENV]: '1' });
  before(function () {
    if (process.env.TOXIPROXY_URL === undefined) return;
    console.log('    SKIPPED (TOXIPROXY_URL is set): these cases check departures from the real server');
    this.skip();
  });

  // The real server closes such a client unread, a reset only when it had sent something (case above); a
  // sender that does not read would take a plain close for a live connection and lose its next message.
  it('with SESSION_CHAOS_CLUSTER_DIALS=1, resets a client that sent nothing when its dial fails', async () => {
    const proxy = await tp.proxy('refusedSilent', await freePort());
    const client = dialClient(proxy.port);
    await client.rec.closed(3000);
    expect(client.rec.error?.code).to.equal('ECONNRESET');
  });

  // The real server blocks in its dial and then delivers what the client sent. A request its sender gave up
  // on would reach whatever holds the address when the dial completes (a node restarted in a container).
  it('abandons a pending dial when the client resets before the upstream answers', async () => {
    const request = 'GET / HTTP/1.1\r\n\r\n';
    const { upstream, client } = await dialingStalledUpstream(tp, 'abandonDial', request);
    try {
      client.socket.resetAndDestroy();
      await waitFor('the proxy to abandon its dial', async () => dialsPending(upstream.port) === 0, 3000);
    } finally {
      upstream.close();
    }
  });
});
