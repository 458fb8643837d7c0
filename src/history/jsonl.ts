/** History and ledger files as JSON lines: written so a crash loses nothing, read back in constant memory. */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

/**
 * Appends one JSON value per line with one synchronous write each, so a crash or a SIGKILL of the runner
 * loses nothing that was recorded. The file must not exist yet: a run never appends to another's file.
 */
export class JsonlWriter<T> {
  #fd: number | null;

  constructor(readonly file: string) {
    this.#fd = openSync(file, 'wx');
  }

  write(value: T): void {
    if (this.#fd === null) throw new Error(`${this.file} is already closed`);
    writeSync(this.#fd, `${JSON.stringify(value)}\n`);
  }

  close(): void {
    if (this.#fd === null) return;
    closeSync(this.#fd);
    this.#fd = null;
  }
}

/** The lines of a file, read in chunks of `chunkBytes`, so a file of any size is read in constant memory. */
function* linesOf(file: string, chunkBytes: number): Generator<string> {
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(chunkBytes);
  let rest = '';
  try {
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) {
      const lines = (rest + buffer.toString('utf8', 0, read)).split('\n');
      rest = lines.pop() ?? '';
      yield* lines;
    }
    if (rest !== '') yield rest;
  } finally {
    closeSync(fd);
  }
}

/**
 * Parses JSON lines, each through `check` (which throws on a value of the wrong shape). A torn last line
 * (the runner died mid-write) is skipped; any other bad line is an error naming the source and line.
 */
export function* parseJsonLines<T>(
  lines: Iterable<string>,
  source: string,
  check: (value: unknown) => T,
): Generator<T> {
  let torn: { line: number; error: string } | null = null;
  let line = 0;
  for (const text of lines) {
    line += 1;
    if (text.trim() === '') continue;
    if (torn) throw new Error(`${source}:${torn.line}: not a JSON line (${torn.error})`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      torn = { line, error: (error as Error).message };
      continue;
    }
    try {
      yield check(value);
    } catch (error) {
      throw new Error(`${source}:${line}: ${(error as Error).message}`);
    }
  }
}

export const parseJsonl = <T>(text: string, source: string, check: (value: unknown) => T): T[] => [
  ...parseJsonLines(text.split('\n'), source, check),
];

/** The values of a JSONL file one by one, without holding the file. */
export const streamJsonl = <T>(
  file: string,
  check: (value: unknown) => T,
  chunkBytes = 1 << 22,
): Generator<T> => parseJsonLines(linesOf(file, chunkBytes), file, check);

export const readJsonl = <T>(file: string, check: (value: unknown) => T): T[] => [
  ...streamJsonl(file, check),
];
