import { readFileSync } from 'node:fs';
import type { Op } from './op.ts';

/** Parses a JSONL history; a torn last line (the runner died mid-write) is skipped, any other bad line is an error. */
export function parseHistory(text: string, source = 'history'): Op[] {
  const lines = text.split('\n');
  const ops: Op[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      ops.push(JSON.parse(line) as Op);
    } catch (error) {
      const isLast = lines.slice(index + 1).every((rest) => rest.trim() === '');
      if (!isLast) throw new Error(`${source}:${index + 1}: not a JSON line (${(error as Error).message})`);
    }
  });
  return ops;
}

export function readHistory(file: string): Op[] {
  return parseHistory(readFileSync(file, 'utf8'), file);
}
