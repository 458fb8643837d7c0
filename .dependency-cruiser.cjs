/**
 * The allowed direction of imports between the folders of src/ and infra/ (checked by `npm run lint`).
 * A folder may import only itself and the folders listed for it; cycles are forbidden everywhere.
 *
 *   model        ← everything: plain data types (ops, anomalies, faults, cases, run folder layout)
 *   strategies   the strategy table                                   → model
 *   history      ops over time, JSONL files                           → model
 *   experiment   experiment schema and validation (what a fault can hit) → model, strategies, topology
 *   topology     strategy row → services and links (pure)             → model, strategies
 *   checkers     history → anomalies, metrics, verdicts (pure)        → model, history
 *   report       summary → summary.json, JUnit, HTML, terminal table  → model
 *   runtime      topology → running processes (the only code that starts or kills) → model, topology, infra
 *   workload     users speaking the app contract                      → model, history, experiment
 *   faults       fault kinds, schedule, ledger                        → model, history, experiment, topology, runtime
 *   run          the runner                                           → all of the above
 *   cli          commands                                             → anything in src
 *   infra        the systems under test                               → nothing in src
 */
const LAYERS = {
  model: [],
  strategies: ['model'],
  history: ['model'],
  experiment: ['model', 'strategies', 'topology'],
  topology: ['model', 'strategies'],
  checkers: ['model', 'history'],
  report: ['model'],
  runtime: ['model', 'topology', 'strategies', 'infra'],
  workload: ['model', 'history', 'experiment'],
  faults: ['model', 'history', 'experiment', 'topology', 'runtime'],
  run: [
    'model',
    'strategies',
    'history',
    'experiment',
    'topology',
    'checkers',
    'report',
    'runtime',
    'workload',
    'faults',
  ],
};

const folder = (name) => (name === 'infra' ? '^infra/' : `^src/${name}/`);

const layerRules = Object.entries(LAYERS).map(([layer, allowed]) => ({
  name: `${layer}-imports-only-${allowed.join('-') || 'itself'}`,
  comment: `src/${layer} may import only ${[layer, ...allowed].join(', ')} (see the table at the top of this file)`,
  severity: 'error',
  from: { path: folder(layer) },
  to: { path: '^(src|infra)/', pathNot: [layer, ...allowed].map(folder) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'folders and modules import each other in one direction only',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'infra-is-independent',
      comment: 'the systems under test (infra/) import nothing from the suite (src/)',
      severity: 'error',
      from: { path: '^infra/' },
      to: { path: '^src/' },
    },
    {
      name: 'lib-is-a-leaf',
      comment: 'lib/ holds the few helpers the suite and the systems under test share: it imports neither',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(src|infra|scripts|bench|test)/' },
    },
    {
      name: 'toxiproxy-server-is-self-contained',
      comment: 'the Toxiproxy-compatible server (toxiproxy-server/, its tests and bench) stands alone',
      severity: 'error',
      from: { path: '^toxiproxy-server/' },
      to: { path: '^(src|infra|lib|test|bench|scripts)/' },
    },
    {
      name: 'only-the-cli-and-runtime-reach-the-toxiproxy-server',
      comment:
        'the suite starts the server (runtime) or serves it (the toxiproxy command, doctor); faults talk to it through the Toxiproxy API client only',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(cli|runtime)/' },
      to: { path: '^toxiproxy-server/' },
    },
    {
      name: 'src-never-imports-tests',
      severity: 'error',
      from: { path: '^(src|infra)/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'load-imports-only-k6',
      comment: "load/ runs in k6's runtime, not Node: it imports only k6's modules and itself",
      severity: 'error',
      from: { path: '^load/' },
      to: { pathNot: ['^load/', '^k6(/|$)'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
