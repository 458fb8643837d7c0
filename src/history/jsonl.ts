import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';

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

/**
 * Parses JSON lines, each through `check` (which throws on a value of the wrong shape). A torn last line
 * (the runner died mid-write) is skipped; any other bad line is an error naming the file and line.
 */
export function parseJsonl<T>(text: string, source: string, check: (value: unknown) => T): T[] {
  const lines = text.split('\n');
  const lastLine = lines.findLastIndex((line) => line.trim() !== '');
  const values: T[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      if (index === lastLine) return;
      throw new Error(`${source}:${index + 1}: not a JSON line (${(error as Error).message})`);
    }
    try {
      values.push(check(value));
    } catch (error) {
      throw new Error(`${source}:${index + 1}: ${(error as Error).message}`);
    }
  });
  return values;
}

export const readJsonl = <T>(file: string, check: (value: unknown) => T): T[] =>
  parseJsonl(readFileSync(file, 'utf8'), file, check);
