/**
 * Removes every container and network of one owner id (argv): what the docker runtime's exit hook runs, as
 * a process of its own, when the runner exits with containers still running.
 */
import { findEngine } from './engine.ts';
import { removeOwnerContainers } from './reaper.ts';

const [owner] = process.argv.slice(2);
const engine = await findEngine();
if (owner && !('missing' in engine)) await removeOwnerContainers(engine.docker, owner);
