/** The CI workflow's steps run locally: a matrix split into shards, merged back into the unsharded run,
 * compared with a baseline and followed as trends; a missing or foreign shard is caught. */
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { CaseRecord } from '../../src/model/case.ts';
import type { RunSummary } from '../../src/model/run.ts';
import { runCli } from '../helpers/cli.ts';
import { scratchDir } from '../helpers/scratch.ts';

/**
 * What `.github/workflows/chaos.yml` runs, here: the smoke matrix as 3 shards with one seed, merged, compared
 * with a baseline (the same matrix unsharded: "last night's run"), trends from it. GitHub Actions cannot run
 * on this machine; every command its jobs call does.
 */
const SEED = '4242';
const MATRIX = ['--profile', 'smoke', '--seed', SEED];

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/** What the seed decides of each case: its plan, not what the cluster did. */
function seeded(runDir: string): unknown[] {
  const summary = readJson<RunSummary>(join(runDir, 'summary.json'));
  return summary.results
    .map((r) => {
      const record = readJson<CaseRecord>(join(runDir, r.dir, 'case.json'));
      const { experiment, strategy, repeat, seed, durationS, nodes, plannedFaults } = record;
      const expectations = r.expectations.map((e) => e.name);
      return {
        dir: r.dir,
        experiment,
        strategy,
        repeat,
        seed,
        durationS,
        nodes,
        plannedFaults,
        users: r.users,
        expectations,
      };
    })
    .sort((a, b) => a.dir.localeCompare(b.dir));
}

async function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string }> {
  const result = await runCli(args, env);
  if (result.code !== 0)
    process.stderr.write(
      `${args.join(' ')} → ${result.code}\n${result.stderr.slice(-2000)}${result.stdout.slice(-2000)}`,
    );
  return result;
}

describe('CI steps, here: shards, merge, compare, trends', function () {
  this.timeout(900_000);
  const shardDirs: string[] = [];
  let [root, baselineOut, merged, jobSummary, baseline] = ['', '', '', '', ''];

  before(async () => {
    root = scratchDir('ci-steps');
    [baselineOut, merged, jobSummary] = ['baseline', 'merged', 'step-summary.md'].map((f) =>
      join(root, f),
    ) as [string, string, string];
    expect((await run(['run', ...MATRIX, '--out', baselineOut])).code, 'the unsharded run').to.equal(0);
    baseline = realpathSync(join(baselineOut, 'latest'));
    for (const i of [1, 2, 3]) {
      const out = join(root, `shard-${i}`);
      const shard = await run(['run', ...MATRIX, '--shard', `${i}/3`, '--out', out]);
      expect(shard.code, `shard ${i}`).to.equal(0);
      shardDirs.push(realpathSync(join(out, 'latest')));
    }
  });

  it('runs each case of the matrix in exactly one shard, recording the shard and its matrix', () => {
    const infos = shardDirs.map((d) =>
      readJson<{ shard: unknown; matrix: { seed: number; cases: unknown[] }; planned: unknown[] }>(
        join(d, 'run.json'),
      ),
    );
    expect(infos.map((i) => i.shard)).to.deep.equal([1, 2, 3].map((index) => ({ index, count: 3 })));
    expect(infos.map((i) => i.planned.length)).to.deep.equal([1, 1, 1]);
    expect(infos.every((i) => i.matrix.seed === Number(SEED) && i.matrix.cases.length === 3)).to.equal(true);
  });

  it('merges the shards into the same cases, with the same seeded plan, as the unsharded run', async () => {
    const env = { GITHUB_STEP_SUMMARY: jobSummary };
    writeFileSync(jobSummary, '');
    const result = await run(
      [
        'merge',
        ...shardDirs,
        '--out',
        merged,
        '--baseline',
        baseline,
        '--history',
        baselineOut,
        '--report-only',
      ],
      env,
    );
    expect(result.code).to.equal(0);
    expect(seeded(merged)).to.deep.equal(seeded(baseline));
    const summary = readJson<RunSummary>(join(merged, 'summary.json'));
    expect([summary.incomplete, summary.results.length]).to.deep.equal([null, 3]);
    expect(readFileSync(join(merged, 'junit.xml'), 'utf8').match(/<testcase /g)?.length).to.be.at.least(3);
  });

  it('compares the merged run with the baseline: a table, the job summary, the report, trends', async () => {
    const summary = readJson<RunSummary>(join(merged, 'summary.json'));
    expect(summary.sinceBaseline?.cases.map((c) => c.verdictChange)).to.deep.equal(['same', 'same', 'same']);
    expect(summary.trends?.map((t) => t.points.length)).to.deep.equal([2, 2, 2]);
    expect(readFileSync(jobSummary, 'utf8')).to.contain('### Since the baseline');
    const html = readFileSync(join(merged, 'index.html'), 'utf8');
    expect(html).to.contain('id="since-baseline"').and.contain('id="trends"');
    const compare = await run(['compare', baseline, merged]);
    expect(compare.stdout).to.match(/since the baseline/);
    expect(compare.code, 'exit 1 exactly when a case got worse').to.equal(
      summary.sinceBaseline?.regressions ? 1 : 0,
    );
  });

  it('marks a merge with a shard missing incomplete (exit 1), and refuses shards of another matrix (exit 2)', async () => {
    const partial = await run([
      'merge',
      shardDirs[0] ?? '',
      shardDirs[2] ?? '',
      '--out',
      join(root, 'partial'),
    ]);
    expect(partial.code).to.equal(1);
    expect(partial.stdout).to.contain('INCOMPLETE run: shard 2 of 3 is missing');
    const otherInfo = join(shardDirs[1] ?? '', 'run.json');
    const info = readJson<{ matrix: { seed: number } }>(otherInfo);
    writeFileSync(otherInfo, JSON.stringify({ ...info, matrix: { ...info.matrix, seed: 1 } }));
    const refused = await runCli(['merge', ...shardDirs, '--out', join(root, 'refused')]);
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.match(
      /seed is 1 but .* has 4242; shards of different matrices cannot be merged/,
    );
  });
});
