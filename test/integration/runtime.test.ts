import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect } from 'chai';
import { ownedProcesses, reapLeftovers } from '../../src/runtime/local/owner.ts';
import { ManagedProcess } from '../../src/runtime/local/process.ts';
import { httpOk } from '../../src/runtime/probes.ts';
import { waitUntilReady } from '../../src/runtime/readiness.ts';
import { running } from '../helpers/processes.ts';

const scratch = (): string => mkdtempSync(join(tmpdir(), 'sc-runtime-'));

describe('local runtime: readiness and cleanup', function () {
  this.timeout(60_000);

  it('names the condition that never came true and the last attempt', async () => {
    const readiness = httpOk('app-9', 'http://127.0.0.1:9/healthz');
    const error = await waitUntilReady(readiness, { timeoutMs: 300 }).catch((e: Error) => e);
    expect((error as Error).message).to.equal(
      'app-9 answers GET http://127.0.0.1:9/healthz with 200: not true after 0.3 s (last attempt: fetch failed)',
    );
  });

  it('says when the process died while starting, with the end of its log', async () => {
    const logFile = join(scratch(), 'dies.log');
    const process = ManagedProcess.start({
      id: 'dies',
      command: 'sh',
      args: ['-c', 'echo cannot bind; exit 4'],
      logFile,
    });
    await process.exited;
    const readiness = httpOk('dies', 'http://127.0.0.1:9/healthz');
    const error = await waitUntilReady(readiness, {
      timeoutMs: 5000,
      exited: () => process.exit,
      hint: ' (see log)',
    }).catch((e: Error) => e);
    expect((error as Error).message).to.equal(
      'dies answers GET http://127.0.0.1:9/healthz with 200: never came true, the process exited with code 4 (see log)',
    );
  });

  it('reaps what a SIGKILLed runner left running, on the next start', async () => {
    const stateDir = scratch();
    const runner = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/runner-to-kill.ts'], {
      env: { ...process.env, SESSION_CHAOS_STATE_DIR: stateDir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = await createInterface({ input: runner.stdout })
      [Symbol.asyncIterator]()
      .next()
      .then((r) => [r.value as string]);
    const { owner, lbUrl } = JSON.parse(line ?? '{}') as { owner: string; lbUrl: string };
    runner.kill('SIGKILL');
    await new Promise((resolve) => runner.once('exit', resolve));
    const previous = process.env.SESSION_CHAOS_STATE_DIR;
    process.env.SESSION_CHAOS_STATE_DIR = stateDir;
    try {
      const left = ownedProcesses(owner);
      expect(left.length, 'haproxy, 2 app nodes, redis and toxiproxy outlive the runner').to.equal(5);
      expect((await fetch(`${lbUrl}/healthz`)).status).to.equal(200);
      const reaped = reapLeftovers();
      expect(reaped).to.deep.equal({ owners: [owner], processes: 5 });
      for (let i = 0; i < 50 && left.some(running); i += 1) await new Promise((r) => setTimeout(r, 20));
      expect(left.filter(running)).to.deep.equal([]);
    } finally {
      reapLeftovers(); // a failed assertion above must not leave the cluster behind
      process.env.SESSION_CHAOS_STATE_DIR = previous;
    }
  });
});
