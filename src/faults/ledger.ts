import { existsSync } from 'node:fs';
import { JsonlWriter, readJsonl } from '../history/jsonl.ts';
import type { FaultRecord, LedgerEntry } from '../model/fault.ts';

/** The fault ledger of one case (`faults.jsonl`), flushed line by line like the history. */
export class FaultLedger extends JsonlWriter<LedgerEntry> {}

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

function checkEntry(value: unknown): LedgerEntry {
  const entry = value as Partial<LedgerEntry> | null;
  if (typeof entry !== 'object' || entry === null || typeof entry.id !== 'number')
    throw new Error('not a ledger entry');
  if (typeof entry.at !== 'number' || !Number.isFinite(entry.at)) throw new Error('at must be seconds');
  return entry as LedgerEntry;
}

export const readFaultLedger = (file: string): FaultRecord[] =>
  existsSync(file) ? faultRecords(readJsonl(file, checkEntry)) : [];
