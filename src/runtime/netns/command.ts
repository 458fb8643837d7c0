/** Runs the kernel's network tools (ip, iptables, tc): synchronously, since each takes milliseconds. */
import { spawnSync } from 'node:child_process';

/** Runs a command; throws with what it printed when it fails. Returns its output. */
export function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(
      `\`${command} ${args.join(' ')}\` failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr.trim()}`,
    );
  return result.stdout;
}

/** Runs a command inside a network namespace. */
export const runIn = (namespace: string, command: string, args: string[]): string =>
  run('ip', ['netns', 'exec', namespace, command, ...args]);
