/** Services' TypeScript entry points compiled once into cached bundles: nodes start without transpiling. */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { buildSync } from 'esbuild';
import { ROOT } from '../host.ts';

const built = new Map<string, string>();

/**
 * A TypeScript entry point as one JavaScript file (its npm packages left as imports), built once per runner
 * and named by its content's hash under `.session-chaos/compiled/`: a service started from it skips
 * transpiling at every start (≈ 0.3 s per Node process here, more on busy cores). Written aside and renamed,
 * so runners building at once never see half a file.
 */
export function compiled(entry: string): string {
  const known = built.get(entry);
  if (known) return known;
  const [output] = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    target: 'node20',
    sourcemap: 'inline',
    write: false,
  }).outputFiles;
  if (!output) throw new Error(`esbuild produced nothing for ${entry}`);
  const hash = createHash('sha256').update(output.contents).digest('hex').slice(0, 16);
  const dir = join(ROOT, '.session-chaos', 'compiled');
  const prefix = `${basename(dirname(entry))}-${basename(entry, '.ts')}-`;
  const file = join(dir, `${prefix}${hash}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${file}.${process.pid}.partial`, output.contents);
    renameSync(`${file}.${process.pid}.partial`, file);
  } else {
    const now = new Date();
    utimesSync(file, now, now);
  }
  pruneBundles(dir, prefix, file);
  built.set(entry, file);
  return file;
}

/** A bundle not used for this long belongs to code no runner runs any more. */
const STALE_MS = 24 * 3600 * 1000;

/**
 * Removes the other bundles of an entry point that no runner has used for a day (each use touches its
 * bundle), so the folder holds a few bundles, not one per code change ever made.
 */
function pruneBundles(dir: string, prefix: string, current: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!name.startsWith(prefix) || path === current) continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { force: true });
    } catch {
      // another runner pruned it first
    }
  }
}

/** How to start a compiled entry point with Node: stack traces point into the TypeScript sources. */
export const nodeArgs = (entry: string): string[] => ['--enable-source-maps', compiled(entry)];
