/** A failed host lookup worded as Go words it: the name server that answered, a timeout, or no server. */
import { createSocket, type Socket } from 'node:dgram';
import { expect } from 'chai';
import { noSuchHost } from '../../src/address.ts';

/** A name server on loopback: `nxdomain` answers every query "no such name"; otherwise it never answers. */
async function nameServer(nxdomain: boolean): Promise<{ address: string; socket: Socket }> {
  const socket = createSocket('udp4');
  socket.on('message', (query, peer) => {
    if (!nxdomain) return;
    const answer = Buffer.from(query);
    answer.writeUInt16BE(0x8183, 2); // a response, recursion available, RCODE 3 (NXDOMAIN)
    answer.writeUInt16BE(0, 6); // no answers, authority or additional records
    answer.writeUInt32BE(0, 8);
    socket.send(answer, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { address: `127.0.0.1:${socket.address().port}`, socket };
}

describe('a failed host lookup, worded as Go words it', () => {
  it('names the name server that answered, passing over one that does not', async () => {
    const silent = await nameServer(false);
    const answering = await nameServer(true);
    try {
      const servers = [silent.address, answering.address];
      expect(await noSuchHost('nosuch.invalid', servers, 100)).to.equal(
        `lookup nosuch.invalid on ${answering.address}: no such host`,
      );
      expect(await noSuchHost('nosuch.invalid', [answering.address, silent.address], 100)).to.equal(
        `lookup nosuch.invalid on ${answering.address}: no such host`,
      );
    } finally {
      silent.socket.close();
      answering.socket.close();
    }
  });

  it('reports a timeout from the last server when none answers, and no server when there is none', async () => {
    const silent = await nameServer(false);
    try {
      expect(await noSuchHost('x.invalid', [silent.address], 50)).to.equal(
        `lookup x.invalid on ${silent.address}: i/o timeout`,
      );
      expect(await noSuchHost('x.invalid', [], 50)).to.equal('lookup x.invalid: no such host');
    } finally {
      silent.socket.close();
    }
  });
});
