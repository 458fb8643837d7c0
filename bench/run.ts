/** `npm run bench`: imports every bench/*.bench.ts in name order and awaits its `run()`. */
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface BenchModule {
  run?: () => Promise<void>;
}

const dir = fileURLToPath(new URL('.', import.meta.url));
const files = (await readdir(dir)).filter((name) => name.endsWith('.bench.ts')).sort();
for (const file of files) {
  const mod = (await import(pathToFileURL(`${dir}${file}`).href)) as BenchModule;
  if (typeof mod.run !== 'function') throw new Error(`bench/${file} does not export an async function run()`);
  process.stdout.write(`\n== ${file} ==\n`);
  await mod.run();
}
