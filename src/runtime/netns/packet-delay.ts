/**
 * infra/packet-delay, compiled once per source hash under `.session-chaos/compiled/` (like the bundles
 * of compiled.ts): the program that holds queued packets for a link's latency.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../host.ts';
import { run } from './command.ts';

const SOURCE = join(ROOT, 'infra', 'packet-delay', 'packet-delay.c');
let built: string | null = null;

/** The path of the compiled program; builds it with cc and libnetfilter_queue the first time. */
export function packetDelayProgram(): string {
  if (built) return built;
  const hash = createHash('sha256').update(readFileSync(SOURCE)).digest('hex').slice(0, 16);
  const dir = join(ROOT, '.session-chaos', 'compiled');
  const file = join(dir, `packet-delay-${hash}`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    run('cc', ['-O2', '-Wall', '-o', partial, SOURCE, '-lnetfilter_queue']);
    renameSync(partial, file);
  }
  built = file;
  return file;
}
