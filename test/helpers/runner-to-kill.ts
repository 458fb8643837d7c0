// A stand-in runner for the reaper tests: starts a real cluster on a runtime (argv: local or docker), says who
// it is, then waits to be SIGKILLed — or, given `crash`, throws once the cluster runs.
import { claimOwner } from '../../src/runtime/local/owner.ts';
import type { RuntimeName } from '../../src/runtime/runtimes.ts';
import { startCluster } from './cluster.ts';

const [runtime = 'local', then = 'wait'] = process.argv.slice(2);
const cluster = await startCluster('redis', { appNodes: 2 }, runtime as RuntimeName);
process.stdout.write(`${JSON.stringify({ owner: claimOwner(), lbUrl: cluster.lbUrl })}\n`);
if (then === 'crash') throw new Error('a runner crashing with its cluster up');
setInterval(() => undefined, 60_000);
