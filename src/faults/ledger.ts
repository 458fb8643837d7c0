/** The fault ledger: what each case's faults did and when, written as it happens, read back as records. */
import { existsSync } from 'node:fs';
import { JsonlWriter, readJsonl } from '../history/jsonl.ts';
import type { FaultRecord, LedgerEntry, PlannedFault } from '../model/fault.ts';

/** The fault ledger of one case (`faults.jsonl`), flushed line by line like the history. */
export class FaultLedger extends JsonlWriter<LedgerEntry> {}

/** A planned fault that left no line in the ledger: it never fired. */
const neverFired = (f: PlannedFault): FaultRecord => ({
  kind: f.kind,
  target: f.target,
  at: f.atS,
  healedAt: null,
  status: 'not-applied',
  error: `it never fired (it was due at ${f.atS} s)`,
});

/**
 * Folds ledger entries into fault records (times in seconds since the workload started), one per planned
 * fault when the plan is known. A fault is healed only once its heal finished; one that was skipped, whose
 * injection threw, or that never fired, never acted.
 */
export function faultRecords(entries: LedgerEntry[], planned: PlannedFault[] = []): FaultRecord[] {
  const records = new Map<number, FaultRecord>();
  /** When each fault's last heal began: one that never finished is said so. */
  const healStarted = new Map<number, number>();
  for (const entry of entries) {
    if (entry.event === 'inject' || entry.event === 'skipped') {
      const { kind, target, at } = entry;
      const record: FaultRecord = { kind, target, at, healedAt: null, status: 'not-healed' };
      if (entry.scheduledAt !== undefined) record.lateMs = Math.round((at - entry.scheduledAt) * 1000);
      if (entry.event === 'skipped') Object.assign(record, { status: 'not-applied', error: entry.error });
      else if (entry.detail) record.detail = entry.detail;
      records.set(entry.id, record);
      continue;
    }
    const record = records.get(entry.id);
    if (!record || record.status === 'not-applied') continue;
    if (entry.event === 'inject-failed') Object.assign(record, { status: 'not-applied', error: entry.error });
    if (entry.event === 'injected') Object.assign(record, { injectedAt: entry.at, touched: entry.touched });
    if (entry.event === 'effect') {
      const { observed, at, evidence } = entry;
      record.effect = { observed, at, evidence };
    }
    if (entry.event === 'heal-failed') record.error = `heal failed: ${entry.error}`;
    if (entry.event === 'healed') Object.assign(record, { healedAt: entry.at, status: 'healed' });
    if (entry.event === 'heal-start') healStarted.set(entry.id, entry.at);
  }
  for (const [id, at] of healStarted) {
    const record = records.get(id);
    if (record?.status === 'not-healed' && !record.error)
      record.error = `its heal began at ${at} s and never finished (the runner stopped during it)`;
  }
  for (const f of planned) if (!records.has(f.id)) records.set(f.id, neverFired(f));
  return [...records.entries()].sort(([a], [b]) => a - b).map(([, record]) => record);
}

function checkEntry(value: unknown): LedgerEntry {
  const entry = value as Partial<LedgerEntry> | null;
  if (typeof entry !== 'object' || entry === null || typeof entry.id !== 'number')
    throw new Error('not a ledger entry');
  if (typeof entry.at !== 'number' || !Number.isFinite(entry.at)) throw new Error('at must be seconds');
  return entry as LedgerEntry;
}

/** A case's ledger entries, in the order written; none when the case never wrote one. */
export const readLedger = (file: string): LedgerEntry[] =>
  existsSync(file) ? readJsonl(file, checkEntry) : [];

export const readFaultLedger = (file: string, planned: PlannedFault[] = []): FaultRecord[] =>
  faultRecords(readLedger(file), planned);
