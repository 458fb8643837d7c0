/** Each toxic acts on a live connection as the real Toxiproxy's does: latency, bandwidth, slow_close,
 * timeout, reset_peer, slicer and limit_data, with long timers and streams kept apart. */
import type { Socket } from 'node:net';
import { expect } from 'chai';
import { useToxiproxy } from './harness.ts';
import { type Client, now, openClient, roundTrip, sleep, startUpstream } from './net-kit.ts';

/** Timing bounds: never earlier than the toxic allows (minus timer rounding), and a generous ceiling
 * for a busy 2-core machine. */
const EARLY = 15;
const SLACK = 600;

describe('toxiproxy toxics conformance', () => {
  const tp = useToxiproxy();

  async function echoProxy(label: string) {
    const upstream = await startUpstream();
    const proxy = await tp.proxy(label, upstream.port);
    return { upstream, proxy };
  }

  async function addToxic(proxyName: string, toxic: Record<string, unknown>): Promise<void> {
    const res = await tp.api('POST', `/proxies/${proxyName}/toxics`, toxic);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
  }

  describe('latency', () => {
    it('delays the downstream by latency; connect itself is not delayed', async () => {
      const { proxy } = await echoProxy('latDown');
      await addToxic(proxy.name, { type: 'latency', attributes: { latency: 300 } });
      const started = now();
      const client = await openClient(proxy.port);
      expect(now() - started).to.be.below(250);
      const rtt = await roundTrip(client, 'ping');
      expect(rtt).to.be.within(300 - EARLY, 300 + SLACK);
    });

    it('delays the upstream stream (client → server) only, when stream is upstream', async () => {
      const { upstream, proxy } = await echoProxy('latUp');
      await addToxic(proxy.name, { type: 'latency', stream: 'upstream', attributes: { latency: 300 } });
      const client = await openClient(proxy.port);
      const sent = now();
      client.socket.write('ping');
      const server = await waitAccepted(upstream.accepted);
      const arrived = await server.bytesBy(4, 3000);
      const back = await client.rec.bytesBy(4, 3000);
      expect(arrived - sent).to.be.within(300 - EARLY, 300 + SLACK);
      expect(back - arrived).to.be.below(200);
    });

    it('releases each chunk at its own arrival + latency: chunks do not queue behind each other', async () => {
      const { proxy } = await echoProxy('latQueue');
      await addToxic(proxy.name, { type: 'latency', attributes: { latency: 500 } });
      const client = await openClient(proxy.port);
      const sent: number[] = [];
      for (const byte of ['a', 'b', 'c', 'd']) {
        sent.push(now());
        client.socket.write(byte);
        await sleep(200);
      }
      const arrivals: number[] = [];
      for (let n = 1; n <= 4; n++) arrivals.push(await client.rec.bytesBy(n, 3000));
      expect(client.rec.bytes().toString()).to.equal('abcd');
      arrivals.forEach((at, i) => {
        expect(at - (sent[i] as number), `chunk ${i}`).to.be.at.least(500 - EARLY);
      });
      // Own delays: the last chunk arrives ~1100 ms after the first was sent; queued delays: ~2000 ms.
      expect((arrivals[3] as number) - (sent[0] as number)).to.be.below(1550);
    });

    it('adds up when two latency toxics are chained on one stream', async () => {
      const { proxy } = await echoProxy('latChain');
      await addToxic(proxy.name, { name: 'l1', type: 'latency', attributes: { latency: 200 } });
      await addToxic(proxy.name, { name: 'l2', type: 'latency', attributes: { latency: 250 } });
      const client = await openClient(proxy.port);
      expect(await roundTrip(client, 'ping')).to.be.within(450 - EARLY, 450 + SLACK);
    });

    it('varies the delay by ± jitter', async () => {
      const { proxy } = await echoProxy('latJitter');
      await addToxic(proxy.name, { type: 'latency', attributes: { latency: 200, jitter: 150 } });
      const clients = await Promise.all(Array.from({ length: 8 }, () => openClient(proxy.port)));
      const rtts = await Promise.all(clients.map((client) => roundTrip(client, 'j')));
      for (const rtt of rtts) expect(rtt).to.be.within(50 - EARLY, 350 + SLACK);
      expect(Math.max(...rtts) - Math.min(...rtts)).to.be.at.least(20);
    });

    it('applies to open connections when added, updated and removed', async () => {
      const { proxy } = await echoProxy('latLive');
      const client = await openClient(proxy.port);
      expect(await roundTrip(client, 'before')).to.be.below(200);
      await addToxic(proxy.name, { name: 'lat', type: 'latency', attributes: { latency: 250 } });
      expect(await roundTrip(client, 'added')).to.be.within(250 - EARLY, 250 + SLACK);
      await tp.api('PATCH', `/proxies/${proxy.name}/toxics/lat`, { attributes: { latency: 500 } });
      expect(await roundTrip(client, 'updated')).to.be.within(500 - EARLY, 500 + SLACK);
      await tp.api('DELETE', `/proxies/${proxy.name}/toxics/lat`);
      expect(await roundTrip(client, 'removed')).to.be.below(200);
    });

    it('has no effect with toxicity 0, and is rolled per connection with toxicity 0.5', async () => {
      const { proxy } = await echoProxy('latToxicity');
      await addToxic(proxy.name, {
        name: 'never',
        type: 'latency',
        toxicity: 0,
        attributes: { latency: 1000 },
      });
      const first = await openClient(proxy.port);
      expect(await roundTrip(first, 'fast')).to.be.below(500);
      await tp.api('DELETE', `/proxies/${proxy.name}/toxics/never`);
      await addToxic(proxy.name, {
        name: 'half',
        type: 'latency',
        toxicity: 0.5,
        attributes: { latency: 300 },
      });
      const clients = await Promise.all(Array.from({ length: 24 }, () => openClient(proxy.port)));
      const rtts = await Promise.all(clients.map((client) => roundTrip(client, 'x')));
      const slow = rtts.filter((rtt) => rtt >= 300 - EARLY).length;
      // P(all 24 rolls equal) = 2 × 0.5^24.
      expect(slow).to.be.within(1, 23);
    });
  });

  describe('bandwidth', () => {
    it('limits the rate to `rate` KB/s', async () => {
      const size = 60_000;
      const upstream = await startUpstream((socket) =>
        socket.once('data', () => socket.write(Buffer.alloc(size, 7))),
      );
      const proxy = await tp.proxy('bandwidth', upstream.port);
      await addToxic(proxy.name, { type: 'bandwidth', attributes: { rate: 100 } });
      const client = await openClient(proxy.port);
      const sent = now();
      client.socket.write('go');
      const done = await client.rec.bytesBy(size, 5000);
      // 60 000 B at 100 KB/s take 600 ms; the last 100 ms piece may come early by one piece at most.
      expect(done - sent).to.be.within(500, 600 + 1500);
      await sleep(50);
      expect(client.rec.total).to.equal(size);
    });
  });

  describe('slow_close', () => {
    it('delays the close after EOF by `delay`, passing data through at once', async () => {
      const upstream = await startUpstream((socket) => socket.once('data', () => socket.end('bye')));
      const proxy = await tp.proxy('slowClose', upstream.port);
      await addToxic(proxy.name, { type: 'slow_close', attributes: { delay: 400 } });
      const client = await openClient(proxy.port);
      const sent = now();
      client.socket.write('hi');
      const dataAt = await client.rec.bytesBy(3, 3000);
      const closedAt = await client.rec.closed(3000);
      expect(dataAt - sent).to.be.below(250);
      expect(closedAt - sent).to.be.within(400 - EARLY, 400 + SLACK);
    });
  });

  describe('timeout', () => {
    it('drops data and closes the connection after `timeout` ms', async () => {
      const { proxy } = await echoProxy('timeout');
      await addToxic(proxy.name, { type: 'timeout', attributes: { timeout: 300 } });
      const client = await openClient(proxy.port);
      const sent = now();
      client.socket.write('lost');
      const closedAt = await client.rec.closed(3000);
      expect(client.rec.total).to.equal(0);
      expect(closedAt - sent).to.be.within(300 - EARLY, 300 + SLACK);
    });

    it('restarts its clock on every chunk', async () => {
      const { upstream, proxy } = await echoProxy('timeoutRestart');
      await addToxic(proxy.name, { type: 'timeout', stream: 'upstream', attributes: { timeout: 400 } });
      const client = await openClient(proxy.port);
      const start = now();
      let lastSent = start;
      for (let i = 0; i < 6; i++) {
        lastSent = now();
        client.socket.write('k');
        await sleep(150);
      }
      expect(client.rec.closedAt, 'closed while data kept flowing').to.equal(undefined);
      const closedAt = await client.rec.closed(3000);
      expect(closedAt - lastSent).to.be.within(400 - EARLY, 400 + SLACK);
      expect(closedAt - start).to.be.at.least(1150);
      expect(upstream.accepted[0]?.total ?? 0).to.equal(0);
    });

    it('with timeout 0 holds the connection open without data; removing the toxic closes it', async () => {
      const { upstream, proxy } = await echoProxy('timeoutZero');
      await addToxic(proxy.name, { name: 'stall', type: 'timeout', attributes: { timeout: 0 } });
      const client = await openClient(proxy.port);
      client.socket.write('hello');
      const server = await waitAccepted(upstream.accepted);
      await server.bytesBy(5, 3000);
      await sleep(400);
      expect(client.rec.total).to.equal(0);
      expect(client.rec.closedAt).to.equal(undefined);
      await tp.api('DELETE', `/proxies/${proxy.name}/toxics/stall`);
      await client.rec.closed(3000);
    });
  });

  describe('long timers', () => {
    // Node's setTimeout fires anything above 2^31−1 ms after 1 ms; Toxiproxy waits it out.
    it('waits out timers longer than 2^31−1 ms: timeout does not close, latency does not deliver', async () => {
      const { proxy } = await echoProxy('longTimeout');
      await addToxic(proxy.name, { type: 'timeout', attributes: { timeout: 3e9 } });
      const client = await openClient(proxy.port);
      client.socket.write('x');
      const { proxy: delayed } = await echoProxy('longLatency');
      await addToxic(delayed.name, { type: 'latency', attributes: { latency: 3e9 } });
      const held = await openClient(delayed.port);
      held.socket.write('y');
      await sleep(500);
      expect(client.rec.closedAt, 'timeout closed early').to.equal(undefined);
      expect(held.rec.total, 'latency delivered early').to.equal(0);
    });

    // Go multiplies the milliseconds into int64 nanoseconds: past ~292 years the product wraps negative.
    it('wraps durations past int64 nanoseconds as Go does: such a latency or slow_close is no delay', async () => {
      const wrapsNegative = 9_223_372_036_855; // ms; × 10^6 is just past 2^63 − 1
      const { proxy } = await echoProxy('wrapLatency');
      await addToxic(proxy.name, { type: 'latency', attributes: { latency: wrapsNegative } });
      const client = await openClient(proxy.port);
      expect(await roundTrip(client, 'now')).to.be.below(SLACK);
      const { proxy: closing } = await echoProxy('wrapSlowClose');
      await addToxic(closing.name, { type: 'slow_close', attributes: { delay: wrapsNegative } });
      const leaving = await openClient(closing.port);
      await roundTrip(leaving, 'bye');
      leaving.socket.end();
      await leaving.rec.closed(SLACK + 500);
    });
  });

  describe('reset_peer', () => {
    it('resets the connection (ECONNRESET) `timeout` ms after data arrives', async () => {
      const { proxy } = await echoProxy('reset');
      await addToxic(proxy.name, { type: 'reset_peer', attributes: { timeout: 250 } });
      const client = await openClient(proxy.port);
      const sent = now();
      client.socket.write('boom');
      const closedAt = await client.rec.closed(3000);
      expect(client.rec.error?.code).to.equal('ECONNRESET');
      expect(client.rec.total).to.equal(0);
      expect(closedAt - sent).to.be.within(250 - EARLY, 250 + SLACK);
    });
  });

  describe('slicer', () => {
    it('splits data into small delayed slices, keeping every byte in order', async () => {
      const payload = Buffer.from(Array.from({ length: 2000 }, (_, i) => i % 251));
      const upstream = await startUpstream((socket) => socket.once('data', () => socket.write(payload)));
      const proxy = await tp.proxy('slicer', upstream.port);
      await addToxic(proxy.name, {
        type: 'slicer',
        attributes: { average_size: 100, size_variation: 20, delay: 5000 },
      });
      const client = await openClient(proxy.port);
      client.socket.write('go');
      await client.rec.bytesBy(payload.length, 5000);
      expect(client.rec.bytes().equals(payload)).to.equal(true);
      const { chunks } = client.rec;
      // ~20 slices 5 ms apart; a plain 2000-byte write arrives as one chunk.
      expect(chunks.length).to.be.at.least(5);
      expect((chunks.at(-1)?.at ?? 0) - (chunks[0]?.at ?? 0)).to.be.at.least(40);
      expect(Math.max(...chunks.map((c) => c.data.length))).to.be.at.most(400);
    });
  });

  describe('limit_data', () => {
    it('forwards exactly `bytes` bytes, then closes', async () => {
      const upstream = await startUpstream((socket) =>
        socket.once('data', () => socket.write(Buffer.alloc(300, 9))),
      );
      const proxy = await tp.proxy('limit', upstream.port);
      await addToxic(proxy.name, { type: 'limit_data', attributes: { bytes: 100 } });
      const client = await openClient(proxy.port);
      client.socket.write('go');
      await client.rec.closed(3000);
      expect(client.rec.total).to.equal(100);
    });

    it('keeps its byte count when the toxic is updated', async () => {
      const upstream = await startUpstream((socket) =>
        socket.on('data', () => socket.write(Buffer.alloc(60, 5))),
      );
      const proxy = await tp.proxy('limitUpdate', upstream.port);
      await addToxic(proxy.name, { name: 'cap', type: 'limit_data', attributes: { bytes: 100 } });
      const client = await openClient(proxy.port);
      await requestAndWait(client, 60);
      await tp.api('PATCH', `/proxies/${proxy.name}/toxics/cap`, { attributes: { bytes: 150 } });
      await requestAndWait(client, 120);
      client.socket.write('3');
      await client.rec.closed(3000);
      // A count that restarted at the update would let 180 bytes through.
      expect(client.rec.total).to.equal(150);
    });
  });

  describe('streams', () => {
    it('a downstream toxic leaves the upstream stream alone', async () => {
      const { upstream, proxy } = await echoProxy('streams');
      await addToxic(proxy.name, { type: 'timeout', attributes: { timeout: 0 } });
      const client = await openClient(proxy.port);
      client.socket.write('request');
      const server = await waitAccepted(upstream.accepted);
      await server.bytesBy(7, 3000);
      await sleep(150);
      expect(client.rec.total).to.equal(0);
    });
  });
});

async function waitAccepted<T>(accepted: T[], timeoutMs = 3000): Promise<T> {
  const deadline = now() + timeoutMs;
  while (accepted.length === 0) {
    if (now() > deadline) throw new Error(`upstream accepted no connection within ${timeoutMs} ms`);
    await sleep(5);
  }
  return accepted[0] as T;
}

async function requestAndWait(client: Client, total: number): Promise<void> {
  (client.socket as Socket).write('r');
  await client.rec.bytesBy(total, 3000);
}
