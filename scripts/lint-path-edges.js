#!/usr/bin/env node
// Edges that are file paths (a spawned main, a worker thread, a module loaded through tsx) are invisible to
// dependency-cruiser. Each must also be a static import in the file that makes it (usually
// `import type {} from '…'`, erased at run time), so that the import rules judge it like any other edge.
// This finds the path edges in src/, infra/ and toxiproxy-server/ and fails on any that is not imported.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FOLDERS = ['src', 'infra', 'toxiproxy-server'];

/** Every .ts and .js file under a folder. */
function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(ts|js)$/.test(name)) yield path;
  }
}

/** The files a source names by path: `new URL('…', import.meta.url)`, `tsImport('…', …)`, `join(ROOT, '…', …)`. */
function pathEdges(file, text) {
  const edges = [];
  for (const m of text.matchAll(/(?:new URL|tsImport)\(\s*'([^']+\.(?:ts|js))',\s*import\.meta\.url/g))
    edges.push(resolve(dirname(file), m[1]));
  for (const m of text.matchAll(/join\(ROOT,((?:\s*'[^']+',?)+)\)/g)) {
    const parts = [...m[1].matchAll(/'([^']+)'/g)].map((p) => p[1]);
    if (/\.(ts|js)$/.test(parts.at(-1) ?? '')) edges.push(join(root, ...parts));
  }
  return edges;
}

/** The TypeScript modules an edge stands for: itself, or those a .js shim loads through tsx. */
function modulesOf(target) {
  if (target.endsWith('.ts') || !existsSync(target)) return [target];
  return pathEdges(target, readFileSync(target, 'utf8')).flatMap(modulesOf);
}

/** The files a source imports statically (type-only imports too). */
function imports(file, text) {
  return [...text.matchAll(/^import\s[^;]*?from\s+'(\.[^']+)'/gms)].map((m) => resolve(dirname(file), m[1]));
}

const missing = [];
for (const folder of FOLDERS)
  for (const file of files(join(root, folder))) {
    if (file.endsWith('.js')) continue; // shims: their edges are named by the file that starts them
    const text = readFileSync(file, 'utf8');
    const imported = new Set(imports(file, text));
    for (const target of pathEdges(file, text).flatMap(modulesOf))
      if (!imported.has(target))
        missing.push(
          `${relative(root, file)} → ${relative(root, target)}: add \`import type {} from '${relative(dirname(file), target).replace(/^(?!\.)/, './')}';\``,
        );
  }
if (missing.length > 0) {
  console.error(`path edges the import rules cannot see (${missing.length}):\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log('✔ every path edge is also an import the rules judge');
