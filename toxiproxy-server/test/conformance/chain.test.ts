/** Changing the toxic chain of a live connection as the real Toxiproxy does, and how reset_peer closes a
 * connection depending on when it was added. */
import type { Socket } from 'node:net';
import { expect } from 'chai';
import { waitFor } from '../helpers.ts';
import { useToxiproxy } from './harness.ts';
import { now, openClient, roundTrip, sleep, startUpstream } from './net-kit.ts';

/** Toxiproxy's toxic chain on a live connection: a change interrupts a toxic, which sends the chunk in its
 * hand on at once and starts again on what it had not taken up. */
describe('toxiproxy toxic chain changes conformance', () => {
  const tp = useToxiproxy();
  const HOLD = 1500;
  /** The chunk in hand goes within this of the change (a busy 2-core machine). */
  const PROMPT = 400;

  async function toxic(proxy: string, body: Record<string, unknown>): Promise<void> {
    const res = await tp.api('POST', `/proxies/${proxy}/toxics`, body);
    expect(res.status, res.text).to.equal(200);
  }

  const latency = (name: string, ms: number) => ({
    name,
    type: 'latency',
    stream: 'downstream',
    attributes: { latency: ms },
  });

  /** An echo proxy and a client whose "ping" is held downstream by a `HOLD` ms latency toxic, `more`
   * toxics after it. */
  async function pingHeld(label: string, ...more: Record<string, unknown>[]) {
    const upstream = await startUpstream();
    const proxy = await tp.proxy(label, upstream.port);
    for (const body of [latency('held', HOLD), ...more]) await toxic(proxy.name, body);
    const client = await openClient(proxy.port);
    const sent = now();
    client.socket.write('ping');
    await sleep(150);
    return { proxy, client, sent };
  }

  it('updating a latency toxic sends the chunk it holds at once', async () => {
    const { proxy, client } = await pingHeld('updateInHand');
    const changed = now();
    await tp.api('POST', `/proxies/${proxy.name}/toxics/held`, { attributes: { latency: HOLD } });
    expect((await client.rec.bytesBy(4, 3000)) - changed).to.be.below(PROMPT);
  });

  it('adding a toxic sends the chunk the one before it holds, past the newcomer', async () => {
    const { proxy, client } = await pingHeld('addInHand');
    const changed = now();
    await toxic(proxy.name, latency('later', 5000));
    expect((await client.rec.bytesBy(4, 3000)) - changed).to.be.below(PROMPT);
  });

  it('removing a toxic restarts the one before it, which sends its chunk at once', async () => {
    const { proxy, client } = await pingHeld('removeInHand', latency('after', 10));
    const changed = now();
    await tp.api('DELETE', `/proxies/${proxy.name}/toxics/after`);
    expect((await client.rec.bytesBy(4, 3000)) - changed).to.be.below(PROMPT);
  });

  it('a restarted latency toxic times the chunks it had queued from their arrival', async () => {
    const { proxy, client, sent } = await pingHeld('queuedKeepTime');
    client.socket.write('pong');
    await sleep(50);
    await tp.api('POST', `/proxies/${proxy.name}/toxics/held`, { attributes: { latency: HOLD } });
    const pongAt = await client.rec.bytesBy(8, 5000);
    expect(pongAt - sent).to.be.within(HOLD + 100, HOLD + 200 + PROMPT);
  });
});

describe('toxiproxy reset_peer and the connection it began with conformance', () => {
  const tp = useToxiproxy();

  /** An upstream that closes each connection when told to. */
  async function closingUpstream() {
    const sockets: Socket[] = [];
    const upstream = await startUpstream((socket) => sockets.push(socket));
    const closeAll = (): void => {
      for (const socket of sockets) socket.end();
    };
    return { upstream, closeAll };
  }

  it('a reset_peer added to a live connection closes it plainly (FIN), not with a reset', async () => {
    const upstream = await startUpstream();
    const proxy = await tp.proxy('resetLate', upstream.port);
    const client = await openClient(proxy.port);
    await roundTrip(client, 'linked'); // the links run: the connection began without the toxic
    await tp.api('POST', `/proxies/${proxy.name}/toxics`, {
      type: 'reset_peer',
      stream: 'upstream',
      attributes: { timeout: 0 },
    });
    client.socket.write('boom');
    await client.rec.closed(3000);
    expect(client.rec.error?.code).to.equal(undefined);
    expect(client.rec.endedAt).to.be.a('number');
  });

  it('a connection that began under a reset_peer closes with a reset even after it is removed', async () => {
    const { upstream, closeAll } = await closingUpstream();
    const proxy = await tp.proxy('resetEarly', upstream.port);
    await tp.api('POST', `/proxies/${proxy.name}/toxics`, {
      name: 'rp',
      type: 'reset_peer',
      stream: 'downstream',
      attributes: { timeout: 0 },
    });
    const client = await openClient(proxy.port);
    await waitFor('the upstream to accept', async () => upstream.accepted.length === 1, 3000);
    await tp.api('DELETE', `/proxies/${proxy.name}/toxics/rp`);
    closeAll();
    await client.rec.closed(3000);
    expect(client.rec.error?.code).to.equal('ECONNRESET');
  });
});
