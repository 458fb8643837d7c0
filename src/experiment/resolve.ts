/** Validating an experiment and resolving one profile of it, every default filled in. */
import type { AdapterFile } from '../model/adapter.ts';
import { ANOMALY_KINDS } from '../model/anomaly.ts';
import { PLACEHOLDER_LIST, unknownPlaceholders } from '../model/app.ts';
import { CHECKS, type ExpectationDefinition, METRICS } from '../model/expectation.ts';
import {
  ALL_STRATEGY_NAMES,
  STRATEGY_NAMES,
  type Strategy,
  strategyNamed,
} from '../strategies/strategies.ts';
import type { AppTemplate } from '../topology/topology.ts';
import { PROFILES, type ProfileName, REQUIRED_PROFILES } from './definition.ts';
import type { Experiment, HeavyUsers, Workload } from './experiment.ts';
import { checkFaultFits, checkFaultsHit, resolveFault, timeSpecSeconds } from './resolve-faults.ts';
import { type Json, show, Validator } from './validator.ts';

const NAME = /^[a-z0-9][a-z0-9-]*$/;
const MAX_USERS = 2000;

/** Validates an experiment definition (any value, e.g. a module's default export) and resolves one profile. */
export function resolveExperiment(value: unknown, source: string, profile: ProfileName): Experiment {
  const c = new Validator(source);
  const root = c.object(value, '');
  c.onlyKeys(root, '', [
    'name',
    'description',
    'strategies',
    'cluster',
    'app',
    'workload',
    'profiles',
    'faults',
    'expectations',
  ]);
  const name = c.string(
    root.name,
    'name',
    'name it with lowercase letters, digits and dashes, e.g. "node-crash"',
  );
  if (!NAME.test(name))
    c.fail('name', `${show(name)} must be lowercase letters, digits and dashes, e.g. "node-crash"`);
  const strategies = c
    .array(root.strategies, 'strategies')
    .map((s, i) => c.oneOf(s, `strategies[${i}]`, ALL_STRATEGY_NAMES, 'a strategy'));
  if (strategies.length === 0)
    c.fail('strategies', `is empty; list at least one of: ${STRATEGY_NAMES.join(', ')}`);
  const workload = resolveWorkload(c, root, profile);
  const profileDefs = c.object(root.profiles, 'profiles');
  const profileNodes = (profileDefs[profile] as Json).appNodes;
  const run = profileStrategies(c, (profileDefs[profile] as Json).strategies, profile, strategies);
  const appNodes =
    profileNodes === undefined
      ? resolveCluster(c, root.cluster)
      : clusterSizes(c, profileNodes, `profiles.${profile}.appNodes`);
  const faults = c
    .array(root.faults, 'faults')
    .map((f, i) => resolveFault(c, f, `faults[${i}]`, workload.durationS));
  for (const [i, fault] of faults.entries()) checkFaultFits(c, fault, `faults[${i}]`, strategies);
  checkFaultsHit(c, faults, strategies, appNodes);
  const sizing = resolveSizing(c, root.cluster, strategies);
  return {
    name,
    description:
      root.description === undefined
        ? ''
        : c.string(root.description, 'description', 'describe it in one sentence'),
    source,
    profile,
    profiles: PROFILES.filter((p) => profileDefs[p] !== undefined),
    strategies: run,
    appNodes,
    ...sizing,
    ...(root.app === undefined ? {} : resolveApp(c, root.app)),
    workload,
    faults,
    expectations: resolveExpectations(c, root.expectations, strategies),
  };
}

/** The strategies a profile runs: all of the experiment's, or the few it names (e.g. a smoke look). */
function profileStrategies(
  c: Validator,
  value: unknown,
  profile: ProfileName,
  strategies: string[],
): string[] {
  if (value === undefined) return strategies;
  const path = `profiles.${profile}.strategies`;
  const chosen = c
    .array(value, path)
    .map((s, i) => c.oneOf(s, `${path}[${i}]`, strategies, "one of the experiment's strategies"));
  if (chosen.length === 0)
    c.fail(path, `is empty; leave it out to run every strategy (${strategies.join(', ')})`);
  return chosen;
}

function resolveCluster(c: Validator, value: unknown): number[] {
  if (value === undefined) return [3];
  const cluster = c.object(value, 'cluster');
  c.onlyKeys(cluster, 'cluster', ['appNodes', 'storeMemoryMb', 'sessionPaddingKb']);
  return cluster.appNodes === undefined ? [3] : clusterSizes(c, cluster.appNodes, 'cluster.appNodes');
}

