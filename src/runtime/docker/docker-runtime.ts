/** The docker runtime: clusters as containers on Docker or Podman, cleaned up even if the runner crashes. */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Topology } from '../../topology/topology.ts';
import { ROOT } from '../host.ts';
import { nodeArgs } from '../local/compiled.ts';
import { claimOwner } from '../local/owner.ts';
import { type Cluster, InfrastructureError, type Runtime, type StartOptions } from '../runtime.ts';
import { ServiceCluster } from '../service-cluster.ts';
import { liveContainers } from './container.ts';
import { DockerPlacement } from './docker-placement.ts';
import { type Engine, findEngine, HOW_TO_GET_AN_ENGINE } from './engine.ts';
import { engineHung } from './engine-call.ts';
import { ContainerExits } from './exits.ts';
import { ensureImages } from './images.ts';
import { OWNER_LABEL, runnerLabels } from './labels.ts';
import { reapContainers } from './reaper.ts';
// Started by its path: this import (erased at run time) names the edge for the import rules.
import type {} from './remove-owned-main.ts';

let exitHookInstalled = false;

/** What the remover needs of the runner's environment, as for every child: no more (see childEnv). */
function removerEnv(engine: string): Record<string, string> {
  const names = [
    'PATH',
    'HOME',
    'TMPDIR',
    'SESSION_CHAOS_STATE_DIR',
    'DOCKER_TLS_VERIFY',
    'DOCKER_CERT_PATH',
  ];
  const kept = names.flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]]]));
  return { ...Object.fromEntries(kept), DOCKER_HOST: engine };
}

/**
 * On any exit of the runner, even a crash, remove what it still has running. An exit hook cannot wait for
 * the engine's answers, so a small process does it (the next runner's reaper covers a SIGKILL).
 */
function installExitHook(engine: Engine, owner: string): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const remover = nodeArgs(join(ROOT, 'src', 'runtime', 'docker', 'remove-owned-main.ts'));
  process.on('exit', () => {
    if (liveContainers().length === 0) return;
    spawnSync(process.execPath, [...remover, owner], {
      env: removerEnv(engine.address),
      stdio: 'ignore',
      timeout: 30_000,
    });
  });
}

/** Runs a topology as containers on a Docker Engine API (Docker, or Podman's service): see docs/containers.md. */
export class DockerRuntime implements Runtime {
  readonly name = 'docker';
  readonly kernelFaults = false;
  #engine: Engine | null = null;
  #exits: ContainerExits | null = null;

  /** Finds the engine, removes what dead runners left, and builds the images whose inputs changed. */
  async prepare(): Promise<void> {
    if (this.#engine) return;
    const owner = claimOwner();
    const engine = await findEngine();
    if ('missing' in engine) throw new InfrastructureError(`${engine.missing}: ${HOW_TO_GET_AN_ENGINE}`);
    const reaped = await reapContainers(engine.docker);
    if (reaped.containers > 0)
      process.stderr.write(
        `session-chaos: removed ${reaped.containers} container(s) left behind by an earlier run\n`,
      );
    installExitHook(engine, owner);
    await ensureImages(engine.docker, { progress: (line) => process.stderr.write(`images: ${line}\n`) });
    this.#exits = await ContainerExits.open(engine.docker, `${OWNER_LABEL}=${owner}`);
    this.#engine = engine;
  }

  async start(
    topology: Topology,
    { dir, readyTimeoutMs = 30_000, explore, signal }: StartOptions,
  ): Promise<Cluster> {
    const hung = engineHung(); // before anything else: a new case would only wait on it again
    if (hung) throw new InfrastructureError(`${hung} earlier in this run`);
    await this.prepare();
    const engine = this.#engine;
    const exits = this.#exits;
    if (!engine || !exits) throw new InfrastructureError('no container engine');
    // Mounted at the same path in every container: it must be absolute.
    const caseDir = resolve(dir);
    const placement = new DockerPlacement(engine.docker, exits, caseDir, runnerLabels(), explore);
    return ServiceCluster.start(topology, caseDir, readyTimeoutMs, placement, signal);
  }
}
