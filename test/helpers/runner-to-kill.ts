// A stand-in runner for the reaper test: starts a real cluster, says who it is, then waits to be SIGKILLed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalRuntime } from '../../src/runtime/local/local-runtime.ts';
import { claimOwner } from '../../src/runtime/local/owner.ts';
import { buildTopology } from '../../src/topology/topology.ts';

const cluster = await new LocalRuntime().start(buildTopology('redis', 2), {
  dir: mkdtempSync(join(tmpdir(), 'sc-reap-')),
});
process.stdout.write(`${JSON.stringify({ owner: claimOwner(), lbUrl: cluster.lbUrl })}\n`);
setInterval(() => undefined, 60_000);
