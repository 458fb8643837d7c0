#!/usr/bin/env node
// Installs what `npm run chaos` and `npm test` need, before anything else runs (so: no npm dependencies here).
// npm packages: `npm ci` when node_modules is missing or older than the lockfile.
// System packages: apt-get as root on Debian/Ubuntu; elsewhere a message naming what to install, exit 3.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onPath } from '../lib/on-path.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// SESSION_CHAOS_DEPENDENCIES names another list, for the test of this script.
const list = process.env.SESSION_CHAOS_DEPENDENCIES ?? join(root, 'infra', 'dependencies.json');
const dependencies = JSON.parse(readFileSync(list, 'utf8'));
/** Services Debian starts when it installs the packages; the suite runs its own, on free ports. */
const SERVICES = ['redis-server', 'redis-sentinel', 'haproxy', 'tomcat10', 'memcached', 'mariadb'];

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(
      `ensure-deps: \`${command} ${args.join(' ')}\` failed (exit ${result.status ?? result.signal})`,
    );
    process.exit(3);
  }
}

function npmPackages() {
  const installed = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  console.error('ensure-deps: installing npm dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

const present = (dep) => {
  if (dep.file) return existsSync(dep.file);
  return dep.env && process.env[dep.env] ? existsSync(process.env[dep.env]) : onPath(dep.command);
};

function systemPackages() {
  const missing = dependencies.filter((dep) => !present(dep));
  if (missing.length === 0) return;
  const packages = missing.flatMap((dep) => dep.apt.split(' '));
  const isRoot = process.getuid?.() === 0;
  const hasApt = onPath('apt-get') && existsSync('/etc/debian_version');
  // What only an option needs (--netns) is installed with the rest where it can be, never demanded.
  if ((!isRoot || !hasApt) && missing.every((dep) => dep.optional)) return;
  if (!isRoot || !hasApt) {
    const needed = missing.filter((dep) => !dep.optional);
    console.error(`ensure-deps: missing ${needed.map((d) => `${d.name} (${d.for})`).join(', ')}.`);
    console.error(`  Install them, e.g. on Debian/Ubuntu: sudo apt-get install -y ${packages.join(' ')}`);
    console.error("  Then run the command again; 'npx session-chaos doctor' shows what is found.");
    process.exit(3);
  }
  const before = SERVICES.filter(running);
  console.error(`ensure-deps: installing ${packages.join(', ')} with apt-get`);
  run('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'update', '-q']);
  run('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '-q', ...packages]);
  console.error(`ensure-deps: installed ${packages.join(', ')}`);
  // Debian starts a service it installs; stop only those this install started, never one that ran before.
  const started = SERVICES.filter((service) => !before.includes(service) && running(service));
  for (const service of started) spawnSync('service', [service, 'stop'], { stdio: 'ignore' });
  if (started.length > 0) console.error(`ensure-deps: stopped ${started.join(', ')}, started by the install`);
  if (before.length > 0) console.error(`ensure-deps: left running ${before.join(', ')}, running before`);
}

/** Whether a system service runs now (`service NAME status` exits 0 for a running service). */
function running(service) {
  return spawnSync('service', [service, 'status'], { stdio: 'ignore' }).status === 0;
}

npmPackages();
systemPackages();
