/** Finding the container engine to use (Docker, or Podman's compatible service), and how to get one. */
import { existsSync } from 'node:fs';
import Docker from 'dockerode';

/** A container engine that answers the Docker Engine API: Docker itself, or Podman's compatible service. */
export interface Engine {
  docker: Docker;
  /** Where it was found, e.g. unix:///run/podman/podman.sock. */
  address: string;
  /** "Docker 27.3.1", "Podman 4.3.1". */
  product: string;
}

/** Where an engine is looked for after DOCKER_HOST: Docker's usual socket, then Podman's (system, then the user's). */
export function candidateSockets(env: NodeJS.ProcessEnv = process.env): string[] {
  const runtimeDir = env.XDG_RUNTIME_DIR;
  return [
    '/var/run/docker.sock',
    '/run/podman/podman.sock',
    ...(runtimeDir ? [`${runtimeDir}/podman/podman.sock`] : []),
  ];
}

export const HOW_TO_GET_AN_ENGINE =
  'start Docker, or set DOCKER_HOST to an engine, or (Debian/Ubuntu, as root) run `bash scripts/podman-setup.sh`, which serves Podman as the Docker API on /run/podman/podman.sock';

async function answer(docker: Docker, address: string): Promise<Engine> {
  const version = await Promise.race([
    docker.version(),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer in 5 s')), 5000).unref()),
  ]);
  const podman = (version.Components ?? []).some((c) => /podman/i.test(c.Name));
  return { docker, address, product: `${podman ? 'Podman' : 'Docker'} ${version.Version}` };
}

/** The engine to use: DOCKER_HOST when set, else the first socket that exists; null with the reason when none answers. */
export async function findEngine(
  env: NodeJS.ProcessEnv = process.env,
): Promise<Engine | { missing: string }> {
  const host = env.DOCKER_HOST;
  if (host) {
    const docker = host.startsWith('unix://') ? new Docker({ socketPath: host.slice(7) }) : new Docker();
    return answer(docker, host).catch((error: Error) => ({
      missing: `DOCKER_HOST=${host} does not answer (${error.message})`,
    }));
  }
  const tried: string[] = [];
  for (const socket of candidateSockets(env).filter((s) => existsSync(s))) {
    const engine = await answer(new Docker({ socketPath: socket }), `unix://${socket}`).catch(
      (error: Error) => {
        tried.push(`${socket}: ${error.message}`);
        return null;
      },
    );
    if (engine) return engine;
  }
  const looked = tried.length > 0 ? tried.join('; ') : `none of ${candidateSockets(env).join(', ')} exists`;
  return { missing: `no container engine (DOCKER_HOST is not set; ${looked})` };
}
