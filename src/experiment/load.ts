/** Finding and loading experiments: the built-in ones by name, or a user's experiment file, for a profile. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PROFILES, type ProfileName, REQUIRED_PROFILES } from './definition.ts';
import { ExperimentError } from './errors.ts';
import type { Experiment } from './experiment.ts';
import { resolveExperiment } from './resolve.ts';

/** The experiments shipped with the suite. */
export const BUILTIN_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'experiments');
const SUFFIX = '.experiment.ts';

export function builtinExperiments(): string[] {
  return readdirSync(BUILTIN_DIR)
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort();
}

/** A name (`node-crash`) means a built-in experiment; anything with a slash or an extension is a file. */
export function experimentFile(nameOrFile: string, cwd = process.cwd()): string {
  const looksLikeFile = /[/\\]/.test(nameOrFile) || /\.(ts|js|mjs|json)$/.test(nameOrFile);
  if (looksLikeFile) {
    const file = isAbsolute(nameOrFile) ? nameOrFile : resolve(cwd, nameOrFile);
    if (!existsSync(file)) throw new ExperimentError(nameOrFile, '', 'file not found; check the path');
    return file;
  }
  const file = join(BUILTIN_DIR, `${nameOrFile}${SUFFIX}`);
  if (!existsSync(file))
    throw new ExperimentError(
      nameOrFile,
      '',
      `no such experiment; use one of: ${builtinExperiments().join(', ')}, or a file path`,
    );
  return file;
}

/**
 * A file outside any package with `"type": "module"` (e.g. in /tmp) is loaded as CommonJS: its exports
 * arrive wrapped in `default`.
 */
function esModule(module: Record<string, unknown>): Record<string, unknown> {
  const inner = module.default as Record<string, unknown> | undefined;
  const wrapped =
    Object.keys(module).length === 1 && inner !== null && typeof inner === 'object' && 'default' in inner;
  return wrapped ? inner : module;
}

/** Imported through tsx's API, which loads a file outside the suite's package as well (see esModule). */
export async function importTypeScript(file: string): Promise<Record<string, unknown>> {
  const { tsImport } = await import('tsx/esm/api');
  return esModule((await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>);
}

/** Loads (imports) an experiment file and validates it for one profile. */
export async function loadExperiment(
  nameOrFile: string,
  profile: ProfileName,
  cwd = process.cwd(),
): Promise<Experiment> {
  const file = experimentFile(nameOrFile, cwd);
  const source = relative(cwd, file) || file;
  let module: Record<string, unknown>;
  try {
    module = file.endsWith('.json')
      ? { default: JSON.parse(readFileSync(file, 'utf8')) }
      : await importTypeScript(file);
  } catch (error) {
    throw new ExperimentError(source, '', `could not be loaded: ${(error as Error).message}`);
  }
  const definition = module.default ?? module.experiment;
  if (definition === undefined)
    throw new ExperimentError(
      source,
      '',
      'exports no experiment; add `export default defineExperiment({...})`',
    );
  const experiment = resolveExperiment(definition, source, profile);
  // An adapter's or a webapp's path is written relative to the experiment file.
  const near = (path: string): string => resolve(dirname(file), path);
  if (experiment.adapter) experiment.adapter = { ...experiment.adapter, path: near(experiment.adapter.path) };
  if (experiment.app && 'webapp' in experiment.app) experiment.app = { webapp: near(experiment.app.webapp) };
  return experiment;
}

/** Every profile an experiment defines (quick and full always, smoke where it has one), resolved. */
export async function loadEveryProfile(nameOrFile: string, cwd = process.cwd()): Promise<Experiment[]> {
  const quick = await loadExperiment(nameOrFile, 'quick', cwd);
  const resolved: Experiment[] = [];
  for (const profile of PROFILES) {
    if (profile === 'quick') resolved.push(quick);
    else if (REQUIRED_PROFILES.includes(profile) || quick.profiles.includes(profile))
      resolved.push(await loadExperiment(nameOrFile, profile, cwd));
  }
  return resolved;
}