/** Memcached's memory and the sessions' padding, each refused where no strategy would use it. */
function resolveSizing(
  c: Validator,
  value: unknown,
  strategies: string[],
): Pick<Experiment, 'storeMemoryMb' | 'sessionPaddingKb'> {
  if (value === undefined) return {};
  const cluster = c.object(value, 'cluster');
  const rows = strategies.map((name) => strategyNamed(name) as Strategy);
  const sizing: Pick<Experiment, 'storeMemoryMb' | 'sessionPaddingKb'> = {};
  if (cluster.storeMemoryMb !== undefined) {
    sizing.storeMemoryMb = c.integer(cluster.storeMemoryMb, 'cluster.storeMemoryMb', 1, 4096);
    if (!rows.some((s) => s.sessions.in === 'store' && s.sessions.store === 'memcached'))
      c.fail('cluster.storeMemoryMb', "sets Memcached's memory, but no strategy here uses Memcached");
  }
  if (cluster.sessionPaddingKb !== undefined) {
    sizing.sessionPaddingKb = c.integer(cluster.sessionPaddingKb, 'cluster.sessionPaddingKb', 0, 64);
    const tomcat = rows.filter((s) => s.app === 'tomcat').map((s) => s.name);
    if (tomcat.length > 0)
      c.fail(
        'cluster.sessionPaddingKb',
        `is honoured by the Node app only; remove ${tomcat.join(' and ')} from strategies, or this field`,
      );
  }
  return sizing;
}

/** A cluster size, or a list of sizes to run each strategy at. */
function clusterSizes(c: Validator, value: unknown, path: string): number[] {
  if (!Array.isArray(value)) return [c.integer(value, path, 1, 16)];
  const sizes = value.map((n, i) => c.integer(n, `${path}[${i}]`, 1, 16));
  if (sizes.length === 0 || new Set(sizes).size !== sizes.length)
    c.fail(path, `${show(value)}: list each cluster size once, e.g. [2, 4]`);
  return sizes;
}

/** The user's app, and the adapter that speaks to it (paths as written: loadExperiment resolves them). */
function resolveApp(c: Validator, value: unknown): { app: AppTemplate; adapter?: AdapterFile } {
  const app = c.object(value, 'app');
  c.onlyKeys(app, 'app', ['command', 'image', 'webapp', 'adapter']);
  const adapter =
    app.adapter === undefined
      ? {}
      : {
          adapter: adapterFile(
            c.string(
              app.adapter,
              'app.adapter',
              'give the path of your adapter module, e.g. "./shop.adapter.ts"',
            ),
          ),
        };
  const kinds = (['command', 'image', 'webapp'] as const).filter((k) => app[k] !== undefined);
  if (kinds.length > 1) c.fail('app', `give one of command, image or webapp, not ${kinds.join(' and ')}`);
  if (app.image !== undefined) {
    const image = c.string(
      app.image,
      'app.image',
      'give an image the container engine has, e.g. "my-app:dev"',
    );
    return { app: { image }, ...adapter };
  }
  if (app.webapp !== undefined) {
    const fix = 'give the path of your webapp folder or .war, e.g. "./target/shop.war"';
    return { app: { webapp: c.string(app.webapp, 'app.webapp', fix) }, ...adapter };
  }
  const fix = 'give the command that starts one node, e.g. "node my-app.js --port {port}"';
  const command = c.string(app.command, 'app.command', fix);
  const [unknown] = unknownPlaceholders(command);
  if (unknown !== undefined)
    c.fail('app.command', `{${unknown}} is not a placeholder; use ${PLACEHOLDER_LIST}`);
  return { app: { command }, ...adapter };
}

const adapterFile = (name: string): AdapterFile => ({ path: name, name });

const WORKLOAD_KEYS = [
  'browserUsers',
  'httpUsers',
  'thinkMs',
  'arrivalOver',
  'heavyUsers',
  'parallelism',
  'tabs',
];
/** Most requests one user keeps in flight at once (tabs, or parallel HTTP requests). */
const MAX_LANES = 8;

