#!/usr/bin/env node
// Validates GitHub workflow files against the workflow schema (`npm run lint:workflows`): every file in
// .github/workflows/, or the files named. It calls the validator behind the action-validator CLI directly,
// since the CLI takes one file and prints nested JSON: here each error names its file and its reason.
// Exit 1 when any file has an error. Offline: the validator is WebAssembly shipped in the package.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateWorkflow } from '@action-validator/core';

const folder = '.github/workflows';
const files =
  process.argv.length > 2
    ? process.argv.slice(2)
    : readdirSync(folder)
        .filter((name) => /\.ya?ml$/.test(name))
        .sort()
        .map((name) => join(folder, name));

/**
 * The reasons of one error. A `one_of` error (`on:` is a string, a list or a map; a job is a job or a call
 * of a reusable workflow) lists why each alternative failed. The one the author meant has the value's type
 * and, of those, the fewest errors.
 */
function reasons(error) {
  if (error.states?.length) {
    const wrongType = (state) => state.errors.some((e) => e.code === 'wrong_type' && e.path === error.path);
    const typed = error.states.filter((state) => !wrongType(state));
    const candidates = typed.length > 0 ? typed : error.states;
    const closest = candidates.reduce((a, b) => (b.errors.length < a.errors.length ? b : a));
    return closest.errors.flatMap(reasons);
  }
  const where = error.path || (error.location ? `line ${error.location.line}` : undefined);
  return [where === undefined ? (error.detail ?? error.title) : `${where}: ${error.detail ?? error.title}`];
}

let failed = 0;
for (const file of files) {
  const { errors } = validateWorkflow(readFileSync(file, 'utf8'));
  if (errors.length === 0) continue;
  failed++;
  for (const reason of new Set(errors.flatMap(reasons))) console.error(`${file} ${reason}`);
}
if (files.length === 0) console.error(`lint-workflows: no workflow files in ${folder}`);
else console.error(`lint-workflows: ${files.length} file(s), ${failed} with errors`);
process.exit(failed > 0 || files.length === 0 ? 1 : 0);
