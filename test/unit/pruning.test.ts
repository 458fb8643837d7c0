/** Disk use stays bounded: older run folders are pruned down to their summary and report, and code bundles no
 * runner used for a day are removed. */
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { PRUNED_FILE, pruneRuns } from '../../src/run/prune-runs.ts';
import { ROOT } from '../../src/runtime/host.ts';
import { compiled } from '../../src/runtime/local/compiled.ts';
import { scratchDir } from '../helpers/scratch.ts';

/** A run folder with one case: a history, a log and the run's own files. */
function runFolder(out: string, id: string): string {
  const dir = join(out, id);
  mkdirSync(join(dir, 'node-crash', 'sticky', 'logs'), { recursive: true });
  writeFileSync(join(dir, 'run.json'), '{}');
  writeFileSync(join(dir, 'summary.json'), '{"results":[]}');
  writeFileSync(join(dir, 'index.html'), '<html></html>');
  writeFileSync(join(dir, 'node-crash', 'sticky', 'history.jsonl'), 'x'.repeat(1000));
  return dir;
}

describe('what the suite leaves on disk stays bounded', () => {
  it('older run folders lose their cases but keep their summary and report; the newest stay whole', () => {
    const out = scratchDir('prune');
    const ids = ['20261201-100000Z', '20261202-100000Z', '20261202-100000Z-2', '20261203-100000Z'];
    for (const id of ids) runFolder(out, id);
    mkdirSync(join(out, 'not-a-run'));
    const { pruned, freedBytes } = pruneRuns(out, 2);
    expect(pruned).to.deep.equal(['20261201-100000Z', '20261202-100000Z']);
    expect(freedBytes).to.equal(2000);
    const [old, kept] = [join(out, '20261201-100000Z'), join(out, '20261203-100000Z')];
    expect(existsSync(join(old, 'node-crash')), 'its cases').to.equal(false);
    expect(readFileSync(join(old, 'summary.json'), 'utf8')).to.equal('{"results":[]}');
    expect(existsSync(join(old, 'index.html'))).to.equal(true);
    expect(readFileSync(join(old, PRUNED_FILE), 'utf8')).to.contain('--keep-runs');
    expect(existsSync(join(kept, 'node-crash', 'sticky', 'history.jsonl'))).to.equal(true);
    expect(existsSync(join(out, 'not-a-run'))).to.equal(true);
    expect(pruneRuns(out, 2).pruned, 'a pruned folder is not pruned again').to.deep.equal([]);
  });

  it('bundles of code no runner has run for a day are removed when a new one is built', () => {
    const dir = join(ROOT, '.session-chaos', 'compiled');
    mkdirSync(dir, { recursive: true });
    const [stale, recent] = ['0000000000000000', '1111111111111111'].map((h) =>
      join(dir, `toxiproxy-server-main-${h}.mjs`),
    ) as [string, string];
    writeFileSync(stale, '');
    writeFileSync(recent, '');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    utimesSync(stale, twoDaysAgo, twoDaysAgo);
    try {
      const current = compiled(join(ROOT, 'toxiproxy-server', 'main.ts'));
      expect(existsSync(current)).to.equal(true);
      expect(existsSync(stale), 'unused for two days').to.equal(false);
      expect(existsSync(recent), 'used an hour ago, perhaps by a runner still going').to.equal(true);
    } finally {
      for (const file of [stale, recent]) rmSync(file, { force: true });
    }
  });
});
