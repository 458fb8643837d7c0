/** Where the docker runtime puts a case's services: containers at fixed addresses on the case's network. */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type Docker from 'dockerode';
import type { Role, Service, Topology } from '../../topology/topology.ts';
import { HOST, hostPort, ROOT } from '../host.ts';
import type { LocalLaunch } from '../kinds/kind.ts';
import { kindOf } from '../kinds/registry.ts';
import { OWNER_ENV, privateFolder } from '../local/owner.ts';
import { releasePorts, reservePort } from '../local/ports.ts';
import type { LaunchStep, Placement, ServiceHandle } from '../placement.ts';
import { ContainerHandle } from './container.ts';
import { engineCall } from './engine-call.ts';
import type { ContainerExits } from './exits.ts';
import { imageFor } from './images.ts';
import { type Labels, OWNER_LABEL } from './labels.ts';
import { type CaseNetwork, createCaseNetwork } from './network.ts';

/** The port each endpoint listens on inside its container (a store's is its kind's usual one). */
const CONTAINER_PORTS: Record<string, number> = {
  http: 8080,
  stats: 8404,
  replication: 4000,
  api: 8474,
};
const STORE_PORTS: Record<string, number> = { redis: 6379, sentinel: 26379, memcached: 11211, mariadb: 3306 };
/** Link proxies listen on the proxy server's container from this port on. */
const FIRST_PROXY_PORT = 20_000;
/** The only endpoints published on the host (127.0.0.1): what users reach, and what a person exploring may open. */
const PUBLISHED: Partial<Record<Role, string[]>> = { lb: ['http'] };
const PUBLISHED_TO_EXPLORE: Partial<Record<Role, string[]>> = { lb: ['http', 'stats'], links: ['api'] };
const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

let cases = 0;

/**
 * A MAC address made from the IPv4 address (as Docker does by default): a service started again at the same
 * address keeps its MAC, so neighbours' ARP caches stay right (with a new MAC, Podman left a restarted node
 * unreachable for 30 s).
 */
export const macOf = (ip: string): string =>
  ['02', '42', ...ip.split('.').map((octet) => Number(octet).toString(16).padStart(2, '0'))].join(':');

/**
 * A case as containers on a network of its own, each service at a fixed address of that network, with the
 * suite's folder (read-only) and the case folder mounted at the same paths as here, so a kind's launch runs
 * in its image as it runs locally. Each service is registered in the network under its name, but is told
 * its peers' addresses, not their names: on Podman 4.3 a removed network's DNS records can outlive it, and
 * we saw one resolve `app-1` to another case's `app-2` (sticky sessions then failed for no reason of theirs).
 */
export class DockerPlacement implements Placement {
  readonly inContainers = true;
  privateDir = '';
  readonly #addresses = new Map<string, string>();
  readonly #published = new Map<string, string>();
  readonly #proxyPorts = new Map<string, number>();
  readonly #containers = new Map<string, ContainerHandle>();
  readonly #hostPorts: number[] = [];
  readonly #prefix: string;
  readonly #publish: Partial<Record<Role, string[]>>;
  #network: CaseNetwork | null = null;
  #proxyServer = '';
  #topology: Topology | null = null;

  constructor(
    readonly docker: Docker,
    readonly exits: ContainerExits,
    readonly dir: string,
    readonly labels: Labels,
    explore = false,
  ) {
    this.#publish = explore ? PUBLISHED_TO_EXPLORE : PUBLISHED;
    cases += 1;
    this.#prefix = `sc-${labels[OWNER_LABEL]}-${cases}`;
  }

  async assign(topology: Topology): Promise<void> {
    this.#topology = topology;
    this.privateDir = privateFolder();
    // Every kind has an image but a user's app command: refused here, before anything exists.
    for (const service of topology.services) await imageFor(this.docker, service);
    const network = await createCaseNetwork(this.docker, this.#prefix, this.labels);
    this.#network = network;
    for (const [n, service] of topology.services.entries())
      this.#addresses.set(service.id, network.address(n));
    for (const service of topology.services)
      for (const endpoint of this.#publish[service.role] ?? []) {
        const port = await reservePort();
        this.#hostPorts.push(port);
        this.#published.set(`${service.id}/${endpoint}`, `${HOST}:${port}`);
      }
    for (const [n, link] of topology.links.entries()) this.#proxyPorts.set(link.id, FIRST_PROXY_PORT + n);
    this.#proxyServer = topology.services.find((s) => s.role === 'links')?.id ?? '';
  }

  #service(id: string): Service {
    const service = this.#topology?.services.find((s) => s.id === id);
    if (!service) throw new Error(`no service ${id} in this cluster`);
    return service;
  }

