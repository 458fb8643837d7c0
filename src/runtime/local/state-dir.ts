/** The runner's private state folder, where the ownership ledger is kept. */
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InfrastructureError } from '../runtime.ts';

/**
 * The folder of the ownership ledger (which runner started which process, which ports it holds). The
 * reaper kills what it lists, so only this user may write to it: a per-user folder with mode 0700 —
 * `$SESSION_CHAOS_STATE_DIR`, else `$XDG_RUNTIME_DIR/session-chaos`, else `$TMPDIR/session-chaos-<uid>`.
 */
export function stateDirPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SESSION_CHAOS_STATE_DIR) return env.SESSION_CHAOS_STATE_DIR;
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'session-chaos');
  return join(tmpdir(), `session-chaos-${process.getuid?.() ?? 'user'}`);
}

/** Why a folder is not safe to keep the ledger in, or null when it is. */
export function unsafeBecause(dir: string): string | null {
  const stat = lstatSync(dir);
  if (stat.isSymbolicLink()) return 'it is a symbolic link';
  if (!stat.isDirectory()) return 'it is not a folder';
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) return `it belongs to uid ${stat.uid}, not to you (uid ${uid})`;
  const mode = stat.mode & 0o777;
  if (mode & 0o022)
    return `group or others may write to it (mode ${mode.toString(8).padStart(4, '0')}; it must be 0700)`;
  return null;
}

let checked: string | null = null;

/** The state folder, created private if missing; exit 3 (InfrastructureError) when it is not safe. */
export function stateDir(): string {
  const dir = stateDirPath();
  if (checked === dir) return dir;
  let created: string | undefined;
  try {
    created = mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (created !== undefined) chmodSync(dir, 0o700);
  } catch (error) {
    throw new InfrastructureError(`cannot create the state folder ${dir}: ${(error as Error).message}`);
  }
  const problem = unsafeBecause(dir);
  if (problem)
    throw new InfrastructureError(
      `refusing the state folder ${dir}: ${problem}. It holds the ledger of processes to clean up; ` +
        'remove it, or set SESSION_CHAOS_STATE_DIR to a folder only you can write to',
    );
  checked = dir;
  return dir;
}
