/** Signals at any moment (a second Ctrl-C, SIGHUP, Ctrl-C while a fault acts) heal and stop the cluster,
 * leave nothing running, and leave a run folder the report can be rebuilt from. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect } from 'chai';
import { ownedProcesses } from '../../src/runtime/local/owner.ts';
import { runCli } from '../helpers/cli.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { waitFor } from '../helpers/wait.ts';

/** The CLI as a child with its own state folder, its output kept as it comes. */
function cli(args: string[], stateDir: string): { child: ChildProcess; stderr: () => string } {
  const child = spawn(process.execPath, ['bin/session-chaos.js', ...args], {
    env: { ...process.env, SESSION_CHAOS_STATE_DIR: stateDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  return { child, stderr: () => stderr };
}

const exitOf = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => child.once('exit', (code) => resolve(code)));

/** Every process the runner of a state folder started and that still runs. */
function leftRunning(stateDir: string): number[] {
  const owners = readdirSync(join(stateDir, 'owners')).filter((f) => f.endsWith('.pids'));
  return owners.flatMap((f) => ownedProcesses(f.replace(/\.pids$/, '')));
}

/** An experiment of one redis case under a little load, with the given faults. */
function experimentFile(dir: string, faults: object[]): string {
  const file = join(dir, 'signals.experiment.json');
  const experiment = {
    name: 'signals',
    strategies: ['redis'],
    workload: { browserUsers: 0, httpUsers: 2 },
    profiles: { quick: { durationS: 60 }, full: { durationS: 60 } },
    faults,
    expectations: { redis: [{ metric: 'ops', atLeast: 1 }] },
  };
  writeFileSync(file, JSON.stringify(experiment));
  return file;
}

describe('signals at any moment leave nothing running and a run folder report can rebuild', function () {
  this.timeout(120_000);

  it('up: a second Ctrl-C during teardown exits at once, and still stops every process', async () => {
    const stateDir = scratchDir('state');
    const { child, stderr } = cli(['up', 'redis', '--nodes', '2', '--json'], stateDir);
    const exited = exitOf(child);
    const first = await createInterface({ input: child.stdout as NodeJS.ReadableStream })
      [Symbol.asyncIterator]()
      .next();
    expect(JSON.parse(first.value as string)).to.have.property('lbUrl');
    try {
      expect(leftRunning(stateDir).length, 'the processes it started').to.be.above(3);
    } finally {
      child.kill('SIGINT');
    }
    // The second once the first is being handled (two signals sent at once may arrive as one).
    await waitFor('the teardown to begin', async () => stderr().includes('SIGINT: stopping'), 10_000);
    child.kill('SIGINT');
    expect(await exited).to.equal(130);
    expect(leftRunning(stateDir)).to.deep.equal([]);
  });

  it('run: SIGHUP after the terminal went away heals, stops, reports and exits 130', async () => {
    const stateDir = scratchDir('state');
    const out = scratchDir('signals');
    const file = experimentFile(out, [{ kind: 'store-down', target: 'store:any', at: 1, duration: 50 }]);
    const { child, stderr } = cli(['run', '--experiment', file, '--out', out], stateDir);
    const exited = exitOf(child);
    await waitFor('the store-down fault to act', async () => stderr().includes('store-down redis'), 60_000);
    // The terminal goes: every later write to it fails (EPIPE), and the hang-up follows.
    child.stdout?.destroy();
    child.stderr?.destroy();
    child.kill('SIGHUP');
    expect(await exited).to.equal(130);
    expect(leftRunning(stateDir)).to.deep.equal([]);
    const runDir = join(out, 'latest');
    const ledger = readFileSync(join(runDir, 'signals', 'redis', 'faults.jsonl'), 'utf8');
    expect(ledger).to.contain('"event":"healed"');
    const rebuilt = await runCli(['report', runDir]);
    expect(rebuilt.code, 'an interrupted run is incomplete').to.equal(1);
    expect(rebuilt.stdout).to.contain('INCOMPLETE run: the run was interrupted');
  });

  it('run: Ctrl-C while a fault is still acting (a scale-in draining its node) waits for it, heals it, stops', async () => {
    const stateDir = scratchDir('state');
    const out = scratchDir('signals');
    const file = experimentFile(out, [{ kind: 'scale-in', target: 'app:app-2', at: 1, duration: 30 }]);
    const { child, stderr } = cli(['run', '--experiment', file, '--out', out], stateDir);
    const exited = exitOf(child);
    // Written to the ledger and the terminal before the node drains for 2 s: the signal lands mid-injection.
    await waitFor('the scale-in to begin', async () => stderr().includes('scale-in app-2'), 60_000);
    child.kill('SIGINT');
    expect(await exited).to.equal(130);
    expect(leftRunning(stateDir)).to.deep.equal([]);
    const summary = JSON.parse(readFileSync(join(out, 'latest', 'summary.json'), 'utf8'));
    const [fault] = summary.results[0].faults;
    expect(fault).to.include({ kind: 'scale-in', target: 'app-2', status: 'healed' });
    expect(fault.injectedAt, 'the heal waited for the drain').to.be.at.most(fault.healedAt);
    expect((await runCli(['report', join(out, 'latest')])).code).to.equal(1);
  });
});