  #port(serviceId: string, endpoint: string): number {
    const service = this.#service(serviceId);
    const port = endpoint === 'store' ? STORE_PORTS[service.kind] : CONTAINER_PORTS[endpoint];
    if (port === undefined || !kindOf(service).endpoints(service).includes(endpoint))
      throw new Error(`${serviceId} has no endpoint ${endpoint}`);
    return port;
  }

  listen(serviceId: string, endpoint: string): string {
    return `${this.#addresses.get(serviceId)}:${this.#port(serviceId, endpoint)}`;
  }

  published(serviceId: string, endpoint: string): string {
    return this.#published.get(`${serviceId}/${endpoint}`) ?? this.listen(serviceId, endpoint);
  }

  #proxyPort(linkId: string): number {
    const port = this.#proxyPorts.get(linkId);
    if (port === undefined) throw new Error(`no proxy for link ${linkId}`);
    return port;
  }

  proxyListen = (linkId: string): string =>
    `${this.#addresses.get(this.#proxyServer)}:${this.#proxyPort(linkId)}`;
  viaProxy = (linkId: string): string => this.proxyListen(linkId);
  direct = (serviceId: string, endpoint: string): string => this.listen(serviceId, endpoint);

  async #options(
    service: Service,
    launch: LaunchStep,
    name: string,
  ): Promise<Docker.ContainerCreateOptions & { name: string }> {
    const network = this.#network;
    if (!network) throw new Error('the case network does not exist yet');
    const published = (this.#publish[service.role] ?? []).map((endpoint) => ({
      port: `${this.#port(service.id, endpoint)}/tcp`,
      host: String(hostPort(this.published(service.id, endpoint)).port),
    }));
    const address = this.#addresses.get(service.id) ?? '';
    const env = { PATH, HOME: '/tmp', ...launch.env, [OWNER_ENV]: this.labels[OWNER_LABEL] ?? '' };
    return {
      name,
      Hostname: service.id,
      MacAddress: macOf(address),
      Image: await imageFor(this.docker, service),
      // A user's image runs as it is; the suite's images run the kind's command as the runner's user.
      ...(launch.image
        ? {}
        : {
            Entrypoint: [launch.command],
            Cmd: launch.args,
            WorkingDir: launch.cwd,
            User: `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`,
          }),
      Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
      Labels: { ...this.labels, 'session-chaos.service': service.id },
      ExposedPorts: Object.fromEntries(published.map((p) => [p.port, {}])),
      HostConfig: {
        Binds: [
          `${resolve(ROOT)}:${resolve(ROOT)}:ro`,
          `${this.dir}:${this.dir}`,
          `${this.privateDir}:${this.privateDir}`,
          ...(launch.mounts ?? []).map((path) => `${path}:${path}:ro`),
        ],
        NetworkMode: network.name,
        PortBindings: Object.fromEntries(
          published.map((p) => [p.port, [{ HostIp: HOST, HostPort: p.host }]]),
        ),
      },
      NetworkingConfig: {
        EndpointsConfig: {
          [network.name]: {
            IPAMConfig: { IPv4Address: address },
            MacAddress: macOf(address),
            Aliases: [service.id],
          },
        },
      },
    };
  }

  /** A kind's launch in its image; a service started again replaces its old container (same name and address). */
  async run(service: Service, launch: LocalLaunch, logFile: string): Promise<ServiceHandle> {
    await this.#containers.get(service.id)?.remove();
    const name = `${this.#prefix}-${service.id}`;
    const handle = await ContainerHandle.start(
      this.docker,
      this.exits,
      await this.#options(service, launch, name),
      logFile,
    );
    this.#containers.set(service.id, handle);
    return handle;
  }

  async runToEnd(service: Service, step: LaunchStep, logFile: string, signal?: AbortSignal): Promise<string> {
    const options = await this.#options(service, step, `${this.#prefix}-${service.id}-prepare`);
    const handle = await ContainerHandle.start(this.docker, this.exits, options, logFile);
    const kill = (): void => void handle.kill().catch(() => undefined);
    signal?.addEventListener('abort', kill, { once: true });
    if (signal?.aborted) kill();
    await handle.exited;
    signal?.removeEventListener('abort', kill);
    await handle.remove();
    return handle.exit ?? 'did not end';
  }

  async release(): Promise<void> {
    await Promise.all([...this.#containers.values()].map((c) => c.remove()));
    const network = this.#network;
    if (network)
      await engineCall(`removing network ${network.name}`, (o) =>
        this.docker.getNetwork(network.id).remove(o),
      ).catch(() => undefined);
    releasePorts(this.#hostPorts);
    if (this.privateDir) rmSync(this.privateDir, { recursive: true, force: true });
  }
}
