import { closeSync, openSync, writeSync } from 'node:fs';
import type { Op } from './op.ts';

/**
 * Appends ops to a JSONL file with one synchronous write each, so that a crash or a SIGKILL of the
 * runner loses nothing that was recorded.
 */
export class HistoryWriter {
  #fd: number | null;
  #count = 0;

  constructor(readonly file: string) {
    this.#fd = openSync(file, 'a');
  }

  get count(): number {
    return this.#count;
  }

  write(op: Op): void {
    if (this.#fd === null) throw new Error(`history ${this.file} is already closed`);
    writeSync(this.#fd, `${JSON.stringify(op)}\n`);
    this.#count += 1;
  }

  close(): void {
    if (this.#fd === null) return;
    closeSync(this.#fd);
    this.#fd = null;
  }
}
