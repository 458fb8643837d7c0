/** The service kinds' container images: which one each kind runs in, rebuilt when their inputs change. */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
// Started by its path: this import (erased at run time) names the edge for the import rules.
import type {} from '../../../toxiproxy-server/main.ts';
import type { Service, ServiceKindName } from '../../topology/topology.ts';
import { ROOT } from '../host.ts';
import { compiled } from '../local/compiled.ts';
import { InfrastructureError } from '../runtime.ts';
import { engineCall, unlessHung } from './engine-call.ts';

/** The image each service kind runs in (infra/containers/<image>/Dockerfile); null: not run in containers. */
export const IMAGE_OF_KIND: Record<ServiceKindName, string | null> = {
  toxiproxy: 'toxiproxy',
  haproxy: 'haproxy',
  'app-node': 'app-node',
  'app-command': null,
  'app-image': null,
  tomcat: 'app-tomcat',
  redis: 'redis',
  sentinel: 'redis',
  memcached: 'memcached',
  mariadb: 'mariadb',
};

export const IMAGES = [...new Set(Object.values(IMAGE_OF_KIND).filter((i) => i !== null))];
export const imageTag = (image: string): string => `session-chaos/${image}:latest`;

/** The real Toxiproxy, used instead of the suite's own server when this engine has it or can pull it. */
export const REAL_TOXIPROXY = 'ghcr.io/shopify/toxiproxy:2.12.0';
/** The base made by scripts/podman-setup.sh from the machine's apt mirror; else a registry's Debian. */
export const LOCAL_BASE = 'session-chaos/base:bookworm';
export const REGISTRY_BASE = 'debian:bookworm-slim';
const INPUTS_LABEL = 'session-chaos.inputs';
/** A build installs packages from the apt mirror: minutes, not the seconds of other engine calls. */
const BUILD_MS = 20 * 60_000;

const exists = (docker: Docker, tag: string): Promise<Docker.ImageInspectInfo | null> =>
  engineCall(`inspecting image ${tag}`, () => docker.getImage(tag).inspect()).catch((error: unknown) => {
    unlessHung(error);
    return null;
  });

/** The files of an image's build context: its Dockerfile, and for toxiproxy the suite's server in one file. */
function contextFiles(image: string): Record<string, string> {
  const files: Record<string, string> = {
    Dockerfile: join(ROOT, 'infra', 'containers', image, 'Dockerfile'),
  };
  if (image === 'toxiproxy')
    files['toxiproxy-server.mjs'] = compiled(join(ROOT, 'toxiproxy-server', 'main.ts'));
  return files;
}

/** A hash of everything an image is built from: its context files and the base image's id. */
function inputsHash(files: Record<string, string>, baseId: string): string {
  const hash = createHash('sha256').update(baseId);
  for (const [name, path] of Object.entries(files)) hash.update(name).update(readFileSync(path));
  return hash.digest('hex').slice(0, 24);
}

async function build(
  docker: Docker,
  image: string,
  base: string,
  files: Record<string, string>,
  inputs: string,
) {
  const context = mkdtempSync(join(tmpdir(), `session-chaos-image-${image}-`));
  try {
    for (const [name, path] of Object.entries(files)) copyFileSync(path, join(context, name));
    const options = {
      t: imageTag(image),
      buildargs: { BASE: base },
      labels: { [INPUTS_LABEL]: inputs },
      rm: true,
    };
    const events = await engineCall(
      `building ${imageTag(image)}`,
      async (o) => {
        const stream = await docker.buildImage({ context, src: Object.keys(files) }, { ...options, ...o });
        return new Promise<{ error?: string; stream?: string }[]>((resolve, reject) =>
          docker.modem.followProgress(stream, (error: Error | null, output: { error?: string }[]) =>
            error ? reject(error) : resolve(output),
          ),
        );
      },
      BUILD_MS,
    );
    const failed = events.find((e) => e.error);
    if (failed) {
      const tail = events.flatMap((e) => (e.stream ? [e.stream.trimEnd()] : [])).slice(-8);
      throw new InfrastructureError(
        `building ${imageTag(image)} failed: ${failed.error}\n  ${tail.join('\n  ')}`,
      );
    }
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

/** Pulls an image unless the engine has it; false (within a minute) when its registry cannot be reached. */
async function pulled(docker: Docker, tag: string): Promise<boolean> {
  if (await exists(docker, tag)) return true;
  try {
    const stream = await docker.pull(tag, { abortSignal: AbortSignal.timeout(60_000) });
    await new Promise((resolve, reject) =>
      docker.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve(null))),
    );
    return (await exists(docker, tag)) !== null;
  } catch {
    return false;
  }
}

export interface ImageBuildOptions {
  /** The base image; default: LOCAL_BASE when the engine has it, else REGISTRY_BASE. */
  base?: string;
  /** Try to pull the real Toxiproxy image first. */
  pull?: boolean;
  progress?: (line: string) => void;
}

/** Builds every image whose inputs changed since it was built (or that does not exist); returns what it built. */
export async function ensureImages(docker: Docker, options: ImageBuildOptions = {}): Promise<string[]> {
  const say = options.progress ?? (() => undefined);
  const base = options.base ?? ((await exists(docker, LOCAL_BASE)) ? LOCAL_BASE : REGISTRY_BASE);
  const baseImage = (await pulled(docker, base)) ? await exists(docker, base) : null;
  if (!baseImage)
    throw new InfrastructureError(
      `base image ${base} is not on this engine and cannot be pulled: run \`bash scripts/podman-setup.sh\` (makes ${LOCAL_BASE}) or pull ${REGISTRY_BASE}`,
    );
  if (options.pull)
    say(
      (await pulled(docker, REAL_TOXIPROXY))
        ? `links: the real Toxiproxy, ${REAL_TOXIPROXY}`
        : `links: ${REAL_TOXIPROXY} cannot be pulled here; the suite's own server (${imageTag('toxiproxy')})`,
    );
  const built: string[] = [];
  for (const image of IMAGES) {
    const files = contextFiles(image);
    const inputs = inputsHash(files, baseImage.Id);
    const current = await exists(docker, imageTag(image));
    if (current?.Config.Labels?.[INPUTS_LABEL] === inputs) continue;
    say(`building ${imageTag(image)} from ${base}${current ? ' (its inputs changed)' : ''}…`);
    const started = Date.now();
    await build(docker, image, base, files, inputs);
    say(`built ${imageTag(image)} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    built.push(image);
  }
  return built;
}

/** How many of the suite's images this engine has. */
export async function imagesPresent(docker: Docker): Promise<number> {
  const found = await Promise.all(IMAGES.map((image) => exists(docker, imageTag(image))));
  return found.filter(Boolean).length;
}

/** The image a kind runs in on this engine (the real Toxiproxy when present). */
/** The image a service runs in: its kind's, or a user's app image, which must already be in the engine. */
export async function imageFor(docker: Docker, service: Service): Promise<string> {
  if (service.kind === 'app-image') {
    if (await exists(docker, service.image)) return service.image;
    throw new InfrastructureError(
      `${service.id}: the app image ${service.image} is not in the container engine; build it (docker build -t ${service.image} <folder>) or pull it first`,
    );
  }
  const kind = service.kind;
  const image = IMAGE_OF_KIND[kind];
  if (image === null) throw new InfrastructureError(`${kind} services run on the local runtime only`);
  if (image === 'toxiproxy' && (await exists(docker, REAL_TOXIPROXY))) return REAL_TOXIPROXY;
  return imageTag(image);
}
