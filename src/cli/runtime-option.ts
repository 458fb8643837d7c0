/** The options that choose a runtime, `--runtime` and `--netns`, as `run` and `up` take them. */

import type { Experiment } from '../experiment/experiment.ts';
import { strategiesNeedingKernel } from '../experiment/mechanism.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { createRuntime, RUNTIME_NAMES, type RuntimeName } from '../runtime/runtimes.ts';
import { selectStrategies } from '../strategies/strategies.ts';
import { oneOf, UsageError } from './args.ts';

export const RUNTIME_OPTIONS = {
  runtime: { type: 'string' },
  netns: { type: 'boolean' },
} as const;

/** The runtime asked for; `--netns` only on the local runtime, as root (it creates namespaces and veths). */
export function runtimeOf(values: { runtime?: string | undefined; netns?: boolean | undefined }): {
  name: RuntimeName;
  runtime: Runtime;
} {
  const name = oneOf('--runtime', values.runtime, RUNTIME_NAMES, 'local');
  if (values.netns && name !== 'local')
    throw new UsageError(
      `--netns is for the local runtime: on --runtime ${name} every container has a network of its own already`,
    );
  if (values.netns && process.getuid?.() !== 0)
    throw new UsageError(
      '--netns needs root: it creates network namespaces, veths and packet filter rules (run it with sudo, or leave --netns out)',
    );
  return { name, runtime: createRuntime(name, { netns: values.netns === true }) };
}

/**
 * The experiments as this runtime can run them: without --netns, a strategy whose faults only the kernel
 * can make is left out, and said so on stderr; asked for by --strategy, or leaving an experiment nothing
 * to run, it is refused (exit 2).
 */
export function withinReach(
  experiments: Experiment[],
  runtime: Runtime,
  asked: string[] | undefined,
  say: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Experiment[] {
  if (runtime.kernelFaults) return experiments;
  const fix =
    runtime.name === 'local'
      ? 'add --netns (as root) so each node has a network of its own'
      : `--runtime ${runtime.name} does not act in the kernel; run it on the local runtime with --netns (as root)`;
  return experiments.map((e) => {
    const needing = strategiesNeedingKernel(e);
    const chosen = selectStrategies(e.strategies, asked);
    for (const name of chosen)
      if (asked && needing.has(name))
        throw new UsageError(`--strategy ${name}: in ${e.name}, ${needing.get(name)}; ${fix}`);
    const left = e.strategies.filter((name) => !needing.has(name));
    if (left.length === 0)
      throw new UsageError(
        `${e.name}: every strategy needs the kernel (${[...needing.values()][0]}); ${fix}`,
      );
    const out = [...needing].filter(([name]) => chosen.includes(name));
    if (out.length > 0)
      say(`${e.name}: left out ${out.map(([name, why]) => `${name} (${why})`).join('; ')}: ${fix}`);
    return { ...e, strategies: left };
  });
}
