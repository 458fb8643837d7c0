/** Running one case: cluster started, users and faults run, faults healed, final reads, cluster stopped. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Experiment } from '../experiment/experiment.ts';
import { FaultLedger } from '../faults/ledger.ts';
import { FaultSchedule } from '../faults/schedule.ts';
import { WorkloadClock } from '../history/clock.ts';
import { JsonlWriter } from '../history/jsonl.ts';
import { LastNodes } from '../history/pinning.ts';
import { AdapterError } from '../model/adapter.ts';
import type { CasePhase, CaseRecord, CostRecord } from '../model/case.ts';
import type { Op } from '../model/op.ts';
import { CASE_FILES, caseDirName, type PlannedCaseInfo, type TraceMode } from '../model/run.ts';
import { launchBrowser } from '../runtime/browser.ts';
import { LOAD_BALANCER_GIVES_UP_MS } from '../runtime/kinds/haproxy.ts';
import { runAhead } from '../runtime/priority.ts';
import { type Cluster, InfrastructureError, type Runtime } from '../runtime/runtime.ts';
import type { Strategy } from '../strategies/strategies.ts';
import { buildTopology, idsWithRole, replacesServer, type Topology } from '../topology/topology.ts';
import { seededRandom } from '../workload/random.ts';
import { CLIENT_TIMEOUT_MS } from '../workload/session-client.ts';
import { WorkloadRun } from '../workload/workload.ts';
import { CaseDeadline, caseDeadlineS } from './case-deadline.ts';
import { CaseTimer } from './case-timing.ts';
import { CrashWatch } from './crash-watch.ts';
import { LiveCounts } from './live-stats.ts';
import type { Progress } from './progress.ts';
import { writeCaseRecord, writeJson } from './run-folder.ts';

/** One case to run: an experiment, one of its strategies, a cluster size, a repeat. */
export interface PlannedCase {
  experiment: Experiment;
  strategy: Strategy;
  appNodes: number;
  repeat: number;
}

/** The cluster size a case is labelled with: only when its experiment compares sizes. */
const sizeOf = ({ experiment, appNodes }: PlannedCase): number | undefined =>
  experiment.appNodes.length > 1 ? appNodes : undefined;

/** What run.json says of a planned case, its folder included. */
export function plannedCaseInfo(planned: PlannedCase): PlannedCaseInfo {
  const { experiment, strategy, repeat } = planned;
  const sized = sizeOf(planned);
  return {
    experiment: experiment.name,
    strategy: strategy.name,
    repeat,
    ...(sized === undefined ? {} : { appNodes: sized }),
    dir: caseDirName(experiment.name, strategy.name, repeat, sized),
  };
}

export interface CaseEnv {
  runDir: string;
  runtime: Runtime;
  seed: number;
  signal: AbortSignal;
  progress: Progress;
  /** Whether browser users record Playwright traces (`--trace`; which are kept is decided once checked). */
  trace: TraceMode;
}

// A user must never give up on a request the load balancer may still send on: see CLIENT_TIMEOUT_MS.
if (CLIENT_TIMEOUT_MS <= LOAD_BALANCER_GIVES_UP_MS)
  throw new Error(
    `users give up after ${CLIENT_TIMEOUT_MS} ms, before the load balancer (${LOAD_BALANCER_GIVES_UP_MS} ms)`,
  );

/**
 * One experiment × strategy × repeat: start the cluster, run users and faults, heal, final reads, and stop
 * the cluster whatever happens. The history and fault ledger are on disk before anything is checked.
 */
