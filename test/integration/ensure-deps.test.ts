/** scripts/ensure-deps.js on a real Debian host as root: it installs a missing dependency and leaves a
 * service that was running still running. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { scratchDir } from '../helpers/scratch.ts';

const running = (service: string): boolean =>
  spawnSync('service', [service, 'status'], { stdio: 'ignore' }).status === 0;

/** ensure-deps installs with apt-get: only as root on Debian, where the suite's CI runs. */
describe('ensure-deps on this machine', function () {
  this.timeout(300_000);

  it('installs what is missing, and leaves running a service that ran before it', function () {
    if (process.getuid?.() !== 0 || spawnSync('apt-get', ['--version']).status !== 0) this.skip();
    // A package that is surely missing: removed first, so that ensure-deps installs it.
    spawnSync('apt-get', ['remove', '-y', '-q', 'hello'], { stdio: 'ignore' });
    const list = join(scratchDir('deps'), 'dependencies.json');
    const hello = {
      name: 'hello',
      command: 'hello',
      versionArgs: ['--version'],
      apt: 'hello',
      for: 'this test',
    };
    writeFileSync(list, JSON.stringify([hello]));
    const ranBefore = running('redis-server');
    if (!ranBefore) spawnSync('service', ['redis-server', 'start'], { stdio: 'ignore' });
    try {
      expect(running('redis-server'), 'the host service runs before').to.equal(true);
      const result = spawnSync(process.execPath, ['scripts/ensure-deps.js'], {
        env: { ...process.env, SESSION_CHAOS_DEPENDENCIES: list },
        encoding: 'utf8',
      });
      expect(result.status, result.stderr).to.equal(0);
      expect(result.stderr).to.contain('ensure-deps: installed hello');
      expect(result.stderr).to.contain('ensure-deps: left running redis-server, running before');
      expect(running('redis-server'), 'the host service runs after').to.equal(true);
      expect(spawnSync('hello', [], { encoding: 'utf8' }).stdout).to.contain('Hello, world!');
    } finally {
      if (!ranBefore) spawnSync('service', ['redis-server', 'stop'], { stdio: 'ignore' });
    }
  });
});
