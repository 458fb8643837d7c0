/** Reading a history file back: each op checked for the fields the checkers rely on. */
import type { Op } from '../model/op.ts';
import { parseJsonl, streamJsonl } from './jsonl.ts';

/** Histories can be huge and come from disk: times far past any workload are refused, not allocated for. */
const MAX_TIME_MS = 7 * 24 * 3600 * 1000;
const OUTCOMES = ['ok', 'fail', 'info'];

/** An op read back from a history file, checked for the fields every checker relies on. */
export function checkOp(value: unknown): Op {
  const op = value as Partial<Op> | null;
  if (typeof op !== 'object' || op === null) throw new Error('not an op object');
  if (typeof op.user !== 'string' || typeof op.op !== 'string') throw new Error('an op needs user and op');
  for (const field of ['start', 'end'] as const) {
    const t = op[field];
    if (typeof t !== 'number' || !Number.isFinite(t) || t < -MAX_TIME_MS || t > MAX_TIME_MS)
      throw new Error(`${field} must be milliseconds since the workload started, got ${JSON.stringify(t)}`);
  }
  if (!OUTCOMES.includes(op.outcome as string)) throw new Error('outcome must be ok, fail or info');
  if (typeof op.epoch !== 'number') throw new Error('epoch must be a number');
  if (op.read !== undefined && !Array.isArray(op.read?.items)) throw new Error('read.items must be a list');
  return op as Op;
}

export const parseHistory = (text: string, source = 'history'): Op[] => parseJsonl(text, source, checkOp);

/** The ops of a history file one by one, read in chunks: millions of ops are checked without holding them. */
export const streamHistory = (file: string): Generator<Op> => streamJsonl(file, checkOp);

export const readHistory = (file: string): Op[] => [...streamHistory(file)];
