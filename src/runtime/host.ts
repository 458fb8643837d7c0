import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Everything the suite starts listens here, never on a public interface. */
export const HOST = '127.0.0.1';

/** The suite's own folder (infra/, bin/). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Whether a command is installed (on PATH). */
export const onPath = (command: string): boolean =>
  spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' }).status === 0;

export const hostPort = (address: string): { host: string; port: number } => {
  const colon = address.lastIndexOf(':');
  return { host: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
};
