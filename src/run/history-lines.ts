/**
 * Scanning a history file line by line in constant memory, and dealing its users into parts (by a hash of
 * their name) for parallel checking.
 */

import { closeSync, openSync, readSync } from 'node:fs';
import { fnv1a } from '../../lib/fnv1a.ts';

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
      return fnv1a(Buffer.from(user)) % parts;
    } catch {
      return 0;
    }
  }
  return fnv1a(buffer, from, to) % parts;
}
