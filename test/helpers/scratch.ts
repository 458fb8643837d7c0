/** Test helper: scratch folders for tests, kept only when something failed. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The tests' scratch folders (case logs, run folders, state folders): removed when the mocha run ends with
 * nothing failed, kept and listed when something did, since their logs are then what explains it.
 * Loaded by .mocharc.json for every suite.
 */
const made: string[] = [];

/** A new folder under the system's temporary folder, named sc-<name>-XXXXXX. */
export function scratchDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `sc-${name}-`));
  made.push(dir);
  return dir;
}

type Runnables = Record<
  'tests' | '_beforeAll' | '_beforeEach' | '_afterEach' | '_afterAll',
  Mocha.Runnable[]
>;

/** Whether a test or a hook failed anywhere under `suite` (a failed hook leaves its tests unrun, not failed). */
function failedUnder(suite: Mocha.Suite): boolean {
  const own = suite as unknown as Runnables;
  const runnables = [
    ...own.tests,
    ...own._beforeAll,
    ...own._beforeEach,
    ...own._afterEach,
    ...own._afterAll,
  ];
  return runnables.some((r) => r.state === 'failed') || suite.suites.some(failedUnder);
}

export const mochaHooks = {
  afterAll(this: Mocha.Context): void {
    let root = this.test?.parent;
    while (root?.parent) root = root.parent;
    if (made.length === 0 || root === undefined) return;
    if (failedUnder(root)) {
      console.log(
        `\n  scratch folders kept for the failures above:\n${made.map((d) => `    ${d}`).join('\n')}`,
      );
      return;
    }
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  },
};
