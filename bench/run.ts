/**
 * `npm run bench`: imports every bench/*.bench.ts, then the Toxiproxy-compatible server's own
 * (toxiproxy-server/bench/), in name order, and awaits each one's `run()`.
 */
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface BenchModule {
  run?: () => Promise<void>;
}

const DIRS = ['.', '../toxiproxy-server/bench/'].map((d) => fileURLToPath(new URL(d, import.meta.url)));
for (const dir of DIRS) {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.bench.ts')).sort();
  for (const file of files) {
    const mod = (await import(pathToFileURL(`${dir}${file}`).href)) as BenchModule;
    if (typeof mod.run !== 'function')
      throw new Error(`${dir}${file} does not export an async function run()`);
    process.stdout.write(`\n== ${file} ==\n`);
    await mod.run();
  }
}
