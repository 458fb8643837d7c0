/** Experiment definitions: validation with exact messages, profiles, loading every built-in and external
 * experiment, the quick matrix, and skewed user activity. */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { type ExperimentDefinition, FAULT_KINDS, type ProfileName } from '../../src/experiment/definition.ts';
import {
  BUILTIN_DIR,
  builtinExperiments,
  loadEveryProfile,
  loadExperiment,
} from '../../src/experiment/load.ts';
import { experimentsToRun, QUICK_MATRIX } from '../../src/experiment/matrix.ts';
import { resolveExperiment } from '../../src/experiment/resolve.ts';
import { METRICS } from '../../src/model/expectation.ts';
import { ALL_STRATEGY_NAMES, STRATEGY_NAMES } from '../../src/strategies/strategies.ts';
import { userPlans } from '../../src/workload/user-loop.ts';
import { scratchDir } from '../helpers/scratch.ts';

const valid = (): ExperimentDefinition => ({
  name: 'demo',
  description: 'a demo',
  strategies: ['sticky', 'redis'],
  workload: { browserUsers: 1, httpUsers: 2 },
  profiles: { quick: { durationS: 30 }, full: { durationS: 90, httpUsers: 10 } },
  faults: [{ kind: 'kill-node', target: 'app:busiest', at: '33%', duration: 10 }],
  expectations: { redis: [{ metric: 'logouts', equals: 0 }] },
});

