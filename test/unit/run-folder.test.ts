/** Run folders: one of its own per run, cases read back even when torn, case timing per phase, and incomplete
 * runs marked INCOMPLETE and never passing. */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { incompleteness, type RunInfo, runPassed } from '../../src/model/run.ts';
import { summaryTable } from '../../src/report/terminal.ts';
import { CaseTimer } from '../../src/run/case-timing.ts';
import { checkRun } from '../../src/run/check-run.ts';
import {
  createRunDir,
  readCaseRecords,
  runId,
  writeCaseRecord,
  writeJson,
} from '../../src/run/run-folder.ts';
import { scratchDir } from '../helpers/scratch.ts';

describe('run folders', () => {
  it('gives runs that start in the same second folders of their own', () => {
    const out = scratchDir('runs');
    const at = new Date('2026-11-25T22:15:30.123Z');
    const dirs = [createRunDir(out, at), createRunDir(out, at), createRunDir(out, at)];
    expect(runId(at)).to.equal('20261125-221530Z');
    expect(dirs.map((d) => d.slice(out.length + 1))).to.deep.equal([
      '20261125-221530Z',
      '20261125-221530Z-2',
      '20261125-221530Z-3',
    ]);
    expect(readdirSync(out).sort()).to.deep.equal([
      '20261125-221530Z',
      '20261125-221530Z-2',
      '20261125-221530Z-3',
    ]);
  });

  it('reads back every case; a torn or foreign case.json stands as an unknown case saying why', () => {
    const run = scratchDir('run');
    const good = {
      experiment: 'node-crash',
      strategy: 'redis',
      repeat: 0,
      durationS: 30,
      nodes: ['app-1'],
      expectations: [],
      dir: 'node-crash/redis',
      startedAt: '2026-11-26T00:00:00.000Z',
      completed: true,
    };
    writeCaseRecord(run, good);
    const put = (dir: string, text: string) => {
      mkdirSync(join(run, dir), { recursive: true });
      writeFileSync(join(run, dir, 'case.json'), text);
    };
    put('node-crash/sticky', '{"experiment": "node-cr');
    put('node-crash/none', JSON.stringify({ ...good, strategy: 'none', dir: '../../../etc' }));
    put(
      'node-crash/huge',
      JSON.stringify({ ...good, strategy: 'huge', dir: 'node-crash/huge', durationS: 1e12 }),
    );
    const records = readCaseRecords(run);
    expect(records.find((r) => r.strategy === 'redis')).to.deep.equal(good);
    const error = (strategy: string) => records.find((r) => r.strategy === strategy)?.error ?? '';
    expect(error('sticky')).to.match(/node-crash\/sticky\/case\.json: .*JSON/);
    expect(error('none')).to.match(
      /case\.json: dir must be a folder inside the run folder, got "\.\.\/\.\.\/\.\.\/etc"$/,
    );
    expect(error('huge')).to.match(
      /case\.json: durationS must be between 0 and 604800 s, got 1000000000000$/,
    );
    expect(readdirSync(join(run, 'node-crash', 'redis'))).to.deep.equal(['case.json']);
  });
});

describe('case timing', () => {
  it('adds up each phase it entered, in seconds, and measures the event loop only during the workload', () => {
    const timer = new CaseTimer();
    timer.enter('start');
    timer.enter('open-users');
    const before = timer.timing();
    expect(Object.keys(before.phasesS)).to.deep.equal(['start', 'open-users']);
    expect(Object.values(before.phasesS).every((s) => s >= 0)).to.equal(true);
    expect(before.eventLoopLagMs, 'no workload yet').to.deep.equal({});
  });
});

describe('incomplete runs', () => {
  const planned = (strategy: string) => ({
    experiment: 'node-crash',
    strategy,
    repeat: 0,
    dir: `node-crash/${strategy}`,
  });
  const info = (extra: Partial<RunInfo>): RunInfo => ({
    schema: 1,
    runtime: 'local',
    startedAt: '2026-11-26T00:00:00.000Z',
    finishedAt: '2026-11-26T00:01:00.000Z',
    seed: 1,
    profile: 'quick',
    command: 'session-chaos run',
    planned: [planned('redis'), planned('sticky')],
    ...extra,
  });

  it('a run that never ended, was interrupted or lacks a planned case is incomplete, and never passes', () => {
    expect(incompleteness(info({}), ['node-crash/redis', 'node-crash/sticky'])).to.equal(null);
    expect(incompleteness(info({ finishedAt: null }), ['node-crash/redis'])).to.deep.equal({
      reasons: ['the run never ended: its runner stopped mid-run', '1 of 2 planned cases never started'],
      missingCases: ['node-crash/sticky'],
    });
    expect(
      incompleteness(info({ interrupted: true }), ['node-crash/redis', 'node-crash/sticky']),
    ).to.deep.equal({ reasons: ['the run was interrupted (Ctrl-C or a signal)'], missingCases: [] });
    // A run folder from before cases were planned is judged by its end alone.
    expect(incompleteness(info({ planned: undefined }), [])).to.equal(null);
  });

  it('checking a run folder cut short says INCOMPLETE in the summary, the terminal and the report', async () => {
    const run = scratchDir('run');
    writeJson(join(run, 'run.json'), info({ finishedAt: null }));
    writeCaseRecord(run, {
      experiment: 'node-crash',
      strategy: 'redis',
      repeat: 0,
      durationS: 1,
      nodes: ['app-1'],
      expectations: [{ metric: 'logouts', equals: 0 }],
      dir: 'node-crash/redis',
      startedAt: '2026-11-26T00:00:01.000Z',
      completed: true,
    });
    writeFileSync(join(run, 'node-crash/redis/history.jsonl'), '');
    const { summary } = await checkRun(run);
    expect(summary.results.map((r) => r.verdict)).to.deep.equal(['pass']);
    expect(summary.finishedAt).to.equal(null);
    expect(summary.incomplete?.missingCases).to.deep.equal(['node-crash/sticky']);
    expect(runPassed(summary)).to.equal(false);
    expect(summaryTable(summary)).to.contain(
      'INCOMPLETE run: the run never ended: its runner stopped mid-run; 1 of 2 planned cases never started',
    );
    const html = readFileSync(join(run, 'index.html'), 'utf8');
    expect(html).to.contain('<span class="badge big unknown">incomplete</span>');
    expect(html).to.contain('Never started: <code>node-crash/sticky</code>');
  });
});
