/** The core experiments on the docker runtime meet the same expectations as on the local runtime, every fault
 * acting on a container or a link and healed. */
import { expect } from 'chai';
import type { RunSummary } from '../../src/model/run.ts';
import { type ChaosRun, runExperiments } from '../helpers/chaos-run.ts';
import { engineOrSkip } from '../helpers/engine.ts';

/**
 * The core experiments on the docker runtime, quick profile, held to the same expectations as on the local
 * runtime: node-crash over every strategy it names (Node apps, Redis and Tomcat), store-outage, store-latency,
 * store-crash over every store, failover with Sentinel (about 10 minutes on Podman here).
 */
describe('end to end on containers: the core experiments with --runtime docker, quick profile', function () {
  this.timeout(1_800_000);
  let run: ChaosRun;
  let summary: RunSummary;

  before(async function () {
    await engineOrSkip(this);
    const experiments = ['node-crash', 'store-outage', 'store-latency', 'store-crash', 'failover'];
    run = await runExperiments(experiments, 23, ['--runtime', 'docker']);
    summary = run.summary;
  });

  it('meets every expectation, as on the local runtime: exit code 0', () => {
    expect(summary.runtime).to.equal('docker');
    expect(summary.results.map((r) => `${r.experiment}/${r.strategy}: ${r.verdict}`)).to.deep.equal([
      'node-crash/none: pass',
      'node-crash/sticky: pass',
      'node-crash/redis: pass',
      'node-crash/sticky-tomcat: pass',
      'node-crash/all-to-all:sync: pass',
      'node-crash/primary-secondary:sync: pass',
      'store-outage/redis: pass',
      'store-latency/redis: pass',
      'store-crash/redis: pass',
      'store-crash/redis-aof: pass',
      'store-crash/memcached: pass',
      'store-crash/mysql: pass',
      'failover/redis-replicated: pass',
    ]);
    expect(run.code).to.equal(0);
  });

  it('every fault acted on a container or a link and was healed', () => {
    for (const result of summary.results)
      for (const fault of result.faults)
        expect(
          fault.status,
          `${result.experiment}/${result.strategy} ${fault.kind} ${fault.target}`,
        ).to.equal('healed');
  });

  it('store-crash: an in-memory store logs every user out; AOF and MariaDB keep every session', () => {
    const result = (strategy: string) =>
      summary.results.find((r) => r.experiment === 'store-crash' && r.strategy === strategy);
    expect(result('redis')?.loggedOutUsers).to.equal(result('redis')?.users);
    expect([result('redis-aof')?.logouts, result('mysql')?.logouts]).to.deep.equal([0, 0]);
  });
});