export async function runCase(planned: PlannedCase, env: CaseEnv): Promise<CaseRecord> {
  const { experiment, strategy, appNodes, repeat } = planned;
  const app = experiment.app;
  const spareNodes = experiment.faults.filter((f) => f.kind === 'scale-out').length;
  const { storeMemoryMb, sessionPaddingKb } = experiment;
  const topology = buildTopology(strategy, {
    appNodes,
    spareNodes,
    ...(app ? { app } : {}),
    ...(storeMemoryMb ? { storeMemoryMb } : {}),
    ...(sessionPaddingKb ? { sessionPaddingKb } : {}),
  });
  const sized = sizeOf(planned);
  const record: CaseRecord = {
    experiment: experiment.name,
    strategy: strategy.name,
    repeat,
    durationS: experiment.workload.durationS,
    nodes: idsWithRole(topology, 'app'),
    expectations:
      experiment.expectations[strategy.name] ??
      experiment.expectations[strategy.name.split(':')[0] ?? ''] ??
      [],
    plannedFaults: experiment.faults.map((fault, id) => ({ id, ...fault })),
    dir: plannedCaseInfo(planned).dir,
    startedAt: new Date().toISOString(),
    seed: env.seed,
    ...(sized ? { appNodes: sized } : {}),
    timeouts: { clientMs: CLIENT_TIMEOUT_MS, loadBalancerMs: LOAD_BALANCER_GIVES_UP_MS },
    ...(strategy.note ? { note: strategy.note } : {}),
  };
  const label = `${experiment.name}/${strategy.name}${sized ? ` ×${sized}` : ''}${repeat > 0 ? ` #${repeat}` : ''}`;
  mkdirSync(join(env.runDir, record.dir, CASE_FILES.logs), { recursive: true });
  writeCaseRecord(env.runDir, record);
  env.progress.caseStarted(label);
  const tomcat = strategy.app === 'tomcat' && !replacesServer(app);
  const deadline = new CaseDeadline(caseDeadlineS(record.durationS, appNodes, tomcat), env.signal);
  const timer = new CaseTimer();
  const started: { cluster: Cluster | null } = { cluster: null };
  const phaseNow = (): string => PHASE_NAMES[timer.phase ?? 'start'];
  let hungIn = '';
  deadline.signal.addEventListener('abort', () => {
    if (deadline.expired) hungIn = phaseNow();
  });
  try {
    await deadline.bound(
      runPhases({ experiment, topology, record, label, timer, started }, { ...env, signal: deadline.signal }),
      phaseNow,
      async () => {
        await started.cluster?.stop();
      },
    );
  } catch (error) {
    if (!deadline.expired) throw error;
  }
  if (deadline.expired) {
    // Past its deadline a case is an infrastructure error, whatever it reached: the run goes on.
    record.error = deadline.reason(hungIn);
    writeCaseRecord(env.runDir, record);
    env.progress.caseFinished(label, record.error);
    throw new InfrastructureError(
      `${record.error}; its logs are in ${join(env.runDir, record.dir, CASE_FILES.logs)}`,
    );
  }
  return record;
}

/** What the runner calls each phase, in messages. */
const PHASE_NAMES: Record<CasePhase, string> = {
  start: 'starting the cluster',
  'open-users': 'opening the users',
  workload: 'the workload',
  heal: 'healing the faults',
  'final-reads': 'the final reads',
  stop: 'stopping the cluster',
};

interface CaseParts {
  experiment: Experiment;
  topology: Topology;
  record: CaseRecord;
  label: string;
  timer: CaseTimer;
  /** The cluster once it started, for whoever must stop it. */
  started: { cluster: Cluster | null };
}

/** Start, users and faults, heal, final reads, stop: the case's record gets its end. */
async function runPhases(
  { experiment, topology, record, label, timer, started }: CaseParts,
  env: CaseEnv,
): Promise<void> {
  const dir = join(env.runDir, record.dir);
  env.progress.phase(label, 'starting the cluster');
  timer.enter('start');
  const users = caseUsers(experiment, dir, env, label);
  let cluster: Cluster;
  try {
    cluster = await env.runtime.start(topology, { dir: join(dir, CASE_FILES.logs), signal: env.signal });
  } catch (error) {
    await users.close();
    record.error = `the cluster did not start: ${(error as Error).message}`;
    writeCaseRecord(env.runDir, record);
    env.progress.caseFinished(label, 'cluster did not start');
    throw error;
  }
  started.cluster = cluster;
  const memory = sampleMemory(cluster, record.nodes);
  let failed: unknown;
  try {
    await workAndHeal(experiment, cluster, users, dir, env, label, timer);
  } catch (error) {
    // The user's adapter code threw: the case cannot be judged, as when the app itself fails.
    failed = error instanceof AdapterError ? new InfrastructureError(error.message) : error;
    record.error = `the case stopped early: ${(error as Error).message}`;
    writeCaseRecord(env.runDir, record);
  } finally {
    env.progress.phase(label, 'stopping the cluster');
    timer.enter('stop');
    memory.stop();
    await cluster.stop();
    writeJson(join(dir, CASE_FILES.cost), costRecord(cluster, memory.samples));
    record.timing = timer.timing();
  }
  if (env.signal.aborted && !record.error) record.error = 'interrupted before the workload finished';
  // Written last of all: a case.json without it means the runner died mid-case.
  record.completed = true;
  writeCaseRecord(env.runDir, record);
  env.progress.caseFinished(label, record.error ?? 'done');
  // The app failed on its own (see CrashWatch): the run goes on, and ends with exit 3.
  if (failed instanceof InfrastructureError) throw failed;
}

