/** Which runner started which process, so the next runner kills what a dead one left running. */
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { removeNamespace } from '../netns/run-network.ts';
import { homesOf } from './service-home.ts';
import { stateDir } from './state-dir.ts';

/**
 * The ownership ledger. Every runner process claims an owner id before it starts anything; every process
 * it starts carries that id in its environment and has its pid written down the moment it exists. A later
 * runner that finds an owner whose runner is gone (crashed, SIGKILLed) kills what is left: each recorded
 * process group, and anything still carrying the id (some programs, like redis-server, overwrite their
 * environment with their process title, hence both).
 */
export const OWNER_ENV = 'SESSION_CHAOS_OWNER';

interface OwnerRecord {
  owner: string;
  pid: number;
  /** The runner's start time in clock ticks since boot, so a reused pid is not mistaken for it. */
  pidStart: string | null;
  createdAt: string;
}

const ownersDir = (): string => join(stateDir(), 'owners');
/** Ports held by runners, one file each (named by the port, holding the owner id); see ports.ts. */
export const portsDir = (): string => join(stateDir(), 'ports');
/** Per owner, folders only this user can enter, for the unix sockets of what it starts. */
const socketsDir = (owner: string): string => join(stateDir(), 'sockets', owner);

/** Fields of /proc/<pid>/stat after the command name: [0] state, [2] process group, [19] start time. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** A process's start time in clock ticks since boot (null when gone): with its pid, it names one process. */
export const processStart = (pid: number): string | null => statFields(pid)?.[19] ?? null;
const isGroupLeader = (pid: number): boolean => statFields(pid)?.[2] === String(pid);

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

const pidsFile = (owner: string): string => join(ownersDir(), `${owner}.pids`);
/** The network namespaces an owner created (--netns), one name a line. */
const namespacesFile = (owner: string): string => join(ownersDir(), `${owner}.netns`);

/** Kills a process, and its whole group when it leads one (the runtime starts each service as a group). */
function killTree(pid: number, killed: Set<number>): void {
  try {
    if (isGroupLeader(pid)) process.kill(-pid, 'SIGKILL');
    process.kill(pid, 'SIGKILL');
    killed.add(pid);
  } catch {
    // already gone
  }
}

/** Recorded pids of an owner whose start time still matches: the same processes, not reused pids. */
function recordedProcesses(owner: string): number[] {
  if (!existsSync(pidsFile(owner))) return [];
  return readFileSync(pidsFile(owner), 'utf8')
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([pid, start]) => pid && processStart(Number(pid)) === start)
    .map(([pid]) => Number(pid));
}

/** Every live process an owner started, found both ways. */
export const ownedProcesses = (owner: string): number[] => [
  ...new Set([...recordedProcesses(owner), ...processesOf(owner)]),
];

/** Kills what owners with a dead runner left running; returns how many processes were killed. */
export function reapLeftovers(): { owners: string[]; processes: number } {
  const dir = ownersDir();
  if (!existsSync(dir)) return { owners: [], processes: 0 };
  const reaped = { owners: [] as string[], processes: 0 };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    let record: OwnerRecord;
    try {
      record = JSON.parse(readFileSync(join(dir, file), 'utf8')) as OwnerRecord;
    } catch {
      rmSync(join(dir, file), { force: true }); // a torn record: its runner died while writing it
      continue;
    }
    if (isAlive(record)) continue;
    const killed = new Set<number>();
    for (const pid of ownedProcesses(record.owner)) killTree(pid, killed);
    reaped.processes += killed.size;
    reaped.owners.push(record.owner);
    forget(record.owner);
  }
  releasePortsOf((owner) => !existsSync(join(dir, `${owner}.json`)));
  return reaped;
}

/** Removes an owner's record, its pid list, its network namespaces and its port reservations. */
function forget(owner: string): void {
  if (existsSync(namespacesFile(owner)))
    for (const name of readFileSync(namespacesFile(owner), 'utf8').split('\n'))
      if (name) removeNamespace(name);
  rmSync(namespacesFile(owner), { force: true });
  rmSync(join(ownersDir(), `${owner}.json`), { force: true });
  rmSync(pidsFile(owner), { force: true });
  rmSync(socketsDir(owner), { recursive: true, force: true });
  rmSync(homesOf(owner), { recursive: true, force: true });
  releasePortsOf((holder) => holder === owner);
}

function releasePortsOf(whose: (owner: string) => boolean): void {
  if (!existsSync(portsDir())) return;
  for (const port of readdirSync(portsDir())) {
    const file = join(portsDir(), port);
    try {
      if (whose(readFileSync(file, 'utf8').trim())) rmSync(file, { force: true });
    } catch {
      // released meanwhile
    }
  }
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
  process.once('exit', () => forget(owner));
  current = owner;
  return owner;
}

let folders = 0;

/**
 * A new folder only this user can enter, with a short path (a unix socket's path must fit in 107 bytes),
 * inside the private state folder: for the sockets of one cluster. Removed with its owner.
 */
export function privateFolder(): string {
  folders += 1;
  const dir = join(socketsDir(claimOwner()), String(folders));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

/** Writes down a process this runner just started, before anything else can happen. */
export function recordProcess(pid: number): void {
  appendFileSync(pidsFile(claimOwner()), `${pid} ${processStart(pid) ?? ''}\n`);
}

/** Writes down a network namespace this runner is about to create, so a later runner removes it if this one dies. */
export function recordNamespace(name: string): void {
  appendFileSync(namespacesFile(claimOwner()), `${name}\n`);
}

/** The environment marker to give anything this runner starts, including browsers. */
export const ownerEnv = (): Record<string, string> => ({ [OWNER_ENV]: claimOwner() });
