import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The ownership ledger. Every runner process claims an owner id before it starts anything, and every
 * process it starts carries that id in its environment. A later runner that finds an owner whose runner
 * is gone (it crashed, or was SIGKILLed) kills whatever still carries that id: nothing is left behind.
 */
export const OWNER_ENV = 'SESSION_CHAOS_OWNER';

interface OwnerRecord {
  owner: string;
  pid: number;
  /** The runner's start time in clock ticks since boot, so a reused pid is not mistaken for it. */
  pidStart: string | null;
  createdAt: string;
}

export const stateDir = (): string => process.env.SESSION_CHAOS_STATE_DIR ?? join(tmpdir(), 'session-chaos');
const ownersDir = (): string => join(stateDir(), 'owners');

function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(record: OwnerRecord): boolean {
  const start = processStart(record.pid);
  return start !== null && (record.pidStart === null || start === record.pidStart);
}

/** Pids of the processes whose environment carries this owner id. */
export function processesOf(owner: string): number[] {
  const marker = `${OWNER_ENV}=${owner}`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(marker))
        pids.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}

/** Kills what owners with a dead runner left running; returns how many processes were killed. */
export function reapLeftovers(): { owners: string[]; processes: number } {
  const dir = ownersDir();
  if (!existsSync(dir)) return { owners: [], processes: 0 };
  const reaped = { owners: [] as string[], processes: 0 };
  for (const file of readdirSync(dir)) {
    let record: OwnerRecord;
    try {
      record = JSON.parse(readFileSync(join(dir, file), 'utf8')) as OwnerRecord;
    } catch {
      rmSync(join(dir, file), { force: true });
      continue;
    }
    if (isAlive(record)) continue;
    for (const pid of processesOf(record.owner)) {
      try {
        process.kill(pid, 'SIGKILL');
        reaped.processes += 1;
      } catch {
        // already gone
      }
    }
    reaped.owners.push(record.owner);
    rmSync(join(dir, file), { force: true });
  }
  return reaped;
}

let current: string | null = null;

/** This runner's owner id, claimed (after reaping leftovers) the first time anything is about to start. */
export function claimOwner(): string {
  if (current) return current;
  const reaped = reapLeftovers();
  if (reaped.processes > 0)
    process.stderr.write(
      `session-chaos: stopped ${reaped.processes} process(es) left behind by an earlier run\n`,
    );
  mkdirSync(ownersDir(), { recursive: true });
  const owner = `${Date.now().toString(36)}-${process.pid}`;
  const record: OwnerRecord = {
    owner,
    pid: process.pid,
    pidStart: processStart(process.pid),
    createdAt: new Date().toISOString(),
  };
  writeFileSync(join(ownersDir(), `${owner}.json`), JSON.stringify(record));
  process.once('exit', () => rmSync(join(ownersDir(), `${owner}.json`), { force: true }));
  current = owner;
  return owner;
}

/** The environment marker to give anything this runner starts, including browsers. */
export const ownerEnv = (): Record<string, string> => ({ [OWNER_ENV]: claimOwner() });
