/** Bench: what keeping sessions in each store costs a request (latency and throughput), against memory. */
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from '../src/checkers/stats.ts';
import { AppClient } from '../src/workload/http/app-client.ts';
import { startCluster } from '../test/helpers/cluster.ts';

/**
 * What a session store costs each request, under the same load: 16 users, each logged in, adding and
 * reading in a closed loop for 8 s against one app node, in memory and in each store. Prints p50/p99 of a
 * request and requests per second: "extra network I/O per request" and "a disk database is slower", as numbers.
 */
const USERS = 16;
const SECONDS = 8;
const STRATEGIES = ['none', 'redis', 'redis-aof', 'memcached', 'mysql'];

async function load(baseUrl: string): Promise<{ took: number[]; seconds: number }> {
  const users = await Promise.all(
    Array.from({ length: USERS }, async (_, i) => {
      const user = new AppClient(baseUrl);
      await user.request('/login', { json: { username: `u${i}`, password: 'p' } });
      return user;
    }),
  );
  const took: number[] = [];
  const started = performance.now();
  const until = started + SECONDS * 1000;
  await Promise.all(
    users.map(async (user, i) => {
      for (let n = 0; performance.now() < until; n += 1) {
        const reply =
          n % 2 === 0
            ? await user.request('/api/cart/items', { json: { item: `u${i}-${n}` } })
            : await user.request('/api/cart');
        if (reply.status === 200) took.push(reply.ms);
      }
    }),
  );
  return { took: took.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000 };
}

export async function run(): Promise<void> {
  process.stdout.write(
    `load average ${loadavg()[0]?.toFixed(2)}; ${USERS} users in a closed loop for ${SECONDS} s, one node, through HAProxy\n`,
  );
  process.stdout.write('sessions in   p50 ms  p99 ms  requests/s\n');
  for (const strategy of STRATEGIES) {
    const cluster = await startCluster(strategy, { appNodes: 1 });
    try {
      await sleep(500);
      const { took, seconds } = await load(cluster.lbUrl);
      const label = strategy === 'none' ? 'memory' : strategy;
      process.stdout.write(
        `${label.padEnd(12)} ${percentile(took, 50).toFixed(1).padStart(7)} ${percentile(took, 99).toFixed(1).padStart(7)} ${Math.round(
          took.length / seconds,
        )
          .toString()
          .padStart(11)}\n`,
      );
    } finally {
      await cluster.stop();
    }
  }
}
