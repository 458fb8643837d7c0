/** Test helper: a container engine for the docker runtime's tests, or the suite skipped saying why. */
import type { Context } from 'mocha';
import { type Engine, findEngine, HOW_TO_GET_AN_ENGINE } from '../../src/runtime/docker/engine.ts';

/**
 * The container engine for a suite's `before`; without one the suite is skipped, and says so (never
 * silently): the reason and how to get an engine.
 */
export async function engineOrSkip(context: Context): Promise<Engine> {
  const engine = await findEngine();
  if (!('missing' in engine)) return engine;
  process.stdout.write(`  SKIPPED (no container engine): ${engine.missing}; ${HOW_TO_GET_AN_ENGINE}\n`);
  context.skip();
}
