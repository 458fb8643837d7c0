/** The HTTP users' thread itself: runs the users it was given and sends their ops back to the runner. */
import { setMaxListeners } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { loopLag, WorkloadClock } from '../../history/clock.ts';
import { AdapterError } from '../../model/adapter.ts';
import type { LoopLag } from '../../model/case.ts';
import type { Op } from '../../model/op.ts';
import type { AdapterClient } from '../adapter-client.ts';
import { adapterSource } from '../adapters/load.ts';
import { finalReads, runUser } from '../user-loop.ts';
import { httpUser } from './http-client.ts';
import type { FromUsers, HttpUsersSetup, ToUsers } from './http-users-messages.ts';

/**
 * The HTTP users, in a thread of their own (see http-users.ts): their requests and op times are not
 * delayed by the runner's main thread (browsers, fault schedule, history writing). Ops go to the runner in
 * batches every FLUSH_MS, in completion order.
 */
const FLUSH_MS = 20;
const port = parentPort;
if (!port) throw new Error('http-users-thread runs as a worker thread');
const { names, workload, adapter } = workerData as HttpUsersSetup;
const source = await adapterSource(adapter);
const clock = new WorkloadClock();
let clients: AdapterClient[] = [];
const stop = new AbortController();
let batch: Op[] = [];

const send = (message: FromUsers): void => port.postMessage(message);
const flush = (): void => {
  if (batch.length === 0) return;
  send({ type: 'ops', ops: batch });
  batch = [];
};
const record = (op: Op): void => {
  batch.push(op);
};
const flusher = setInterval(flush, FLUSH_MS);
flusher.unref();

async function run(message: Extract<ToUsers, { type: 'run' }>): Promise<LoopLag | null> {
  clock.startAt(message.epochOrigin);
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  // Every user waits on this signal between its ops: as many listeners as users, not a leak.
  setMaxListeners(clients.length * (workload.parallelism ?? 1) + 10, stop.signal);
  const context = { clock, signal: stop.signal, workload, record };
  await Promise.all(
    clients.map((c, i) =>
      runUser(
        c,
        message.plans[i] ?? { seed: i, arrivesMs: null },
        message.deadlineMs,
        context,
        workload.parallelism,
      ),
    ),
  );
  lag.disable();
  return loopLag(lag);
}

port.on('message', (message: ToUsers) => {
  const done = (next: FromUsers) => {
    flush();
    send(next);
  };
  const fail = (error: unknown) =>
    done({ type: 'failed', message: (error as Error).message, adapter: error instanceof AdapterError });
  if (message.type === 'stop') stop.abort();
  else if (message.type === 'open') {
    clients = names.map((name) => httpUser(name, message.baseUrl, clock, source));
    done({ type: 'opened' });
  } else if (message.type === 'run') run(message).then((lag) => done({ type: 'ran', lag }), fail);
  else finalReads(clients, record).then(() => done({ type: 'final-reads-done' }), fail);
});
send({ type: 'ready' });
