/** FNV-1a, the 32-bit hash the suite uses where it needs a stable, well-spread number from some bytes. */

/** The FNV-1a hash of `bytes[from..to)`. */
export function fnv1a(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let hash = 0x811c9dc5;
  for (let i = from; i < to; i += 1) hash = Math.imul(hash ^ (bytes[i] as number), 0x01000193) >>> 0;
  return hash;
}
