/** Labels naming the runner that owns a container or network, so what a dead runner left can be removed. */
import { hostname } from 'node:os';
import { claimOwner, processStart } from '../local/owner.ts';

/**
 * Every container and network the docker runtime creates carries its runner's owner id and who that runner
 * is (host, pid, the pid's start time), so a later runner can tell a live runner's containers from those a
 * crashed or SIGKILLed one left behind.
 */
export const OWNER_LABEL = 'session-chaos.owner';
const RUNNER_LABEL = 'session-chaos.runner';

export type Labels = Record<string, string>;

export const runnerLabels = (owner = claimOwner()): Labels => ({
  [OWNER_LABEL]: owner,
  [RUNNER_LABEL]: `${hostname()} ${process.pid} ${processStart(process.pid) ?? ''}`,
});

/** Whether the runner named by these labels is alive; a runner on another host counts as alive (not ours to judge). */
export function runnerAlive(labels: Labels): boolean {
  const [host, pid, start] = (labels[RUNNER_LABEL] ?? '').split(' ');
  if (host !== hostname()) return host !== undefined && host !== '';
  return start !== undefined && start !== '' && processStart(Number(pid)) === start;
}
