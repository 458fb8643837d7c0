/** The runtimes `--runtime` can choose (local processes, containers), created by name. */
import { DockerRuntime } from './docker/docker-runtime.ts';
import { LocalRuntime } from './local/local-runtime.ts';
import type { Runtime } from './runtime.ts';

export interface RuntimeOptions {
  /** Local runtime: each app node and store in a network namespace of its own (root only). */
  netns?: boolean;
}

/** Every runtime, by the name `--runtime` takes. */
const RUNTIMES = {
  local: (options: RuntimeOptions) => new LocalRuntime(options.netns),
  docker: () => new DockerRuntime(),
} satisfies Record<string, (options: RuntimeOptions) => Runtime>;

export type RuntimeName = keyof typeof RUNTIMES;
export const RUNTIME_NAMES = Object.keys(RUNTIMES) as RuntimeName[];

export const createRuntime = (name: RuntimeName, options: RuntimeOptions = {}): Runtime =>
  RUNTIMES[name](options);
