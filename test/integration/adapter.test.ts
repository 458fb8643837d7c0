/** An app that speaks its own language, driven through an adapter: check-app passes with it, and a throwing
 * adapter or a module that is no adapter is refused with a clear exit code. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { runCli } from '../helpers/cli.ts';
import { scratchDir } from '../helpers/scratch.ts';

/** An app whose routes, form fields, cookie, JSON and "no session" all differ from the contract. */
const SHOP = 'node --import tsx test/fixtures/shop-app/server.ts --port {port}';
const ADAPTER = 'test/fixtures/shop-app/shop.adapter.ts';

/** The shop's adapter with one function replaced, written to a scratch file. */
function brokenAdapter(name: string, replace: [string, string]): string {
  const file = join(scratchDir('adapter'), name);
  const source = readFileSync(ADAPTER, 'utf8').replace(...replace);
  expect(source, 'the replacement applied').to.contain(replace[1]);
  writeFileSync(file, source);
  return file;
}

describe('an app of its own language, through an adapter', function () {
  this.timeout(300_000);

  it('check-app --adapter probes the app through the adapter: no deviation; without it, the contract fails', async () => {
    const through = await runCli(['check-app', '--app', SHOP, '--adapter', ADAPTER]);
    expect(through.stdout, through.stderr).to.match(
      /9 checks, 0 deviation\(s\) from what its adapter .*shop\.adapter\.ts expects; session cookie\(s\): shop_sid/,
    );
    expect(through.code).to.equal(0);
    const plain = await runCli(['check-app', '--app', SHOP]);
    expect(plain.stdout).to.contain('✗ POST /login (JSON): expected 200, got 403');
    expect(plain.code).to.equal(1);
  });

  it('an adapter whose own code throws ends the case as an infrastructure error naming it (exit 3)', async () => {
    const adapter = brokenAdapter('throws.adapter.ts', [
      'const basket = answer.json as Basket;',
      "const basket = answer.json as Basket; if (basket.rev > 1) throw new Error('no such field: lines');",
    ]);
    const out = scratchDir('adapter-throws');
    const args = ['run', '--experiment', 'node-crash', '--strategy', 'redis', '--profile', 'smoke'];
    const result = await runCli([...args, '--app', SHOP, '--adapter', adapter, '--out', out]);
    expect(result.stdout + result.stderr).to.match(
      /infrastructure: node-crash\/redis: .*the adapter .*throws\.adapter\.ts threw in noSession or view, reading the answer to (add|read) \(HTTP 20[01], .*\): no such field: lines/,
    );
    expect(result.code).to.equal(3);
  });

  it('a module that is not an adapter is refused before anything starts, naming the file and the function (exit 2)', async () => {
    const adapter = brokenAdapter('half.adapter.ts', ['noSession: (answer)', 'noSessions: (answer)']);
    const result = await runCli(['run', '--experiment', 'node-crash', '--app', SHOP, '--adapter', adapter]);
    expect(result.stderr).to.contain(
      'half.adapter.ts: noSession: missing; an adapter exports default { login, add, read, logout, noSession, view }',
    );
    expect(result.stderr).not.to.contain('starting');
    expect(result.code).to.equal(2);
  });
});
