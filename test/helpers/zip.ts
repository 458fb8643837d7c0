/** Test helper: the entries of a zip file, to check that a browser user's saved trace is a whole archive. */
import { readFileSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';

/**
 * The entries of a zip file, read from its central directory (stored or deflated; no zip64), each checked
 * against its size and CRC: enough to tell a whole archive from a torn one without a zip library.
 */
export function zipEntries(file: string): Map<string, Buffer> {
  const zip = readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end === -1) throw new Error(`${file}: no end of central directory: not a zip`);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i += 1) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${i}`);
    const method = zip.readUInt16LE(at + 10);
    const [crc, compressed, size] = [16, 20, 24].map((o) => zip.readUInt32LE(at + o));
    const [nameLength, extraLength, commentLength] = [28, 30, 32].map((o) => zip.readUInt16LE(at + o));
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + (nameLength as number));
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`${file}: ${name}: bad local header`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const stored = zip.subarray(start, start + (compressed as number));
    const data = method === 8 ? inflateRawSync(stored) : stored;
    if (data.length !== size || crc32(data) !== crc) throw new Error(`${file}: ${name}: torn (size or CRC)`);
    entries.set(name, data);
    at += 46 + (nameLength as number) + (extraLength as number) + (commentLength as number);
  }
  return entries;
}
