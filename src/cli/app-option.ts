/** The options that bring a user's own app: `--app COMMAND` (local runtime) or `--app-image IMAGE` (containers). */
import { resolve } from 'node:path';
import type { AdapterFile } from '../model/adapter.ts';
import { PLACEHOLDER_LIST, unknownPlaceholders } from '../model/app.ts';
import type { AppTemplate } from '../topology/topology.ts';
import { UsageError } from './args.ts';

export const APP_OPTIONS = {
  app: { type: 'string' },
  'app-image': { type: 'string' },
  adapter: { type: 'string' },
} as const;

/** `--adapter FILE`: the user's adapter module, relative to the working folder. */
export const adapterOf = (file: string | undefined): AdapterFile | undefined =>
  file === undefined ? undefined : { path: resolve(file), name: file };

/** `--app TEMPLATE` or `--app-image IMAGE`, checked: the user's own app instead of the strategy's. */
export function appOf(template: string | undefined, image: string | undefined): AppTemplate | undefined {
  if (image !== undefined && template !== undefined)
    throw new UsageError('--app and --app-image: give one of them, a command (local) or an image (docker)');
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
