/** The options that choose a runtime, `--runtime` and `--netns`, as `run` and `up` take them. */

import type { Runtime } from '../runtime/runtime.ts';
import { createRuntime, RUNTIME_NAMES, type RuntimeName } from '../runtime/runtimes.ts';
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
