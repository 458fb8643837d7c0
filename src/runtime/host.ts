/** Where the suite lives and listens on this machine: its folder, the loopback address, what is installed. */
import { fileURLToPath } from 'node:url';

export { hostPort } from '../../lib/address.ts';
export { onPath } from '../../lib/on-path.js';

/** Everything the suite starts listens here, never on a public interface. */
export const HOST = '127.0.0.1';

/** The suite's own folder (infra/, bin/). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
