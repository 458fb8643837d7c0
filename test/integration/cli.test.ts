import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect } from 'chai';
import { ownedProcesses } from '../../src/runtime/local/owner.ts';
import { runCli } from '../helpers/cli.ts';
import { running } from '../helpers/processes.ts';

describe('the session-chaos command', function () {
  this.timeout(60_000);
  const out = mkdtempSync(join(tmpdir(), 'sc-cli-'));

  const badInputs: [string, string[], string][] = [
    [
      'an unknown strategy',
      ['run', '--strategy', 'redsi', '--out', out],
      'session-chaos: --strategy "redsi": use one of none, sticky, redis\n',
    ],
    [
      'an unknown profile',
      ['run', '--profile', 'slow', '--out', out],
      'session-chaos: --profile "slow": use one of quick, full\n',
    ],
    [
      'a bad repeat count',
      ['run', '--repeat', '0', '--out', out],
      'session-chaos: --repeat "0": must be a whole number ≥ 1, e.g. --repeat 3\n',
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

  it('validate names the file and field of a broken experiment', async () => {
    const file = join(out, 'broken.experiment.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'broken',
        strategies: ['sticky'],
        workload: { browserUsers: 0, httpUsers: 1 },
        profiles: { quick: { durationS: 10 }, full: { durationS: 20 } },
        faults: [{ kind: 'kill-node', target: 'app:busiest', at: 12, duration: 1 }],
      }),
    );
    const result = await runCli(['validate', file]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.match(
      /broken\.experiment\.json: faults\[0\]: ends at 13 s, after the workload's 10 s; start it earlier or shorten it\n$/,
    );
  });

  it('validate accepts the built-in experiment', async () => {
    const result = await runCli(['validate', 'experiments/node-crash.experiment.ts']);
    expect(result.code).to.equal(0);
    expect(result.stdout).to.contain('experiments/node-crash.experiment.ts [quick]: ok');
  });

  it('doctor lists every dependency with its status', async () => {
    const result = await runCli(['doctor', '--json']);
    const { findings } = JSON.parse(result.stdout) as { findings: { name: string; found: boolean }[] };
    expect(findings.map((f) => f.name)).to.include.members([
      'node',
      'haproxy',
      'redis-server',
      'chromium',
      'toxiproxy',
    ]);
    expect(result.code).to.equal(findings.every((f) => f.found) ? 0 : 3);
  });

  it('run on Ctrl-C heals, stops the cluster, still writes the report, exits 130 and leaves nothing running', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'sc-state-'));
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
    while (!stderr.includes('store-down redis')) await new Promise((r) => setTimeout(r, 100));
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
    expect(ownedProcesses(owner)).to.deep.equal([]);
    expect(started.filter(running)).to.deep.equal([]);
  });

  it('up starts a cluster, prints its addresses, and tears it down on Ctrl-C', async () => {
    const child = spawn(
      process.execPath,
      ['bin/session-chaos.js', 'up', 'sticky', '--nodes', '2', '--json'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const first = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
    const { lbUrl, addresses } = JSON.parse(first.value as string) as {
      lbUrl: string;
      addresses: Record<string, string>;
    };
    expect(Object.keys(addresses)).to.include.members(['lb', 'app-1', 'app-2', 'haproxy stats', 'logs']);
    expect((await fetch(`${lbUrl}/login`)).status).to.equal(200);
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).to.equal(0);
    const refused = await fetch(`${lbUrl}/login`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(refused).to.equal('refused');
  });
});
