/** The `doctor` command: what the suite needs on this machine, what is missing, and how to get it. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { startToxiproxyServer } from '../../toxiproxy-server/src/index.ts';
import { textTable } from '../report/terminal.ts';
import { findEngine, HOW_TO_GET_AN_ENGINE } from '../runtime/docker/engine.ts';
import { IMAGES, imagesPresent } from '../runtime/docker/images.ts';
import { onPath, ROOT } from '../runtime/host.ts';
import { stateDirPath, unsafeBecause } from '../runtime/local/state-dir.ts';
import { parse } from './args.ts';

/** A program (run with `versionArgs` to get its version) or a file that must exist (a jar). */
interface Dependency {
  name: string;
  command?: string;
  file?: string;
  versionArgs?: string[];
  apt: string;
  for: string;
  env?: string;
  /** Needed only for an option (--netns): installed with the rest where it can be, never demanded. */
  optional?: boolean;
}

interface Finding {
  name: string;
  found: boolean;
  /** Needed only for something the default run does not do (e.g. `--runtime docker`): missing, exit 0 still. */
  optional?: boolean;
  version: string;
  detail: string;
}

const dependencies = (): Dependency[] =>
  JSON.parse(readFileSync(join(ROOT, 'infra', 'dependencies.json'), 'utf8')) as Dependency[];

