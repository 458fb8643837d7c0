/** What a user does in a case: logs in, adds and reads (in tabs if asked), logs in again, reads its cart. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { HeavyUsers, Workload } from '../experiment/experiment.ts';
import type { WorkloadClock } from '../history/clock.ts';
import { isNoSession } from '../history/ops.ts';
import type { Op } from '../model/op.ts';
import { jittered, seededRandom } from './random.ts';
import type { SessionClient } from './session-client.ts';
import { SessionMemory } from './session-memory.ts';

/** What one user does, the same in whichever thread it runs: its own seed, and when it arrives. */
export interface UserPlan {
  seed: number;
  /** When it starts (ms on the workload clock); null: at a random moment within the first think time. */
  arrivesMs: number | null;
  /** Its own pause between ops, for a heavy user (see Workload.heavyUsers); unset: the workload's. */
  thinkMs?: number;
}

export interface UserLoopContext {
  clock: WorkloadClock;
  signal: AbortSignal;
  workload: Workload;
  /** Called with every completed op, in completion order. */
  record(op: Op): void;
}

/** Share of a user's steps that add an item; the rest read the cart. */
const ADD_SHARE = 0.6;
/** Final reads: how long they may keep trying for an answer, the pause between a user's two, and between tries. */
const FINAL_READS_MS = 15_000;
const FINAL_PAUSE_MS = 1000;
const FINAL_RETRY_MS = 250;
/** How long a logged-out user waits before logging in again. */
const RELOGIN_PAUSE_MS = 100;

/** Each user's memory of its session, noted as it works and consulted by its final reads. */
const memories = new WeakMap<SessionClient, SessionMemory>();

function memoryOf(client: SessionClient): SessionMemory {
  let memory = memories.get(client);
  if (memory === undefined) {
    memory = new SessionMemory();
    memories.set(client, memory);
  }
  return memory;
}

export const userNames = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(2, '0')}`);

/**
 * Every user's plan, in client order: seeds follow the order, and with `arrivalS` users arrive evenly over
 * it in a seeded random order (browsers interleaved with HTTP users).
 */
export function userPlans(
  count: number,
  seed: number,
  arrivalS?: number,
  heavy?: HeavyUsers & { thinkMs: number },
): UserPlan[] {
  const random = seededRandom(seed);
  const order = [...Array(count).keys()];
  for (let i = count - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  // The heavy users are those the shuffle put first: which users they are depends on the seed only.
  const heavyCount = heavy ? Math.round(heavy.share * count) : 0;
  return order.map((position, i) => ({
    seed: seed + i,
    arrivesMs: arrivalS === undefined ? null : (position / count) * arrivalS * 1000,
    ...(heavy && position < heavyCount ? { thinkMs: heavy.thinkMs / heavy.times } : {}),
  }));
}

/**
 * One user logging in, then adding and reading with a jittered pause, until the deadline (ms on the clock).
 * With `lanes` > 1 the user keeps that many requests of its session in flight (a browser user's tabs, an
 * HTTP user's parallel requests), each lane with a seed of its own. When any lane finds the session gone,
 * every lane stops, and the user logs in again only once their requests are over: no op of a session ends
 * after the next login.
 */
export async function runUser(
  client: SessionClient,
  plan: UserPlan,
  deadlineMs: number,
  context: UserLoopContext,
  lanes = 1,
): Promise<void> {
  const { clock, signal, workload } = context;
  const random = seededRandom(plan.seed);
  const thinkMs = plan.thinkMs ?? workload.thinkMs;
  const wait = plan.arrivesMs ?? random() * thinkMs;
  await sleep(Math.max(0, wait - clock.now()), undefined, { signal }).catch(() => undefined);
  const tabs = [client, ...(await Promise.all(Array.from({ length: lanes - 1 }, () => client.tab())))];
  const randoms = [random, ...tabs.slice(1).map((_, i) => seededRandom(plan.seed * 7919 + i + 1))];
  const user: UserRun = { client, memory: memoryOf(client), items: 0, deadlineMs, context, thinkMs };
  while (!user.context.signal.aborted && clock.now() < deadlineMs) {
    const loggedIn = note(user, await client.login()).some((op) => op.op === 'login' && op.outcome === 'ok');
    const pause = loggedIn ? jittered(thinkMs, random) : RELOGIN_PAUSE_MS;
    await sleep(pause, undefined, { signal }).catch(() => undefined);
    if (!loggedIn) continue;
    const session = { over: false };
    await Promise.all(tabs.map((tab, i) => work(user, tab, randoms[i] as () => number, session)));
    if (session.over) await sleep(RELOGIN_PAUSE_MS, undefined, { signal }).catch(() => undefined);
  }
}

/** What the lanes of one user share. */
interface UserRun {
  client: SessionClient;
  memory: SessionMemory;
  /** Items added so far, across lanes: each item is new. */
  items: number;
  deadlineMs: number;
  context: UserLoopContext;
  thinkMs: number;
}

/** Records a user's ops (its memory notes them too); returns them. */
function note(user: UserRun, ops: Op[]): Op[] {
  for (const op of ops) {
    user.context.record(op);
    user.memory.note(op);
  }
  return ops;
}

/** One lane of a logged-in session: adds and reads until the session is gone (for every lane) or time is up. */
async function work(user: UserRun, tab: SessionClient, random: () => number, session: { over: boolean }) {
  const { clock, signal } = user.context;
  while (!session.over && !signal.aborted && clock.now() < user.deadlineMs) {
    const ops =
      random() < ADD_SHARE ? await tab.add(`${user.client.user}-${++user.items}`) : await tab.read();
    if (note(user, ops).some(isNoSession)) session.over = true;
    if (session.over) return;
    await sleep(jittered(user.thinkMs, random), undefined, { signal }).catch(() => undefined);
  }
}

/**
 * After every fault healed, each user reads its cart. Unless that view shows every item the user knows its
 * session holds, it reads again after a pause, so one momentarily stale answer is not taken for the
 * session's final state. A read that gets no answer (an error) is tried again until the cluster answers or a
 * bound passes; a user whose reads all fail is undecided.
 */
export async function finalReads(clients: SessionClient[], record: (op: Op) => void): Promise<void> {
  const deadline = performance.now() + FINAL_READS_MS;
  await Promise.all(
    clients.map(async (client) => {
      const first = await finalRead(client, deadline, record);
      if (memoryOf(client).showsAll(first)) return;
      await sleep(FINAL_PAUSE_MS);
      await finalRead(client, deadline + FINAL_PAUSE_MS, record);
    }),
  );
}

/** Reads until the cluster answers (or the deadline passes); the last op it made. */
async function finalRead(
  client: SessionClient,
  deadline: number,
  record: (op: Op) => void,
): Promise<Op | undefined> {
  for (;;) {
    const ops = await client.read();
    for (const op of ops) record({ ...op, final: true });
    const last = ops.at(-1);
    const answered = last !== undefined && (last.outcome === 'ok' || isNoSession(last));
    if (answered || performance.now() >= deadline) return last;
    await sleep(FINAL_RETRY_MS);
  }
}
