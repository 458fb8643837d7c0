/** The session-chaos command as users run it: bad input refused with exit 2, validate, list, doctor, state
 * folders, concurrent runs, Ctrl-C, case deadlines, and up with and without faults. */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect } from 'chai';
import { ownedProcesses } from '../../src/runtime/local/owner.ts';
import { STRATEGY_NAMES } from '../../src/strategies/strategies.ts';
import { runCli } from '../helpers/cli.ts';
import { running } from '../helpers/processes.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { waitFor } from '../helpers/wait.ts';

describe('the session-chaos command', function () {
  this.timeout(60_000);
  const out = scratchDir('cli');

  const badInputs: [string, string[], string][] = [
    [
      'an unknown strategy',
      ['run', '--strategy', 'redsi', '--out', out],
      `session-chaos: --strategy "redsi": use one of ${STRATEGY_NAMES.join(', ')} (a replicating one may add :sync or :async)\n`,
    ],
    [
      'an unknown profile',
      ['run', '--profile', 'slow', '--out', out],
      'session-chaos: --profile "slow": use one of smoke, quick, full\n',
    ],
    [
      'a bad repeat count',
      ['run', '--repeat', '0', '--out', out],
      'session-chaos: --repeat "0": must be a whole number ≥ 1, e.g. --repeat 3\n',
    ],
    [
      'an unknown trace mode',
      ['run', '--trace', 'failures', '--out', out],
      'session-chaos: --trace "failures": use one of all, anomalies, off\n',
    ],
    [
      'an unknown flag',
      ['run', '--strategies', 'none'],
      "session-chaos: run: Unknown option '--strategies'; see 'session-chaos help'\n",
    ],
    [
      'an unknown experiment',
      ['run', '--experiment', 'nope', '--out', out],
      /^session-chaos: nope: \(experiment\): no such experiment; use one of: .*node-crash/,
    ],
    ['an unknown command', ['fly'], /^session-chaos: unknown command "fly"; the commands are: run, report/],
    [
      'an unknown runtime',
      ['run', '--runtime', 'k8s', '--out', out],
      'session-chaos: --runtime "k8s": use one of local, docker\n',
    ],
    [
      'an app command on containers',
      ['run', '--runtime', 'docker', '--app', 'node app.js --port {port}', '--out', out],
      "session-chaos: --app: your app's command runs on this machine, not in a container image; use --runtime local, or --app-image\n",
    ],
    [
      "the reference app's own strategy with an app command",
      ['run', '--app', 'node app.js', '--strategy', 'redis-atomic', '--out', out],
      "session-chaos: --strategy redis-atomic: the reference app's own fix (it appends items in Redis by a script), which your app does not run; choose another strategy, e.g. --strategy redis\n",
    ],
    [
      'an app image on the local runtime',
      ['run', '--app-image', 'my-app:dev', '--out', out],
      'session-chaos: --app-image: an app image runs on the container runtime; add --runtime docker\n',
    ],
    [
      'both an app command and an app image',
      ['run', '--app', 'node app.js', '--app-image', 'my-app:dev', '--out', out],
      'session-chaos: --app and --app-image: give one of them, a command (local), an image (docker) or a webapp (Tomcat)\n',
    ],
    [
      'check-app with a strategy but no app to start',
      ['check-app', 'http://127.0.0.1:1', '--strategy', 'redis'],
      'session-chaos: check-app --strategy: only with --app, --app-image or --webapp, which start the app\n',
    ],
    [
      'check-app starting an app in a strategy of Tomcat',
      ['check-app', '--app', 'node app.js', '--strategy', 'all-to-all'],
      /^session-chaos: check-app --strategy all-to-all: name a strategy that runs an app of yours: none, sticky, redis/,
    ],
    [
      'an app command with an unknown placeholder',
      ['run', '--app', 'node app.js --port {prot}', '--out', out],
      'session-chaos: --app: {prot} is not a placeholder; use {nodeId}, {host}, {port}, {storeKind}, {storeUrl}, {dataDir}\n',
    ],
    [
      'a shard that is not INDEX/COUNT',
      ['run', '--shard', '4/3', '--seed', '1', '--out', out],
      /^session-chaos: --shard "4\/3": give INDEX\/COUNT with 1 ≤ INDEX ≤ COUNT/,
    ],
    [
      'a shard without a seed',
      ['run', '--shard', '1/3', '--out', out],
      'session-chaos: --shard: give every shard of a matrix the same --seed, e.g. --seed 42 --shard 1/3\n',
    ],
    [
      'a baseline that is not a run folder',
      ['run', '--baseline', out, '--out', out],
      /^session-chaos: --baseline .*: .* has no summary\.json: give a run folder that was reported\n$/,
    ],
    ['a comparison of one folder', ['compare', out], /^session-chaos: compare: name two run folders/],
    [
      'a merge without --out',
      ['merge', out],
      /^session-chaos: merge: name the shard run folders and a new folder/,
    ],
  ] as never;
  for (const [what, args, message] of badInputs) {
    it(`rejects ${what} with exit code 2 and starts nothing`, async () => {
      const result = await runCli(args);
      expect(result.code).to.equal(2);
      if (typeof message === 'string') expect(result.stderr).to.equal(message);
      else expect(result.stderr).to.match(message);
      expect(existsSync(join(out, 'latest')), 'no run folder').to.equal(false);
    });
  }

  it('exits 4 and names the bug when an error escapes every command (thrown from a callback)', async () => {
    // Preloaded: the first server to listen throws from a callback, once the command is running.
    const stray = join(out, 'stray-error.mjs');
    writeFileSync(
      stray,
      `import { Server } from 'node:net';
const listen = Server.prototype.listen;
Server.prototype.listen = function (...args) {
  setImmediate(() => { throw new Error('stray'); });
  return listen.apply(this, args);
};`,
    );
    const result = await runCli(['toxiproxy', '--port', '0'], { NODE_OPTIONS: `--import=${stray}` });
    expect(result.code, result.stderr).to.equal(4);
    expect(result.stderr).to.match(
      /internal error \(a bug in session-chaos; please report it\):\nError: stray/,
    );
  });

  it('validate names the file and field of a broken experiment', async () => {
    const file = join(out, 'broken.experiment.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'broken',
        strategies: ['sticky'],
        workload: { browserUsers: 0, httpUsers: 1 },
        profiles: { quick: { durationS: 10 }, full: { durationS: 20 } },
        faults: [{ kind: 'kill-node', target: 'app:busiest', at: 9, duration: 4 }],
      }),
    );
    const result = await runCli(['validate', file]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.match(
      /broken\.experiment\.json: faults\[0\]: ends at 13 s, after the workload's 10 s; start it earlier or shorten it\n$/,
    );
  });

  it("validate and list never start an experiment's app command", async () => {
    const marker = join(out, 'app-command-ran');
    const file = join(out, 'marked.experiment.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'marked',
        strategies: ['none'],
        app: { command: `touch ${marker}; sleep 60` },
        workload: { browserUsers: 0, httpUsers: 1 },
        profiles: { quick: { durationS: 10 }, full: { durationS: 20 } },
        faults: [],
      }),
    );
    expect((await runCli(['validate', file])).code).to.equal(0);
    expect((await runCli(['list'])).code).to.equal(0);
    expect(existsSync(marker), 'the app command ran').to.equal(false);
  });

  it('validate accepts the built-in experiment', async () => {
    const result = await runCli(['validate', 'experiments/node-crash.experiment.ts']);
    expect(result.code).to.equal(0);
    expect(result.stdout).to.contain('experiments/node-crash.experiment.ts [quick]: ok');
  });

  it('doctor finds every dependency npm test installed, and exits 0', async () => {
    const result = await runCli(['doctor', '--json']);
    const { findings } = JSON.parse(result.stdout) as { findings: { name: string; found: boolean }[] };
    const found = Object.fromEntries(findings.map((f) => [f.name, f.found]));
    for (const name of [
      'node',
      'npm packages',
      'haproxy',
      'redis-server',
      'chromium',
      'toxiproxy',
      'state folder',
    ])
      expect(found[name], name).to.equal(true);
    expect(result.code).to.equal(0);
  });

  it('doctor names what is missing, how to get it, and exits 3', async () => {
    const bin = scratchDir('bin');
    symlinkSync(process.execPath, join(bin, 'node'));
    const result = await runCli(['doctor'], { PATH: bin });
    expect(result.code).to.equal(3);
    expect(result.stdout).to.match(/haproxy +MISSING .*get it: apt-get install haproxy/);
    expect(result.stdout).to.match(/redis-server +MISSING .*get it: apt-get install redis-server/);
  });

  it('refuses a state folder others may write to, with exit 3, before starting anything', async () => {
    const stateDir = scratchDir('open-state');
    chmodSync(stateDir, 0o777);
    const result = await runCli(['run', '--out', join(out, 'refused')], {
      SESSION_CHAOS_STATE_DIR: stateDir,
    });
    expect(result.code).to.equal(3);
    expect(result.stderr).to.contain(
      `refusing the state folder ${stateDir}: group or others may write to it (mode 0777; it must be 0700)`,
    );
    expect(readdirSync(stateDir)).to.deep.equal([]);
    chownSync(stateDir, 65534, 65534);
    chmodSync(stateDir, 0o700);
    const foreign = await runCli(['run', '--out', join(out, 'refused')], {
      SESSION_CHAOS_STATE_DIR: stateDir,
    });
    expect(foreign.code).to.equal(3);
    expect(foreign.stderr).to.contain('it belongs to uid 65534, not to you');
  });

  it("two runs started at once get their own run folders and never write into each other's files", async () => {
    const file = join(out, 'tiny.experiment.json');
    const tiny = {
      name: 'tiny',
      strategies: ['redis'],
      cluster: { appNodes: 1 },
      workload: { browserUsers: 0, httpUsers: 2 },
      profiles: { quick: { durationS: 3 }, full: { durationS: 3 } },
      faults: [],
      expectations: { redis: [{ metric: 'ops', atLeast: 1 }] },
    };
    writeFileSync(file, JSON.stringify(tiny));
    const runsOut = join(out, 'together');
    const runs = await Promise.all(
      ['1', '2'].map((seed) => runCli(['run', '--experiment', file, '--out', runsOut, '--seed', seed])),
    );
    expect(runs.map((r) => r.code)).to.deep.equal([0, 0]);
    const dirs = readdirSync(runsOut).filter((d) => d !== 'latest');
    expect(dirs).to.have.length(2);
    const seeds = dirs.map((d) => JSON.parse(readFileSync(join(runsOut, d, 'run.json'), 'utf8')).seed);
    expect(seeds.sort()).to.deep.equal([1, 2]);
    for (const d of dirs) {
      const summary = JSON.parse(readFileSync(join(runsOut, d, 'summary.json'), 'utf8'));
      const lines = readFileSync(join(runsOut, d, 'tiny', 'redis', 'history.jsonl'), 'utf8')
        .trim()
        .split('\n');
      expect(lines.length, `${d}: its history holds exactly its own ops`).to.equal(summary.results[0].ops);
    }
  });

  it('run on Ctrl-C heals, stops the cluster, still writes the report, exits 130 and leaves nothing running', async () => {
    const stateDir = scratchDir('state');
    const file = join(out, 'short.experiment.json');
    const experiment = {
      name: 'short',
      strategies: ['redis'],
      workload: { browserUsers: 1, httpUsers: 2 },
      profiles: { quick: { durationS: 60 }, full: { durationS: 60 } },
      faults: [{ kind: 'store-down', target: 'store:any', at: 1, duration: 50 }],
    };
    writeFileSync(file, JSON.stringify(experiment));
    const runOut = join(out, 'interrupted');
    const child = spawn(
      process.execPath,
      ['bin/session-chaos.js', 'run', '--experiment', file, '--out', runOut],
      {
        env: { ...process.env, SESSION_CHAOS_STATE_DIR: stateDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    try {
      await waitFor('the store-down fault to act', async () => stderr.includes('store-down redis'), 60_000);
    } catch (error) {
      child.kill('SIGKILL'); // the next runner's start reaps what it had started
      throw error;
    }
    const [ownerFile] = readdirSync(join(stateDir, 'owners')).filter((f) => f.endsWith('.json'));
    const owner = (ownerFile ?? '').replace(/\.json$/, '');
    const started = readFileSync(join(stateDir, 'owners', `${owner}.pids`), 'utf8')
      .trim()
      .split('\n')
      .map((l) => Number(l.split(' ')[0]));
    expect(started.length, 'toxiproxy, redis, 3 app nodes, haproxy').to.equal(6);
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).to.equal(130);
    expect(stderr).to.contain('short/redis: interrupted before the workload finished');
    const summary = JSON.parse(readFileSync(join(runOut, 'latest', 'summary.json'), 'utf8'));
    expect(summary.results[0].faults[0].healedAt, 'the fault was healed').to.be.a('number');
    expect(summary.incomplete.reasons).to.deep.equal(['the run was interrupted (Ctrl-C or a signal)']);
    const rebuilt = await runCli(['report', join(runOut, 'latest')]);
    expect(rebuilt.code, 'report on an interrupted run').to.equal(1);
    expect(rebuilt.stdout).to.contain('INCOMPLETE run: the run was interrupted');
    expect(ownedProcesses(owner)).to.deep.equal([]);
    expect(started.filter(running)).to.deep.equal([]);
  });

  it('a case past its deadline ends as an infrastructure error naming where it hung; the run goes on', async () => {
    // A node that never answers users (test/fixtures/silent-app.mjs) where sessions are in memory, the
    // contract app where they are in Redis: the first case hangs, the second must still run.
    const file = join(out, 'hang.experiment.json');
    const silent = 'node test/fixtures/silent-app.mjs {nodeId} {port}';
    const working = 'node --import tsx test/fixtures/contract-app/server.ts --node {nodeId} --port {port}';
    const experiment = {
      name: 'hang',
      strategies: ['none', 'redis'],
      app: { command: `if [ {storeKind} = memory ]; then ${silent}; else ${working}; fi` },
      workload: { browserUsers: 0, httpUsers: 2 },
      profiles: { quick: { durationS: 3 }, full: { durationS: 3 } },
      faults: [],
      expectations: { redis: [{ metric: 'ops', atLeast: 1 }] },
    };
    writeFileSync(file, JSON.stringify(experiment));
    const runOut = join(out, 'deadline');
    const stateDir = scratchDir('state');
    const result = await runCli(['run', '--experiment', file, '--out', runOut], {
      SESSION_CHAOS_CASE_DEADLINE_S: '8',
      SESSION_CHAOS_STATE_DIR: stateDir,
    });
    expect(result.code, result.stderr.slice(-2000)).to.equal(3);
    expect(result.stdout).to.match(
      /infrastructure: hang\/none: the case did not finish within 8 s \(its deadline, from its profile\): it hung in the workload; its logs are in /,
    );
    const summary = JSON.parse(readFileSync(join(runOut, 'latest', 'summary.json'), 'utf8'));
    const [hung, next] = summary.results;
    expect(hung.verdict).to.equal('unknown');
    expect(next.strategy, 'the run went on').to.equal('redis');
    expect(next.ops).to.be.greaterThan(0);
    const [owner] = readdirSync(join(stateDir, 'owners')).filter((f) => f.endsWith('.json'));
    expect(ownedProcesses((owner ?? '').replace(/\.json$/, ''))).to.deep.equal([]);
  });

  it('up starts a cluster, prints its addresses, and tears it down on Ctrl-C', async () => {
    const child = spawn(
      process.execPath,
      ['bin/session-chaos.js', 'up', 'sticky', '--nodes', '2', '--json'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let lbUrl = '';
    try {
      const first = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
      const up = JSON.parse(first.value as string) as { lbUrl: string; addresses: Record<string, string> };
      lbUrl = up.lbUrl;
      expect(Object.keys(up.addresses)).to.include.members(['lb', 'app-1', 'app-2', 'haproxy stats', 'logs']);
      expect((await fetch(`${lbUrl}/login`)).status).to.equal(200);
    } finally {
      child.kill('SIGINT');
    }
    const code = await exited;
    expect(code).to.equal(0);
    const refused = await fetch(`${lbUrl}/login`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(refused).to.equal('refused');
  });

  it("up --faults runs an experiment's fault schedule against the cluster, in a ledger, and heals it on Ctrl-C", async () => {
    const ledger = join(out, 'up-faults.jsonl');
    const args = [
      'bin/session-chaos.js',
      'up',
      'redis',
      '--faults',
      'node-crash',
      '--ledger',
      ledger,
      '--json',
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const first = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
      const { lbUrl } = JSON.parse(first.value as string) as { lbUrl: string };
      // node-crash's quick profile kills the busiest node at 9.9 s; the cluster keeps serving meanwhile.
      await waitFor(
        'the kill in the ledger',
        async () => readFileSync(ledger, 'utf8').includes('"inject"'),
        20_000,
      );
      expect((await fetch(`${lbUrl}/login`)).status).to.equal(200);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited, stderr).to.equal(0);
    const events = readFileSync(ledger, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; kind?: string });
    expect(events[0]?.kind).to.equal('kill-node');
    expect(events.map((e) => e.event)).to.include.members(['inject', 'injected', 'healed']);
    expect(stderr).to.match(/⚡ .*kill-node/);
  });
});
