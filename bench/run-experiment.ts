/** Runs a bench experiment (bench/experiments/) through the real CLI, for benches that need a real run. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Runs one of bench/experiments/ through the real CLI into `out`; resolves with its exit code. */
export function runBenchExperiment(name: string, out: string): Promise<number | null> {
  const file = join(ROOT, 'bench', 'experiments', `${name}.experiment.ts`);
  const args = [
    join(ROOT, 'bin', 'session-chaos.js'),
    'run',
    '--experiment',
    file,
    '--out',
    out,
    '--seed',
    '1',
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', resolve);
  });
}
