// A stand-in runner for the reaper tests: starts a real cluster on a runtime (argv: local or docker) in a
// folder the test made (argv), with a strategy (argv, default redis), says who it is, then waits to be SIGKILLed — or, given `crash`, throws once
// the cluster runs.
import { claimOwner } from '../../src/runtime/local/owner.ts';
import { createRuntime, type RuntimeName } from '../../src/runtime/runtimes.ts';
import { topologyOf } from './cluster.ts';

const [runtime = 'local', then = 'wait', dir = '', strategy = 'redis'] = process.argv.slice(2);
const cluster = await createRuntime(runtime as RuntimeName).start(topologyOf(strategy, 2), { dir });
process.stdout.write(`${JSON.stringify({ owner: claimOwner(), lbUrl: cluster.lbUrl })}\n`);
if (then === 'crash') throw new Error('a runner crashing with its cluster up');
setInterval(() => undefined, 60_000);
