/** Bench: how fast and in how much memory a saved history of up to 1 M ops is parsed and checked. */
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaseRecord } from '../src/model/case.ts';
import type { Op } from '../src/model/op.ts';
import { checkHistoryFile } from '../src/run/check-history.ts';
import { seededRandom } from '../src/workload/random.ts';

/**
 * How fast a saved history is parsed and checked (the path `session-chaos report DIR` takes), on synthetic
 * histories of 250 k, 500 k and 1 M ops by the same 2,000 users with the same session sizes: time, ops/s,
 * and how much memory (resident, checker threads included) it took on top of what the process had. Targets: 1 M ops in ≤ 3 s (≥ 330 k ops/s),
 * and memory set by users × items, so it stays flat as the history grows.
 */
const USERS = 2000;
const OPS_PER_EPOCH = 24;
const TARGET_OPS_PER_S = 330_000;

/** One user's life: logins, adds (60 %) and reads, a few stale reads, lost writes and logouts on the way. */
function* userOps(user: string, ops: number, random: () => number): Generator<Op> {
  let t = random() * 100;
  let epoch = 0;
  let items: string[] = [];
  const node = (): string => `app-${1 + Math.floor(random() * 3)}`;
  for (let i = 0; i < ops; i += 1) {
    const start = t;
    t += 2 + random() * 8;
    const base = {
      user,
      client: 'http' as const,
      start,
      end: t,
      node: node(),
      status: 200,
      outcome: 'ok' as const,
    };
    t += 5 + random() * 20;
    if (i % OPS_PER_EPOCH === 0) {
      epoch += 1;
      items = [];
      yield { ...base, op: 'login', epoch, read: { user, items: [], version: 0 } };
    } else if (random() < 0.6) {
      const item = `${user}-${i}`;
      const lost = random() < 0.002;
      items = [...items, item];
      yield { ...base, op: 'add', epoch, wrote: item, read: { user, items, version: items.length } };
      if (lost) items = items.slice(0, -1);
    } else {
      const stale = random() < 0.01 && items.length > 0;
      const shown = stale ? items.slice(0, -1) : items;
      yield { ...base, op: 'read', epoch, read: { user, items: shown, version: shown.length } };
    }
  }
}

/** Writes a history of `total` ops, users interleaved as the runner writes them (in completion order). */
export function writeHistory(file: string, total: number): void {
  const random = seededRandom(42);
  const perUser = Math.ceil(total / USERS);
  const users = Array.from({ length: USERS }, (_, u) => userOps(`u${u}`, perUser, random));
  const fd = openSync(file, 'w');
  let lines: string[] = [];
  for (let written = 0; written < total; ) {
    for (const user of users) {
      const next = user.next();
      if (next.done || written >= total) continue;
      lines.push(JSON.stringify(next.value));
      written += 1;
    }
    if (lines.length >= 10_000) {
      writeSync(fd, `${lines.join('\n')}\n`);
      lines = [];
    }
  }
  writeSync(fd, lines.length ? `${lines.join('\n')}\n` : '');
  closeSync(fd);
}

async function measure(file: string, total: number) {
  const record: CaseRecord = {
    experiment: 'bench',
    strategy: 'synthetic',
    repeat: 0,
    durationS: Math.ceil((total / USERS) * 0.03),
    nodes: ['app-1', 'app-2', 'app-3'],
    expectations: [{ metric: 'lostWrites', equals: 0 }],
    dir: '',
    startedAt: '',
    completed: true,
  };
  // The checker threads' memory counts too: the process's resident size, sampled while they work.
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const started = performance.now();
  const { result } = await checkHistoryFile(record, file, []);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  return { ops: result.ops, seconds, memoryMb: (peak - before) / 2 ** 20, result };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sc-bench-history-'));
  try {
    process.stdout.write(
      `load average ${loadavg()[0]?.toFixed(2)}; ${USERS} users, sessions of ≤ ${OPS_PER_EPOCH} ops\n`,
    );
    process.stdout.write(
      'ops        file MB  parse+check s  ops/s      peak extra RSS MB  stale  lost  logouts\n',
    );
    let last = { ops: 0, seconds: 1 };
    for (const total of [250_000, 500_000, 1_000_000]) {
      const file = join(dir, `history-${total}.jsonl`);
      writeHistory(file, total);
      const m = await measure(file, total);
      const mb = statSync(file).size / 2 ** 20;
      const rate = m.ops / m.seconds;
      process.stdout.write(
        `${String(m.ops).padEnd(10)} ${mb.toFixed(0).padStart(7)}  ${m.seconds.toFixed(2).padStart(13)}  ${Math.round(rate).toLocaleString('en').padEnd(10)} ${m.memoryMb.toFixed(0).padStart(17)}  ${String(m.result.staleReads).padStart(5)}  ${String(m.result.lostWrites).padStart(4)}  ${m.result.logouts}\n`,
      );
      rmSync(file);
      last = m;
    }
    const rate = last.ops / last.seconds;
    process.stdout.write(
      `1 M ops: ${last.seconds.toFixed(2)} s, ${Math.round(rate).toLocaleString('en')} ops/s (target ≥ ${TARGET_OPS_PER_S.toLocaleString('en')}: ${rate >= TARGET_OPS_PER_S ? 'met' : 'NOT met'})\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
