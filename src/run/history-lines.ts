import { closeSync, openSync, readSync } from 'node:fs';

const NEWLINE = 10;

/**
 * Calls `each` with every line of a file as a byte range of a buffer, reading it in chunks: a file of any
 * size is scanned in constant memory, and a line is decoded only if the caller wants it.
 */
export function forEachLine(
  file: string,
  each: (buffer: Buffer, start: number, end: number) => void,
  chunk = 1 << 22,
): void {
  const fd = openSync(file, 'r');
  let buffer = Buffer.alloc(chunk);
  let filled = 0;
  try {
    for (;;) {
      if (filled === buffer.length) buffer = Buffer.concat([buffer, Buffer.alloc(buffer.length)]); // a huge line
      const read = readSync(fd, buffer, filled, buffer.length - filled, null);
      filled += read;
      let start = 0;
      for (
        let nl = buffer.indexOf(NEWLINE, 0);
        nl !== -1 && nl < filled;
        nl = buffer.indexOf(NEWLINE, start)
      ) {
        if (nl > start) each(buffer, start, nl);
        start = nl + 1;
      }
      if (read === 0) {
        if (filled > start) each(buffer, start, filled);
        return;
      }
      buffer.copy(buffer, 0, start, filled);
      filled -= start;
    }
  } finally {
    closeSync(fd);
  }
}

const USER_PREFIX = Buffer.from('{"user":"');
const QUOTE = 34;

/** Which of `parts` a line belongs to, by its user, read from the bytes without parsing the line when it can. */
export function partOf(buffer: Buffer, start: number, end: number, parts: number): number {
  if (parts === 1) return 0;
  const from = start + USER_PREFIX.length;
  const to = buffer.indexOf(QUOTE, from);
  if (buffer.compare(USER_PREFIX, 0, USER_PREFIX.length, start, from) !== 0 || to === -1 || to > end) {
    // Not written by the runner (user first): parse it to find the user.
    try {
      const user = String((JSON.parse(buffer.toString('utf8', start, end)) as { user?: unknown }).user);
      return hash(Buffer.from(user), 0, Buffer.byteLength(user)) % parts;
    } catch {
      return 0;
    }
  }
  return hash(buffer, from, to) % parts;
}

/** FNV-1a over a byte range. */
function hash(buffer: Buffer, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i += 1) h = Math.imul(h ^ (buffer[i] as number), 0x01000193) >>> 0;
  return h;
}
