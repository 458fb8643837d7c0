/** The local runtime's process layer: readiness errors, memory measured per service, niceness, a child's
 * environment kept minimal, and reaping what a SIGKILLed runner left behind. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect } from 'chai';
import { launchBrowser } from '../../src/runtime/browser.ts';
import { claimOwner, ownedProcesses, processesOf, reapLeftovers } from '../../src/runtime/local/owner.ts';
import { ManagedProcess, treeMemoryMb } from '../../src/runtime/local/process.ts';
import { homesOf } from '../../src/runtime/local/service-home.ts';
import { runAhead } from '../../src/runtime/priority.ts';
import { httpOk } from '../../src/runtime/probes.ts';
import { waitUntilReady } from '../../src/runtime/readiness.ts';
import { AppClient } from '../../src/workload/http/app-client.ts';
import { startCluster } from '../helpers/cluster.ts';
import { running } from '../helpers/processes.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { waitFor } from '../helpers/wait.ts';

/** The environment a process was started with, from /proc. */
function environOf(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').filter(Boolean);
  return Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

const scratch = (): string => scratchDir('runtime');

describe('local runtime: readiness and cleanup', function () {
  this.timeout(60_000);

  it("measures a service's memory with its descendants, and nothing for a process that is gone", async () => {
    const shell = spawn('sh', ['-c', `${process.execPath} -e "setTimeout(() => {}, 30000)" & wait`]);
    let child = 0;
    try {
      const pid = shell.pid as number;
      const children = () => readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
      await waitFor('the shell to start node', async () => children() !== '', 5000);
      child = Number(children());
      const rssMb = (p: number) =>
        Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1]) / 1024;
      await waitFor('node to load', async () => rssMb(child) > 20, 5000);
      expect(treeMemoryMb(pid)).to.be.closeTo(rssMb(pid) + rssMb(child), 2);
    } finally {
      if (child > 0) process.kill(child, 'SIGKILL');
      shell.kill('SIGKILL');
    }
    expect(treeMemoryMb(2 ** 22 + 1)).to.equal(0);
  });

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
      hint: () => ' (see log)',
    }).catch((e: Error) => e);
    expect((error as Error).message).to.equal(
      'dies answers GET http://127.0.0.1:9/healthz with 200: never came true, the process exited with code 4 (see log)',
    );
  });

  it("weighs Chromium's session below the runner's, as a service's", async function () {
    if (!existsSync('/proc/self/autogroup')) {
      console.log('    SKIPPED: this kernel has no autogroups, so sessions are not weighed');
      this.skip();
    }
    const browser = await launchBrowser();
    try {
      const children = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8')
        .trim()
        .split(' ');
      const chromium = children.filter((pid) =>
        readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('chrom'),
      );
      expect(chromium).to.have.length(1);
      expect(readFileSync(`/proc/${chromium[0]}/autogroup`, 'utf8')).to.match(/ nice 10$/m);
    } finally {
      await browser.close();
    }
  });

  it('runs ahead of the cluster during a workload, and starts processes meanwhile at its own niceness', async () => {
    const base = getPriority();
    // With autogroups the kernel shares the CPU between sessions first: a service's session yields to the runner's.
    const groupNice = (pid: number | 'self') =>
      existsSync(`/proc/${pid}/autogroup`)
        ? readFileSync(`/proc/${pid}/autogroup`, 'utf8').match(/nice (-?\d+)/)?.[1]
        : undefined;
    const runnerGroup = groupNice('self');
    const raised = process.getuid?.() === 0 ? 10 : 0; // root (or CAP_SYS_NICE) may raise; anyone else keeps it
    const restore = runAhead();
    const logFile = join(scratch(), 'nice.log');
    const child = ManagedProcess.start({ id: 'nice', command: 'sleep', args: ['30'], logFile });
    const pid = child.child.pid as number;
    try {
      expect(getPriority()).to.equal(base - raised);
      // Started through `nice` while the runner runs ahead: read once it has become `sleep`.
      await waitFor(
        'the child to exec sleep',
        async () => readFileSync(`/proc/${pid}/comm`, 'utf8') === 'sleep\n',
      );
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      expect(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16], "the child's niceness").to.equal(
        String(base),
      );
      // A service runs in a session of its own, so in an autogroup of its own, weighed below the runner's.
      if (runnerGroup !== undefined) expect(groupNice(pid), "the child's autogroup").to.equal('10');
    } finally {
      restore();
      await child.kill();
    }
    expect(getPriority(), 'put back').to.equal(base);
    expect(groupNice('self'), "the runner's own session is left alone").to.equal(runnerGroup);
  });

  it('gives each child only PATH, HOME, LANG, TMPDIR and what its kind sets: nothing else leaks from the shell', async () => {
    const leaks = { STORE_TIMEOUT_MS: '1', NODE_OPTIONS: '--max-old-space-size=16', SESSION_SECRET: 'mine' };
    Object.assign(process.env, leaks);
    const cluster = await startCluster('redis', { appNodes: 2 }).finally(() => {
      for (const name of Object.keys(leaks)) delete process.env[name];
    });
    try {
      const apps = processesOf(claimOwner()).filter((pid) =>
        readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('app-node-server-'),
      );
      expect(apps.length, 'two app nodes of this cluster (and of no other)').to.be.at.least(2);
      for (const pid of apps) {
        const names = Object.keys(environOf(pid)).sort();
        const allowed = [
          'HOME',
          'HOST',
          'LANG',
          'NODE_ID',
          'PATH',
          'PORT',
          'SESSION_CHAOS_OWNER',
          'SESSION_STORE',
        ];
        expect(
          names.filter((n) => ![...allowed, 'STORE_URL', 'TMPDIR'].includes(n)),
          `pid ${pid}`,
        ).to.deep.equal([]);
      }
      // With STORE_TIMEOUT_MS=1 every store command would time out: the app answers because it never saw it.
      const login = await new AppClient(cluster.lbUrl).request('/login', {
        json: { username: 'u', password: 'p' },
      });
      expect(login.status).to.equal(200);
    } finally {
      await cluster.stop();
    }
  });

  it('reaps what a SIGKILLed runner left running, on the next start, and the homes its services dropped root in', async () => {
    const stateDir = scratch();
    const runner = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/helpers/runner-to-kill.ts', 'local', 'wait', scratch(), 'mysql'],
      {
        env: { ...process.env, SESSION_CHAOS_STATE_DIR: stateDir },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
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
      expect(left.length, 'haproxy, 2 app nodes, mariadb and toxiproxy outlive the runner').to.equal(5);
      expect((await fetch(`${lbUrl}/healthz`)).status).to.equal(200);
      const asRoot = process.getuid?.() === 0;
      expect(existsSync(homesOf(owner)), "MariaDB's home, as root").to.equal(asRoot);
      const reaped = reapLeftovers();
      expect(reaped).to.deep.equal({ owners: [owner], processes: 5 });
      for (let i = 0; i < 50 && left.some(running); i += 1) await new Promise((r) => setTimeout(r, 20));
      expect(left.filter(running)).to.deep.equal([]);
      expect(existsSync(homesOf(owner)), 'its home is reaped with it').to.equal(false);
    } finally {
      reapLeftovers(); // a failed assertion above must not leave the cluster behind
      // Assigning undefined would set the string "undefined": later tests would use ./undefined.
      if (previous === undefined) delete process.env.SESSION_CHAOS_STATE_DIR;
      else process.env.SESSION_CHAOS_STATE_DIR = previous;
    }
  });
});