function resolveWorkload(c: Validator, root: Json, profile: ProfileName): Workload {
  const base = c.object(root.workload, 'workload');
  c.onlyKeys(base, 'workload', [...WORKLOAD_KEYS]);
  const profiles = c.object(root.profiles, 'profiles');
  c.onlyKeys(profiles, 'profiles', PROFILES);
  const path = `profiles.${profile}`;
  if (profiles[profile] === undefined)
    c.fail(
      path,
      REQUIRED_PROFILES.includes(profile)
        ? `missing; add { durationS: <seconds> } for the ${profile} profile`
        : `this experiment has no ${profile} profile; run it with --profile quick, or add { durationS: <seconds> } for ${profile}`,
    );
  const chosen = c.object(profiles[profile], path);
  c.onlyKeys(chosen, path, ['durationS', ...WORKLOAD_KEYS, 'appNodes', 'strategies']);
  const pick = (key: string): [unknown, string] =>
    chosen[key] !== undefined ? [chosen[key], `${path}.${key}`] : [base[key], `workload.${key}`];
  const workload = {
    browserUsers: c.integer(...pick('browserUsers'), 0, MAX_USERS),
    httpUsers: c.integer(...pick('httpUsers'), 0, MAX_USERS),
    thinkMs: pick('thinkMs')[0] === undefined ? 200 : c.integer(...pick('thinkMs'), 0, 60_000),
    durationS: c.number(chosen.durationS, `${path}.durationS`, 1),
  };
  const [arrival, arrivalPath] = pick('arrivalOver');
  if (arrival !== undefined) {
    const arrivalS = timeSpecSeconds(c, arrival, arrivalPath, workload.durationS);
    if (arrivalS >= workload.durationS)
      c.fail(
        arrivalPath,
        `is the whole workload (${workload.durationS} s) or more; the last user would never start`,
      );
    Object.assign(workload, { arrivalS });
  }
  for (const key of ['parallelism', 'tabs'] as const)
    if (pick(key)[0] !== undefined) Object.assign(workload, { [key]: c.integer(...pick(key), 1, MAX_LANES) });
  const [heavy, heavyPath] = pick('heavyUsers');
  if (heavy !== undefined) Object.assign(workload, { heavyUsers: heavyUsers(c, heavy, heavyPath) });
  if (workload.browserUsers + workload.httpUsers === 0)
    c.fail('workload', 'has no users; set browserUsers or httpUsers to at least 1');
  return workload;
}

function heavyUsers(c: Validator, value: unknown, path: string): HeavyUsers {
  const heavy = c.object(value, path);
  c.onlyKeys(heavy, path, ['share', 'times']);
  const share = c.number(heavy.share, `${path}.share`, 0);
  if (share <= 0 || share >= 1)
    c.fail(`${path}.share`, `${share} is not a share of the users; give one between 0 and 1, e.g. 0.2`);
  return { share, times: c.number(heavy.times, `${path}.times`, 1) };
}

function resolveExpectations(c: Validator, value: unknown, strategies: string[]): Experiment['expectations'] {
  const all = c.object(value ?? {}, 'expectations');
  c.onlyKeys(all, 'expectations', strategies);
  const result: Experiment['expectations'] = {};
  for (const strategy of strategies) {
    if (all[strategy] === undefined) continue;
    result[strategy] = c
      .array(all[strategy], `expectations.${strategy}`)
      .map((e, i) => resolveExpectation(c, e, `expectations.${strategy}[${i}]`));
  }
  return result;
}

function resolveExpectation(c: Validator, value: unknown, path: string): ExpectationDefinition {
  const e = c.object(value, path);
  if ('check' in e) {
    c.onlyKeys(e, path, ['check', 'graceS', 'kinds']);
    const check = c.oneOf(e.check, `${path}.check`, CHECKS, 'a check');
    const kinds =
      e.kinds === undefined
        ? undefined
        : c
            .array(e.kinds, `${path}.kinds`)
            .map((k, i) => c.oneOf(k, `${path}.kinds[${i}]`, ANOMALY_KINDS, 'an anomaly kind'));
    return {
      check,
      ...(e.graceS === undefined ? {} : { graceS: c.number(e.graceS, `${path}.graceS`, 0) }),
      ...(kinds ? { kinds } : {}),
    };
  }
  const metric = c.oneOf(e.metric, `${path}.metric`, METRICS, 'a metric');
  const bounds = (['equals', 'atLeast', 'atMost'] as const).filter((key) => key in e);
  c.onlyKeys(e, path, ['metric', 'equals', 'atLeast', 'atMost']);
  const [bound] = bounds;
  if (!bound || bounds.length > 1) c.fail(path, 'needs exactly one of equals, atLeast, atMost');
  const limit = c.number(e[bound], `${path}.${bound}`, 0);
  return { metric, [bound]: limit } as ExpectationDefinition;
}
