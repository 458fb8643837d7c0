/**
 * The options that bring a user's own app: `--app COMMAND` (local runtime), `--app-image IMAGE`
 * (containers), `--webapp PATH` (into the Tomcat strategies), and `--adapter FILE` to speak to it.
 */
import { resolve } from 'node:path';
import type { Experiment } from '../experiment/experiment.ts';
import { webappProblem } from '../experiment/webapp.ts';
import type { AdapterFile } from '../model/adapter.ts';
import { PLACEHOLDER_LIST, unknownPlaceholders } from '../model/app.ts';
import type { RuntimeName } from '../runtime/runtimes.ts';
import { selectStrategies, strategyNamed } from '../strategies/strategies.ts';
import type { AppTemplate } from '../topology/topology.ts';
import { loadAdapter } from '../workload/adapters/load.ts';
import { UsageError } from './args.ts';

export const APP_OPTIONS = {
  app: { type: 'string' },
  'app-image': { type: 'string' },
  webapp: { type: 'string' },
  adapter: { type: 'string' },
} as const;

export interface AppValues {
  app?: string | undefined;
  'app-image'?: string | undefined;
  webapp?: string | undefined;
  adapter?: string | undefined;
}

/** `--adapter FILE`: the user's adapter module, relative to the working folder. */
export const adapterOf = (file: string | undefined): AdapterFile | undefined =>
  file === undefined ? undefined : { path: resolve(file), name: file };

/** `--app TEMPLATE`, `--app-image IMAGE` or `--webapp PATH`, checked: the user's own app instead of the strategy's. */
export function appOf(values: AppValues): AppTemplate | undefined {
  const given = (['app', 'app-image', 'webapp'] as const).filter((flag) => values[flag] !== undefined);
  if (given.length > 1)
    throw new UsageError(
      `${given.map((flag) => `--${flag}`).join(' and ')}: give one of them, a command (local), an image (docker) or a webapp (Tomcat)`,
    );
  const { app: template, 'app-image': image, webapp } = values;
  if (webapp !== undefined) return { webapp: resolve(webapp) };
  if (image !== undefined) {
    if (image.trim() === '')
      throw new UsageError('--app-image "": give an image the engine has, e.g. my-app:dev');
    return { image };
  }
  if (template === undefined) return undefined;
  if (template.trim() === '')
    throw new UsageError(
      '--app "": give the command that starts one node, e.g. --app "node app.js --port {port}"',
    );
  const [unknown] = unknownPlaceholders(template);
  if (unknown !== undefined)
    throw new UsageError(`--app: {${unknown}} is not a placeholder; use ${PLACEHOLDER_LIST}`);
  return { command: template };
}

/** A strategy whose app appends items in the store itself: only the reference app does, so a user's app
 * runs every other strategy of an experiment. */
const appendsAtomically = (name: string): boolean => {
  const sessions = strategyNamed(name)?.sessions;
  return sessions?.in === 'store' && sessions.writes === 'atomic';
};

/** Where an experiment's app came from, for messages: the option, or its file's field. */
const origin = (flag: string, field: string, e: Experiment, fromFlag: boolean): string =>
  fromFlag ? flag : `experiment ${e.name}: ${field}`;

/**
 * The chosen experiments with the user's app and adapter options applied, every one checked before anything
 * starts (exit 2): a command runs locally, an image in containers, a webapp in Tomcat (distributable where
 * it is replicated), and an adapter speaks to a user's app and is one.
 */
export async function withUserApp(
  loaded: Experiment[],
  values: AppValues,
  runtime: RuntimeName,
  asked: string[] | undefined,
): Promise<Experiment[]> {
  const app = appOf(values);
  const adapter = adapterOf(values.adapter);
  const experiments = loaded.map((e) => ({
    ...e,
    ...(app ? { app, strategies: e.strategies.filter((s) => !appendsAtomically(s)) } : {}),
    ...(adapter ? { adapter } : {}),
  }));
  for (const e of experiments) {
    if (e.adapter && !e.app)
      throw new UsageError(
        `--adapter: it speaks to your app, which experiment ${e.name} does not run; add --app, --app-image or --webapp`,
      );
    if (runtime === 'docker' && e.app && 'command' in e.app)
      throw new UsageError(
        `${origin('--app', 'app.command', e, !!app)}: your app's command runs on this machine, not in a container image; use --runtime local, or --app-image`,
      );
    if (runtime === 'local' && e.app && 'image' in e.app)
      throw new UsageError(
        `${origin('--app-image', 'app.image', e, !!app)}: an app image runs on the container runtime; add --runtime docker`,
      );
    const atomic = (asked ?? []).filter(appendsAtomically);
    if (e.app && !('webapp' in e.app) && atomic.length > 0)
      throw new UsageError(
        `--strategy ${atomic.join(', ')}: the reference app's own fix (it appends items in Redis by a script), which your app does not run; choose another strategy, e.g. --strategy redis`,
      );
    if (e.app && 'webapp' in e.app) {
      const problem = webappProblem(e.app.webapp, selectStrategies(e.strategies, asked));
      if (problem)
        throw new UsageError(`${origin(`--webapp ${values.webapp}`, 'app.webapp', e, !!app)}: ${problem}`);
    }
  }
  // Each adapter is loaded once now, so one that is not an adapter stops the run before anything starts.
  const adapters = new Map(experiments.flatMap((e) => (e.adapter ? [[e.adapter.path, e.adapter]] : [])));
  for (const file of adapters.values()) await loadAdapter(file.path, file.name);
  return experiments;
}