/** Applies a change to a valid definition and returns the validation error message. */
function errorFor(change: (d: Record<string, unknown>) => void): string {
  const definition = valid() as unknown as Record<string, unknown>;
  change(definition);
  try {
    resolveExperiment(definition, 'demo.experiment.ts', 'quick');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a validation error');
}

describe('experiment validation', () => {
  it('resolves a valid definition: defaults, profile overrides, shares of the duration', () => {
    const quick = resolveExperiment(valid(), 'demo.experiment.ts', 'quick');
    expect(quick.appNodes).to.deep.equal([3]);
    expect(quick.workload).to.deep.equal({ browserUsers: 1, httpUsers: 2, thinkMs: 200, durationS: 30 });
    expect(quick.faults).to.deep.equal([
      { kind: 'kill-node', target: 'app:busiest', atS: 9.9, durationS: 10 },
    ]);
    const full = resolveExperiment(valid(), 'demo.experiment.ts', 'full');
    expect(full.workload.httpUsers).to.equal(10);
    expect(full.faults[0]?.atS).to.be.closeTo(29.7, 1e-9);
  });

  const cases: [string, (d: Record<string, unknown>) => void, string][] = [
    [
      'a missing name',
      (d) => delete d.name,
      'demo.experiment.ts: name: expected a non-empty string, got nothing; name it with lowercase letters, digits and dashes, e.g. "node-crash"',
    ],
    [
      'a bad name',
      (d) => {
        d.name = 'Node Crash';
      },
      'demo.experiment.ts: name: "Node Crash" must be lowercase letters, digits and dashes, e.g. "node-crash"',
    ],
    [
      'an unknown strategy',
      (d) => {
        d.strategies = ['sticky', 'redsi'];
      },
      `demo.experiment.ts: strategies[1]: "redsi" is not a strategy; use one of: ${ALL_STRATEGY_NAMES.join(', ')}`,
    ],
    [
      'no strategies',
      (d) => {
        d.strategies = [];
      },
      `demo.experiment.ts: strategies: is empty; list at least one of: ${STRATEGY_NAMES.join(', ')}`,
    ],
    [
      'an unknown field',
      (d) => {
        d.fautls = [];
      },
      'demo.experiment.ts: fautls: unknown field; the fields here are: name, description, strategies, cluster, app, workload, profiles, faults, expectations',
    ],
    [
      'a negative user count',
      (d) => {
        d.workload = { browserUsers: -1, httpUsers: 2 };
      },
      'demo.experiment.ts: workload.browserUsers: expected a whole number from 0 to 2000, got -1',
    ],
    [
      'no users at all',
      (d) => {
        d.workload = { browserUsers: 0, httpUsers: 0 };
      },
      'demo.experiment.ts: workload: has no users; set browserUsers or httpUsers to at least 1',
    ],
    [
      'a missing profile',
      (d) => {
        d.profiles = { full: { durationS: 5 } };
      },
      'demo.experiment.ts: profiles.quick: missing; add { durationS: <seconds> } for the quick profile',
    ],
    [
      'an unknown fault kind',
      (d) => {
        d.faults = [{ kind: 'kil-node', target: 'app:any', at: 1, duration: 1 }];
      },
      `demo.experiment.ts: faults[0].kind: "kil-node" is not a fault kind; use one of: ${FAULT_KINDS.join(', ')}`,
    ],
    [
      'a bad target',
      (d) => {
        d.faults = [{ kind: 'kill-node', target: 'store:any', at: 1, duration: 1 }];
      },
      'demo.experiment.ts: faults[0].target: "store:any" is not a target for kill-node; use app:any, app:busiest or app:<node id>',
    ],
    [
      'a bad time',
      (d) => {
        d.faults = [{ kind: 'kill-node', target: 'app:any', at: 'soon', duration: 1 }];
      },
      'demo.experiment.ts: faults[0].at: expected seconds (a number ≥ 0) or a share of the workload such as "33%", got "soon"',
    ],
    [
      'a fault past the end',
      (d) => {
        d.faults = [{ kind: 'kill-node', target: 'app:any', at: 25, duration: 10 }];
      },
      "demo.experiment.ts: faults[0]: ends at 35 s, after the workload's 30 s; start it earlier or shorten it",
    ],
    [
      'expectations for a strategy not run',
      (d) => {
        d.expectations = { none: [] };
      },
      'demo.experiment.ts: expectations.none: unknown field; the fields here are: sticky, redis',
    ],
    [
      'an unknown metric',
      (d) => {
        d.expectations = { redis: [{ metric: 'logins', equals: 0 }] };
      },
      `demo.experiment.ts: expectations.redis[0].metric: "logins" is not a metric; use one of: ${METRICS.join(', ')}`,
    ],
    [
      'two bounds',
      (d) => {
        d.expectations = { redis: [{ metric: 'logouts', equals: 0, atMost: 1 }] };
      },
      'demo.experiment.ts: expectations.redis[0]: needs exactly one of equals, atLeast, atMost',
    ],
    [
      'an unknown check',
      (d) => {
        d.expectations = { redis: [{ check: 'no-logouts' }] };
      },
      'demo.experiment.ts: expectations.redis[0].check: "no-logouts" is not a check; use one of: logouts-only-among-users-of-faulted-nodes, anomalies-only-during-faults',
    ],
    [
      'a store fault on a strategy without a store',
      (d) => {
        d.strategies = ['none', 'sticky', 'redis'];
        d.faults = [{ kind: 'store-down', target: 'store:any', at: 1, duration: 1 }];
      },
      'demo.experiment.ts: faults[0].kind: store-down needs a session store, which none and sticky do not have; remove them from strategies, or this fault',
    ],
    [
      'a scale-out on Tomcat, whose static membership cannot take a new node',
      (d) => {
        d.strategies = ['redis', 'all-to-all:sync'];
        d.faults = [{ kind: 'scale-out', target: 'app:new', at: 1, duration: 3 }];
      },
      "demo.experiment.ts: faults[0].kind: scale-out needs app nodes that can join a running cluster (Tomcat's static cluster membership cannot take one), which all-to-all:sync does not have; remove it from strategies, or this fault",
    ],
    [
      'a scale-out aimed at a node that is already there',
      (d) => {
        d.faults = [{ kind: 'scale-out', target: 'app:any', at: 1, duration: 1 }];
      },
      'demo.experiment.ts: faults[0].target: "app:any" is not a target for scale-out; use app:new',
    ],
    [
      'a fault shorter than its kind needs to show that it acted',
      (d) => {
        d.faults = [{ kind: 'kill-node', target: 'app:any', at: 1, duration: 1 }];
      },
      "demo.experiment.ts: faults[0].duration: 1 s is shorter than kill-node's minimum of 3 s (HAProxy marks a dead node DOWN after two failed health checks, 0.5 s apart); make it at least 3 s",
    ],
    [
      'a latency fault too short for one slowed round trip',
      (d) => {
        d.strategies = ['redis'];
        d.faults = [{ kind: 'store-latency', target: 'store:any', at: 1, duration: 0.5, latencyMs: 300 }];
      },
      "demo.experiment.ts: faults[0].duration: 0.5 s is shorter than store-latency's minimum of 0.8 s (a round trip through a slowed link, timed to show it, takes latencyMs more); make it at least 0.8 s",
    ],
    [
      'a fault at the very end of the workload',
      (d) => {
        d.faults = [{ kind: 'restart-store', target: 'store:any', at: '100%', duration: 0 }];
      },
      'demo.experiment.ts: faults[0].at: 30 s is not before the end of the workload (30 s); start it earlier',
    ],
    [
      'a node fault aimed at a node the cluster does not have',
      (d) => {
        d.faults = [{ kind: 'kill-node', target: 'app:app-7', at: 1, duration: 3 }];
      },
      'demo.experiment.ts: faults[0].target: kill-node on "app:app-7" would have nothing to hit in sticky (app:app-7: app-7 is not a running node; running: app-1, app-2, app-3); aim it elsewhere, or remove sticky from strategies',
    ],
    [
      'a store fault aimed at a store the strategy does not have',
      (d) => {
        d.strategies = ['redis', 'redis-replicated'];
        d.faults = [{ kind: 'store-down', target: 'store:redis-2', at: 1, duration: 1 }];
      },
      'demo.experiment.ts: faults[0].target: store-down on "store:redis-2" would have nothing to hit in redis (nothing to hit: no app reaches a store redis-2 in redis); aim it elsewhere, or remove redis from strategies',
    ],
    [
      'a link that is not in the topology',
      (d) => {
        d.faults = [{ kind: 'partition', target: 'link:app-1->redis', at: 1, duration: 1 }];
      },
      'demo.experiment.ts: faults[0].target: partition on "link:app-1->redis" would have nothing to hit in sticky (link:app-1->redis: no such link; the links are: lb->app-1, lb->app-2, lb->app-3); aim it elsewhere, or remove sticky from strategies',
    ],
    [
      'replication latency where nothing replicates',
      (d) => {
        d.strategies = ['all-to-all:sync', 'redis'];
        d.faults = [
          { kind: 'replication-latency', target: 'replication:all', at: 1, duration: 1, latencyMs: 100 },
        ];
      },
      'demo.experiment.ts: faults[0].kind: replication-latency needs replication links, which redis does not have; remove it from strategies, or this fault',
    ],
    [
      'a packet loss without its share',
      (d) => {
        d.faults = [{ kind: 'packet-loss', target: 'store:any', at: 1, duration: 1 }];
      },
      'demo.experiment.ts: faults[0].lossPercent: expected a whole number from 1 to 100, got nothing',
    ],
    [
      'a setting of another kind',
      (d) => {
        d.faults = [
          { kind: 'bandwidth', target: 'store:any', at: 1, duration: 1, rateKBps: 10, latencyMs: 5 },
        ];
      },
      'demo.experiment.ts: faults[0].latencyMs: unknown field; the fields here are: kind, target, at, duration, rateKBps',
    ],
    [
      'users arriving over the whole run',
      (d) => {
        d.workload = { ...(d.workload as object), arrivalOver: '100%' };
      },
      'demo.experiment.ts: workload.arrivalOver: is the whole workload (30 s) or more; the last user would never start',
    ],
    [
      'heavy users that are all the users',
      (d) => {
        d.workload = { ...(d.workload as object), heavyUsers: { share: 1, times: 10 } };
      },
      'demo.experiment.ts: workload.heavyUsers.share: 1 is not a share of the users; give one between 0 and 1, e.g. 0.2',
    ],
    [
      'heavy users acting less often',
      (d) => {
        d.profiles = { quick: { durationS: 30, heavyUsers: { share: 0.2, times: 0.5 } } };
      },
      'demo.experiment.ts: profiles.quick.heavyUsers.times: expected a number ≥ 1, got 0.5',
    ],
    [
      'a Memcached memory limit where no strategy uses Memcached',
      (d) => {
        d.cluster = { storeMemoryMb: 1 };
      },
      "demo.experiment.ts: cluster.storeMemoryMb: sets Memcached's memory, but no strategy here uses Memcached",
    ],
    [
      'a profile that runs a strategy the experiment does not have',
      (d) => {
        d.profiles = { ...(d.profiles as object), quick: { durationS: 30, strategies: ['none'] } };
      },
      'demo.experiment.ts: profiles.quick.strategies[0]: "none" is not one of the experiment\'s strategies; use one of: sticky, redis',
    ],
    [
      'an app command with an unknown placeholder',
      (d) => {
        d.app = { command: 'node app.js --port {prot}' };
      },
      'demo.experiment.ts: app.command: {prot} is not a placeholder; use {nodeId}, {host}, {port}, {storeKind}, {storeUrl}, {dataDir}',
    ],
    [
      'an app that is both a command and an image',
      (d) => {
        d.app = { command: 'node app.js', image: 'my-app:dev' };
      },
      'demo.experiment.ts: app: give one of command, image or webapp, not command and image',
    ],
    [
      'an app adapter that is not a path',
      (d) => {
        d.app = { command: 'node app.js', adapter: true };
      },
      'demo.experiment.ts: app.adapter: expected a non-empty string, got true; give the path of your adapter module, e.g. "./shop.adapter.ts"',
    ],
    [
      'an app image that is not a string',
      (d) => {
        d.app = { image: 7 };
      },
      'demo.experiment.ts: app.image: expected a non-empty string, got 7; give an image the container engine has, e.g. "my-app:dev"',
    ],
  ];
  for (const [what, change, message] of cases) {
    it(`rejects ${what} with an exact message`, () => {
      expect(errorFor(change)).to.equal(message);
    });
  }

  it('loads and validates every file in experiments/, for every profile', async () => {
    const files = readdirSync(BUILTIN_DIR).filter((f) => !f.startsWith('.'));
    expect(files.length).to.equal(builtinExperiments().length);
    for (const name of builtinExperiments()) {
      const profiles = await loadEveryProfile(name);
      expect(profiles.map((e) => e.profile).slice(-2), name).to.deep.equal(['quick', 'full']);
      for (const experiment of profiles) {
        expect(experiment.name, `${name} [${experiment.profile}]`).to.equal(name);
        expect(experiment.strategies.length).to.be.at.least(1);
      }
    }
    const crash = await loadExperiment('node-crash', 'quick');
    expect(crash.strategies).to.deep.equal([
      'none',
      'sticky',
      'redis',
      'sticky-tomcat',
      'all-to-all:sync',
      'primary-secondary:sync',
    ]);
    expect(crash.workload.durationS).to.be.at.most(45);
  });

  it('loads a TypeScript experiment from a folder outside any package (e.g. /tmp)', async () => {
    const dir = scratchDir('experiment');
    const file = join(dir, 'mine.experiment.ts');
    writeFileSync(
      file,
      `export default { name: 'mine', strategies: ['redis'], workload: { browserUsers: 0, httpUsers: 2 },
        profiles: { quick: { durationS: 5 }, full: { durationS: 9 } }, faults: [] };\n`,
    );
    const experiment = await loadExperiment(file, 'quick');
    expect([experiment.name, experiment.workload.durationS]).to.deep.equal(['mine', 5]);
  });

  it("resolves an app's adapter relative to the experiment file", async () => {
    const dir = scratchDir('experiment');
    const file = join(dir, 'shop.experiment.ts');
    writeFileSync(
      file,
      `export default { name: 'shop', strategies: ['redis'], workload: { browserUsers: 0, httpUsers: 2 },
        app: { command: 'node shop.js --port {port}', adapter: './shop.adapter.ts' },
        profiles: { quick: { durationS: 5 }, full: { durationS: 9 } }, faults: [] };\n`,
    );
    const experiment = await loadExperiment(file, 'quick', '/');
    expect(experiment.adapter).to.deep.equal({
      path: join(dir, 'shop.adapter.ts'),
      name: './shop.adapter.ts',
    });
  });

  it('runs the smoke profile only where an experiment has one, and says so where it has none', async () => {
    const smoke = await loadExperiment('node-crash', 'smoke');
    expect(smoke.workload.durationS).to.be.at.most(20);
    expect(smoke.strategies, 'a profile may run a few of the strategies').to.deep.equal([
      'none',
      'sticky',
      'redis',
    ]);
    try {
      await loadExperiment('store-crash', 'smoke');
      expect.fail('expected an error');
    } catch (error) {
      expect((error as Error).message).to.equal(
        'experiments/store-crash.experiment.ts: profiles.smoke: this experiment has no smoke profile; run it with --profile quick, or add { durationS: <seconds> } for smoke',
      );
    }
  });

  it('the quick matrix (the default run) puts every strategy against its core faults', async () => {
    const matrix = await Promise.all(QUICK_MATRIX.map((name) => loadExperiment(name, 'quick')));
    const covered = new Set(matrix.flatMap((e) => e.strategies.map((s) => s.split(':')[0])));
    expect(STRATEGY_NAMES.filter((name) => !covered.has(name))).to.deep.equal([]);
    expect(
      matrix.filter((e) => e.faults.length === 0).map((e) => e.name),
      "each one with a fault, but the users' own parallel tabs",
    ).to.deep.equal(['parallel-tabs']);
    const run = async (profile: ProfileName) =>
      (await experimentsToRun([], profile)).map((e) => `${e.name}: ${e.strategies.join(',')}`);
    expect(await run('quick'), 'run with no experiment named').to.have.length(QUICK_MATRIX.length);
    expect(await run('smoke'), 'a smoke look').to.deep.equal(['node-crash: none,sticky,redis']);
  });

  it('names an unknown experiment and lists the known ones', async () => {
    try {
      await loadExperiment('node-crsh', 'quick');
      expect.fail('expected an error');
    } catch (error) {
      expect((error as Error).message).to.match(
        /^node-crsh: \(experiment\): no such experiment; use one of: .*node-crash.*, or a file path$/,
      );
    }
  });
});

describe('skewed activity', () => {
  it('a share of the users, chosen by the seed, pause `times` less than the rest', () => {
    const plans = userPlans(10, 7, undefined, { share: 0.2, times: 10, thinkMs: 400 });
    expect(plans.filter((p) => p.thinkMs === 40)).to.have.length(2);
    expect(plans.filter((p) => p.thinkMs === undefined)).to.have.length(8);
    const again = userPlans(10, 7, undefined, { share: 0.2, times: 10, thinkMs: 400 });
    expect(again.map((p) => p.thinkMs)).to.deep.equal(plans.map((p) => p.thinkMs));
    expect(
      userPlans(10, 7).every((p) => p.thinkMs === undefined),
      'unset: every user alike',
    ).to.equal(true);
  });
});
