import { DockerRuntime } from './docker/docker-runtime.ts';
import { LocalRuntime } from './local/local-runtime.ts';
import type { Runtime } from './runtime.ts';

/** Every runtime, by the name `--runtime` takes. */
const RUNTIMES = {
  local: () => new LocalRuntime(),
  docker: () => new DockerRuntime(),
} satisfies Record<string, () => Runtime>;

export type RuntimeName = keyof typeof RUNTIMES;
export const RUNTIME_NAMES = Object.keys(RUNTIMES) as RuntimeName[];

export const createRuntime = (name: RuntimeName): Runtime => RUNTIMES[name]();
