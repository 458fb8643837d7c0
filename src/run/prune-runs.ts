/**
 * Keeps an output folder (reports/) bounded: run folders older than the newest few lose their cases
 * (histories, logs, traces), and keep what people and trends read later (summary.json, index.html, run.json,
 * junit.xml), with a note saying so.
 */
import { existsSync, lstatSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES } from '../model/run.ts';

/** The note a pruned run folder carries; `report` refuses to rebuild such a folder. */
export const PRUNED_FILE = 'PRUNED.txt';
/** Run folders kept whole by default. */
export const KEEP_RUNS = 10;

/** Bytes of a file, or of everything under a folder (links not followed). */
export function bytesUnder(path: string): number {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + bytesUnder(join(path, name)), 0);
}

/** Run folders directly under `out` (a run.json inside, not a link, not pruned yet), oldest first. */
function prunableRuns(out: string): string[] {
  const names = existsSync(out) ? readdirSync(out) : [];
  return names
    .filter((name) => {
      const dir = join(out, name);
      return (
        lstatSync(dir).isDirectory() &&
        existsSync(join(dir, RUN_FILES.info)) &&
        !existsSync(join(dir, PRUNED_FILE))
      );
    })
    .sort();
}

/** Prunes every run folder of `out` but the newest `keep`; returns what it pruned and the bytes freed. */
export function pruneRuns(
  out: string,
  keep: number,
  now = new Date(),
): { pruned: string[]; freedBytes: number } {
  const runs = prunableRuns(out);
  const old = runs.slice(0, Math.max(0, runs.length - keep));
  let freedBytes = 0;
  for (const name of old) {
    const dir = join(out, name);
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (!lstatSync(path).isDirectory()) continue;
      freedBytes += bytesUnder(path);
      rmSync(path, { recursive: true, force: true });
    }
    writeFileSync(
      join(dir, PRUNED_FILE),
      `Pruned on ${now.toISOString()} by a later run (only the newest ${keep} run folders keep their cases):\n` +
        'its histories, logs and traces are gone; summary.json, index.html, run.json and junit.xml remain.\n' +
        'Keep more with `session-chaos run --keep-runs N`.\n',
    );
  }
  return { pruned: old, freedBytes };
}
