import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { CaseTimer } from '../../src/run/case-timing.ts';
import { createRunDir, readCaseRecords, runId, writeCaseRecord } from '../../src/run/run-folder.ts';
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
