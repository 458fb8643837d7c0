/** A running case's progress on the terminal: elapsed time, ops, logouts, errors and active faults. */
import type { LiveStats, Progress } from '../run/progress.ts';

const BAR = 20;

function bar(done: number): string {
  const filled = Math.max(0, Math.min(BAR, Math.round(done * BAR)));
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}]`;
}

export function statusLine(label: string, s: LiveStats): string {
  const elapsed = Math.min(s.elapsedS, s.durationS);
  return `  ${label} ${bar(elapsed / s.durationS)} ${elapsed.toFixed(0)}/${s.durationS} s  ops ${s.ops}  logouts ${s.logouts}  errors ${s.errors}${s.activeFaults ? `  faults active ${s.activeFaults}` : ''}`;
}

/** Progress on stderr: one live line on a terminal, a line every few seconds in a log (CI). */
export class TerminalProgress implements Progress {
  #live = false;
  #lastPrinted = 0;

  constructor(
    readonly stream: NodeJS.WriteStream = process.stderr,
    readonly everyMs = 5000,
  ) {}

  #print(text: string): void {
    if (this.#live) this.stream.write('\r\x1b[K');
    this.#live = false;
    this.stream.write(`${text}\n`);
  }

  #status(text: string): void {
    if (!this.stream.isTTY) {
      this.#print(text);
      return;
    }
    this.stream.write(`\r\x1b[K${text.slice(0, (this.stream.columns ?? 120) - 1)}`);
    this.#live = true;
  }

  caseStarted(label: string): void {
    this.#print(`▶ ${label}`);
  }

  phase(label: string, text: string): void {
    this.#status(`  ${label}: ${text}…`);
  }

  tick(label: string, stats: LiveStats): void {
    const now = Date.now();
    if (!this.stream.isTTY && now - this.#lastPrinted < this.everyMs) return;
    this.#lastPrinted = now;
    this.#status(statusLine(label, stats));
  }

  event(_label: string, message: string): void {
    this.#print(`  ⚡ ${message}`);
  }

  caseFinished(label: string, outcome: string): void {
    this.#print(`■ ${label}: ${outcome}`);
  }
}