/** Each app node's resident memory, every second, until stopped. */
function sampleMemory(
  cluster: Cluster,
  nodes: string[],
): { samples: Record<string, number[]>; stop(): void } {
  const samples: Record<string, number[]> = Object.fromEntries(nodes.map((node) => [node, []]));
  const timer = setInterval(() => {
    for (const node of nodes) {
      const mb = cluster.memoryMb(node);
      if (mb !== null) samples[node]?.push(mb);
    }
  }, 1000);
  return { samples, stop: () => clearInterval(timer) };
}

function costRecord(cluster: Cluster, memoryMb: Record<string, number[]>): CostRecord {
  const kinds = new Map(cluster.topology.links.map((l) => [l.id, l.kind]));
  const links = cluster.linkBytes
    ? Object.fromEntries(
        Object.entries(cluster.linkBytes)
          .filter(([id]) => kinds.has(id))
          .map(([id, bytes]) => [id, { kind: kinds.get(id) as string, ...bytes }]),
      )
    : null;
  return { links, memoryMb };
}

/**
 * A case's users and what they write, made before the cluster starts: the HTTP users' thread loads its
 * code while the cluster starts.
 */
function caseUsers(experiment: Experiment, dir: string, env: CaseEnv, label: string) {
  const history = new JsonlWriter<Op>(join(dir, CASE_FILES.history));
  const counts = new LiveCounts();
  const lastNodes = new LastNodes();
  const clock = new WorkloadClock();
  const record = (op: Op): void => {
    history.write(op);
    counts.add(op);
    lastNodes.add(op);
  };
  const workload = new WorkloadRun({
    workload: experiment.workload,
    clock,
    seed: env.seed,
    record,
    signal: env.signal,
    launchBrowser,
    ...(experiment.adapter ? { adapter: experiment.adapter } : {}),
    ...(env.trace === 'off'
      ? {}
      : { traces: { caseDir: dir, note: (message: string) => env.progress.event(label, message) } }),
  });
  const close = async (): Promise<void> => {
    await workload.close();
    history.close();
  };
  return { counts, lastNodes, clock, workload, close };
}

async function workAndHeal(
  experiment: Experiment,
  cluster: Cluster,
  { counts, lastNodes, clock, workload, close }: ReturnType<typeof caseUsers>,
  dir: string,
  env: CaseEnv,
  label: string,
  timer: CaseTimer,
): Promise<void> {
  const ledger = new FaultLedger(join(dir, CASE_FILES.faults));
  const schedule = new FaultSchedule(experiment.faults, {
    cluster,
    clock,
    ledger,
    usersPerNode: (nodes) => lastNodes.usersPerNode(nodes),
    random: seededRandom(env.seed ^ 0x5eed),
    onEvent: (message) => env.progress.event(label, message),
  });
  const crashes = new CrashWatch(cluster, Math.min(...experiment.faults.map((f) => f.atS)));
  const tick = (): void => {
    crashes.look(clock.now() / 1000);
    const stats = {
      elapsedS: clock.now() / 1000,
      durationS: experiment.workload.durationS,
      activeFaults: schedule.active,
    };
    env.progress.tick(label, { ...stats, ops: counts.ops, logouts: counts.logouts, errors: counts.errors });
  };
  // Ticks only while the workload runs: before, the clock counts the opening of users.
  let ticker: NodeJS.Timeout | undefined;
  try {
    env.progress.phase(
      label,
      `opening ${experiment.workload.browserUsers} browser and ${experiment.workload.httpUsers} HTTP users`,
    );
    timer.enter('open-users');
    await workload.open(cluster.lbUrl);
    crashes.look(-1);
    timer.enter('workload');
    clock.reset();
    ticker = setInterval(tick, 500);
    const restorePriority = runAhead();
    schedule.start();
    try {
      await workload.run();
      crashes.look(clock.now() / 1000);
      timer.threadLag('http-users', workload.httpUsersLag);
    } finally {
      restorePriority();
      clearInterval(ticker);
      env.progress.phase(label, 'healing every fault');
      timer.enter('heal');
      await schedule.healAll();
    }
    crashes.raise();
    if (!env.signal.aborted) {
      env.progress.phase(label, 'final reads');
      timer.enter('final-reads');
      await workload.finalReads();
    }
  } finally {
    clearInterval(ticker);
    await close();
    ledger.close();
  }
}
