import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { FaultRecord } from '../report/model.ts';

/** One line of `faults.jsonl`: written before a fault is applied, and again around its heal. */
export type LedgerEntry =
  | { event: 'inject'; id: number; kind: string; target: string; at: number; detail?: string }
  | { event: 'heal-start'; id: number; at: number }
  | { event: 'healed'; id: number; at: number }
  | { event: 'heal-failed'; id: number; at: number; error: string };

/** The fault ledger of one case, flushed line by line like the history. */
export class FaultLedger {
  readonly #fd: number;

  constructor(readonly file: string) {
    this.#fd = openSync(file, 'a');
  }

  write(entry: LedgerEntry): void {
    writeSync(this.#fd, `${JSON.stringify(entry)}\n`);
  }

  close(): void {
    closeSync(this.#fd);
  }
}

/** Folds ledger entries into fault records (times in seconds since the workload started). */
export function faultRecords(entries: LedgerEntry[]): FaultRecord[] {
  const records = new Map<number, FaultRecord>();
  for (const entry of entries) {
    if (entry.event === 'inject') {
      const record: FaultRecord = { kind: entry.kind, target: entry.target, at: entry.at, healedAt: null };
      if (entry.detail) record.detail = entry.detail;
      records.set(entry.id, record);
      continue;
    }
    const record = records.get(entry.id);
    if (!record) continue;
    if (entry.event === 'healed') record.healedAt = entry.at;
    if (entry.event === 'heal-failed') record.detail = `heal failed: ${entry.error}`;
  }
  return [...records.values()];
}

export function readFaultLedger(file: string): FaultRecord[] {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  const entries: LedgerEntry[] = [];
  for (const line of lines) {
    try {
      entries.push(JSON.parse(line) as LedgerEntry);
    } catch {
      // a torn last line from a killed runner
    }
  }
  return faultRecords(entries);
}
