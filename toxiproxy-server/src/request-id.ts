/** The `X-Toxiproxy-Request-Id` that every routed answer of the HTTP API carries. */
import { randomBytes } from 'node:crypto';

/** xid's alphabet: base32hex, lowercase. */
const ALPHABET = '0123456789abcdefghijklmnopqrstuv';
const machine = randomBytes(3);
let counter = randomBytes(3).readUIntBE(0, 3);

/**
 * A request id as the real server's `X-Toxiproxy-Request-Id` (an xid): 12 bytes — seconds since 1970,
 * a machine id, the process id, a counter — written as 20 characters of base32hex.
 */
export function newRequestId(): string {
  const id = Buffer.alloc(12);
  id.writeUInt32BE(Math.floor(Date.now() / 1000) >>> 0, 0);
  machine.copy(id, 4);
  id.writeUInt16BE(process.pid & 0xffff, 7);
  counter = (counter + 1) & 0xffffff;
  id.writeUIntBE(counter, 9, 3);
  let bits = 0;
  let value = 0;
  let text = '';
  for (const byte of id) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      text += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return text + ALPHABET[(value << (5 - bits)) & 31];
}