function probe(dep: Dependency): Finding {
  const how = dep.env ? `apt-get install ${dep.apt} (or set ${dep.env})` : `apt-get install ${dep.apt}`;
  if (dep.file) {
    const found = existsSync(dep.file);
    return {
      name: dep.name,
      found,
      ...(dep.optional ? { optional: true } : {}),
      version: found ? 'present' : '-',
      detail: found ? `${dep.for}: ${dep.file}` : `${dep.for}; get it: ${how}`,
    };
  }
  const command = (dep.env && process.env[dep.env]) || dep.command || dep.name;
  const result = spawnSync(command, dep.versionArgs ?? [], { encoding: 'utf8', timeout: 10_000 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  const found = !result.error && result.status === 0;
  const version = found ? (output.match(/\d+\.\d+(\.\d+)*/)?.[0] ?? '?') : '-';
  const detail = found ? dep.for : `${dep.for}; get it: ${how}`;
  return { name: dep.name, found, ...(dep.optional ? { optional: true } : {}), version, detail };
}

/** The real toxiproxy-server when on PATH, else the suite's own server: started for a moment, found only if
 * it answers `/version` as Toxiproxy 2.12.0 does. */
async function toxiproxyFinding(): Promise<Finding> {
  if (onPath('toxiproxy-server'))
    return {
      name: 'toxiproxy',
      found: true,
      version: 'toxiproxy-server',
      detail: 'the real Toxiproxy, for every link',
    };
  const answered = await ownToxiproxyVersion().catch((error: Error) => `does not answer: ${error.message}`);
  const own = answered === '2.12.0';
  return {
    name: 'toxiproxy',
    found: own,
    version: own ? `built in (${answered})` : '-',
    detail: own
      ? "the suite's own compatible server answered (toxiproxy-server is not on PATH)"
      : `toxiproxy-server is not on PATH and the built-in server ${answered}`,
  };
}

/** Starts the built-in server in this process on a free port (so it cannot outlive the doctor), asks its
 * version, and stops it. */
async function ownToxiproxyVersion(): Promise<string> {
  const server = await startToxiproxyServer({ port: 0 });
  try {
    const answer = await fetch(`${server.url}/version`, { signal: AbortSignal.timeout(5000) });
    const body = (await answer.json()) as { version?: string };
    return body.version ?? 'answered /version without a version';
  } finally {
    await server.close();
  }
}

function stateFinding(): Finding {
  const dir = stateDirPath();
  const problem = existsSync(dir) ? unsafeBecause(dir) : null;
  return {
    name: 'state folder',
    found: problem === null,
    version: existsSync(dir) ? 'exists' : 'created on first run',
    detail: problem ? `${dir}: refused, ${problem}` : `${dir} (the ledger of processes to clean up)`,
  };
}

function nodeFindings(): Finding[] {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const nodeOk = major > 20 || (major === 20 && minor >= 6);
  const modules = existsSync(join(ROOT, 'node_modules', 'playwright-core'));
  return [
    {
      name: 'node',
      found: nodeOk,
      version: process.versions.node,
      detail: nodeOk ? 'runs the suite' : 'needs Node.js ≥ 20.6',
    },
    {
      name: 'npm packages',
      found: modules,
      version: modules ? 'installed' : '-',
      detail: modules ? 'node_modules' : 'get them: npm ci',
    },
  ];
}

/**
 * Whether `--netns` can run here: root, network namespaces, a C compiler for infra/packet-delay; and,
 * from the kernel's configuration where it is readable, whether it has netem (the queue stands in for it).
 */
function netnsFinding(): Finding {
  const root = process.getuid?.() === 0;
  const namespaces = spawnSync('ip', ['netns', 'list'], { stdio: 'ignore' }).status === 0;
  const compiler = spawnSync('cc', ['--version'], { stdio: 'ignore' }).status === 0;
  const config = spawnSync('sh', ['-c', 'zcat /proc/config.gz 2>/dev/null'], { encoding: 'utf8' }).stdout;
  const netem = /^CONFIG_NET_SCH_NETEM=[ym]/m.test(config) ? 'has netem' : 'has no netem';
  const kernel = config
    ? `; this kernel ${netem} (latency, reordering and rates go through NFQUEUE either way)`
    : '';
  const missing = [
    root ? '' : 'root',
    namespaces ? '' : '`ip netns` (iproute2)',
    compiler ? '' : 'a C compiler (cc)',
  ];
  const lacking = missing.filter(Boolean);
  return {
    name: 'network namespaces',
    found: lacking.length === 0,
    optional: true,
    version: root ? 'root' : 'not root',
    detail: `for --netns: each node in a network of its own, link faults in the kernel${lacking.length ? `; needs ${lacking.join(', ')}` : kernel}`,
  };
}

/** The container engine `--runtime docker` would use, and how many of the suite's images it has. */
async function engineFinding(): Promise<Finding> {
  const engine = await findEngine();
  const name = 'container engine';
  if ('missing' in engine)
    return {
      name,
      found: false,
      optional: true,
      version: '-',
      detail: `for --runtime docker: ${engine.missing}; get one: ${HOW_TO_GET_AN_ENGINE}`,
    };
  const built = await imagesPresent(engine.docker);
  return {
    name,
    found: true,
    optional: true,
    version: engine.product,
    detail: `for --runtime docker: ${engine.address}; ${built} of ${IMAGES.length} images built (the first run builds the rest)`,
  };
}

/** What is installed, what is missing and how to get it. Exit 3 when something the default run needs is missing. */
export async function doctorCommand(argv: string[]): Promise<number> {
  const { values } = parse('doctor', argv, { json: { type: 'boolean' } });
  const findings = [
    ...nodeFindings(),
    await toxiproxyFinding(),
    ...dependencies().map(probe),
    stateFinding(),
    netnsFinding(),
    await engineFinding(),
  ];
  const machine = { cores: cpus().length, platform: `${process.platform} ${process.arch}` };
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ findings, machine }, null, 2)}\n`);
  } else {
    const status = (f: Finding): string => (f.found ? 'found' : f.optional ? 'absent' : 'MISSING');
    const rows = findings.map((f) => [f.name, status(f), f.version, f.detail]);
    process.stdout.write(
      `${textTable([['dependency', 'status', 'version', 'what for / how to get it'], ...rows])}\n\n`,
    );
    process.stdout.write(`machine: ${machine.platform}, ${machine.cores} cores\n`);
    process.stdout.write(
      `apt packages are installed by 'npm run chaos' and 'npm test' when run as root on Debian/Ubuntu.\n`,
    );
  }
  return findings.every((f) => f.found || f.optional) ? 0 : 3;
}
