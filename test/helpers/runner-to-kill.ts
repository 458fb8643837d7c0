// A stand-in runner for the reaper test: starts a real cluster, says who it is, then waits to be SIGKILLed.
import { claimOwner } from '../../src/runtime/local/owner.ts';
import { startCluster } from './cluster.ts';

const cluster = await startCluster('redis', { appNodes: 2 });
process.stdout.write(`${JSON.stringify({ owner: claimOwner(), lbUrl: cluster.lbUrl })}\n`);
setInterval(() => undefined, 60_000);
