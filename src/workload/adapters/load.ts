/** A user's adapter module, loaded and checked before anything starts. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExperimentError } from '../../experiment/errors.ts';
import { importTypeScript } from '../../experiment/load.ts';
import { ADAPTER_FUNCTIONS, type AdapterFile, type AppAdapter } from '../../model/adapter.ts';
import type { AdapterSource } from '../adapter-client.ts';
import { contractAdapter } from './contract.ts';

const SHAPE = `an adapter exports default { ${ADAPTER_FUNCTIONS.join(', ')} } (docs/your-app.md, "An adapter")`;

/** The adapter a file exports by default; `source` is how the user named it, for messages (exit 2). */
export async function loadAdapter(file: string, source = file): Promise<AppAdapter> {
  const path = resolve(file);
  if (!existsSync(path)) throw new ExperimentError(source, '', 'adapter file not found; check the path');
  let module: Record<string, unknown>;
  try {
    module = await importTypeScript(path);
  } catch (error) {
    throw new ExperimentError(source, '', `the adapter could not be loaded: ${(error as Error).message}`);
  }
  const adapter = module.default as Record<string, unknown> | undefined;
  if (typeof adapter !== 'object' || adapter === null)
    throw new ExperimentError(source, 'default', `exports no adapter; ${SHAPE}`);
  for (const name of ADAPTER_FUNCTIONS)
    if (typeof adapter[name] !== 'function')
      throw new ExperimentError(
        source,
        name,
        `${adapter[name] === undefined ? 'missing' : 'not a function'}; ${SHAPE}`,
      );
  return adapter as unknown as AppAdapter;
}

/** The adapter the users speak through: the user's (loaded again in each thread that uses it), else the contract. */
export async function adapterSource(file: AdapterFile | undefined): Promise<AdapterSource> {
  if (!file) return { adapter: contractAdapter, name: 'the app contract' };
  return { adapter: await loadAdapter(file.path, file.name), name: file.name };
}
