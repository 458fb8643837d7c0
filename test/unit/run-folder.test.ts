import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createRunDir, runId } from '../../src/run/run-folder.ts';

describe('run folders', () => {
  it('gives runs that start in the same second folders of their own', () => {
    const out = mkdtempSync(join(tmpdir(), 'sc-runs-'));
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
});
