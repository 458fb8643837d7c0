/** The local runtime: clusters as child processes here, or with --netns in network namespaces of its own. */
import { rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { proxied, type Service, type Topology } from '../../topology/topology.ts';
import { HOST, hostPort } from '../host.ts';
import { allStopped } from '../kernel-view.ts';
import type { LocalLaunch } from '../kinds/kind.ts';
import { kindOf } from '../kinds/registry.ts';
import { type KernelLink, KernelLinks } from '../netns/kernel-links.ts';
import { RunNetwork } from '../netns/run-network.ts';
import type { LaunchStep, Placement, ServiceHandle } from '../placement.ts';
import type { Cluster, Runtime, StartOptions } from '../runtime.ts';
import { ServiceCluster } from '../service-cluster.ts';
import { claimOwner, privateFolder, recordNamespace } from './owner.ts';
import { releasePorts, reservePort } from './ports.ts';
import { ManagedProcess, processTree, treeMemoryMb } from './process.ts';
import { homesOf, serviceHome } from './service-home.ts';

/**
 * Runs a topology as child processes on 127.0.0.1, each service on reserved ports; with `netns`, each app
 * node and store in a network namespace of its own (see RunNetwork), so faults can act in the kernel.
 */
export class LocalRuntime implements Runtime {
  readonly name = 'local';

  constructor(readonly netns = false) {}

  get kernelFaults(): boolean {
    return this.netns;
  }

  async prepare(): Promise<void> {
    claimOwner();
  }

  async start(topology: Topology, { dir, readyTimeoutMs = 20_000, signal }: StartOptions): Promise<Cluster> {
    return ServiceCluster.start(topology, dir, readyTimeoutMs, new LocalPlacement(this.netns), signal);
  }
}

/** A service as a process group: memory read from /proc. */
class ProcessHandle implements ServiceHandle {
  constructor(readonly process: ManagedProcess) {}
  get exit(): string | null {
    return this.process.exit;
  }
  get exited(): Promise<void> {
    return this.process.exited;
  }
  get pid(): number | null {
    return this.process.child.pid ?? null;
  }
  paused = async (): Promise<boolean | null> =>
    this.pid === null ? null : allStopped(processTree(this.pid));
  kill = (): Promise<void> => this.process.kill();
  pause = async (): Promise<void> => this.process.pause();
  resume = async (): Promise<void> => this.process.resume();
  stop = (graceMs?: number): Promise<void> => this.process.stop(graceMs);
  memoryMb(): number | null {
    const pid = this.process.child.pid;
    return pid === undefined ? null : treeMemoryMb(pid);
  }
}

/** A connection's server side, as a kernel link takes it. */
const leg = (address: string): { server: string; port: number } => {
  const { host, port } = hostPort(address);
  return { server: host, port };
};

/** Roles that run in namespaces of their own with --netns; the proxies and the load balancer stay here. */
const IN_NAMESPACES = new Set(['app', 'store', 'sentinel']);
let clusters = 0;

/**
 * Every endpoint and link proxy on a port of its own: on 127.0.0.1, or with `netns` at the service's own
 * address (the proxies at this machine's address on the run's bridge); every path is direct or through a
 * proxy's port.
 */
class LocalPlacement implements Placement {
  readonly inContainers = false;
  privateDir = '';
  network: RunNetwork | null = null;

  constructor(readonly netns: boolean) {}

  /** serviceId → endpoint → host:port it listens on. */
  readonly #listen = new Map<string, Record<string, string>>();
  /** link id → host:port its proxy listens on. */
  readonly #proxies = new Map<string, string>();
  readonly #ports: number[] = [];
  readonly #homes = new Map<string, string>();

  async #port(host = HOST): Promise<string> {
    const port = await reservePort();
    this.#ports.push(port);
    return `${host}:${port}`;
  }

  async assign(topology: Topology): Promise<void> {
    this.privateDir = privateFolder();
    if (this.netns) {
      clusters += 1;
      const members = topology.services.filter((s) => IN_NAMESPACES.has(s.role)).map((s) => s.id);
      this.network = new RunNetwork(`sc-${claimOwner()}-${clusters}`, members, recordNamespace);
    }
    const network = this.network;
    for (const service of topology.services) {
      const endpoints: Record<string, string> = {};
      const host = network?.address(service.id) ?? HOST;
      for (const name of kindOf(service).endpoints(service)) endpoints[name] = await this.#port(host);
      this.#listen.set(service.id, endpoints);
    }
    for (const link of topology.links.filter(proxied))
      this.#proxies.set(link.id, await this.#port(network?.hostAddress));
  }

  /**
   * Every link as the hub's packet filter sees it, by the legs that cross the hub and are the link's alone:
   * from a node in a namespace, to the link's proxy and straight to its server (a client may go around the
   * proxy: Tomcat's state transfer, Redis replication after a failover); from the load balancer (outside),
   * from the proxy to the node (the runner's own direct probes of that node take that leg too).
   */
  kernelLinks(topology: Topology, logDir: string): KernelLinks | null {
    const network = this.network;
    if (!network) return null;
    const kernelLinks = topology.links.map((link): KernelLink => {
      const flows = link.flows ?? 'both';
      const server = leg(this.listen(link.to, link.endpoint));
      const client = network.address(link.from);
      if (client === null) return { id: link.id, legs: [{ client: network.hostAddress, ...server }], flows };
      const direct = { client, ...server };
      if (!proxied(link)) return { id: link.id, legs: [direct], flows };
      return { id: link.id, legs: [{ client, ...leg(this.proxyListen(link.id)) }, direct], flows };
    });
    return new KernelLinks(network.hub, kernelLinks, logDir);
  }

  listen(serviceId: string, endpoint: string): string {
    const address = this.#listen.get(serviceId)?.[endpoint];
    if (!address) throw new Error(`${serviceId} has no endpoint ${endpoint}`);
    return address;
  }

  published = (serviceId: string, endpoint: string): string => this.listen(serviceId, endpoint);
  direct = (serviceId: string, endpoint: string): string => this.listen(serviceId, endpoint);

  proxyListen(linkId: string): string {
    const address = this.#proxies.get(linkId);
    if (!address) throw new Error(`no proxy for link ${linkId}`);
    return address;
  }

  viaProxy = (linkId: string): string => this.proxyListen(linkId);

  async run(service: Service, launch: LocalLaunch, logFile: string): Promise<ServiceHandle> {
    const [command, ...args] = [...(this.network?.enter(service.id) ?? []), launch.command, ...launch.args];
    const { env, cwd } = launch;
    return new ProcessHandle(
      ManagedProcess.start({ id: service.id, command: command ?? '', args, env, cwd, logFile }),
    );
  }

  /** A preparatory command (e.g. initialising a data folder), owned and logged like the service itself. */
  async runToEnd(service: Service, step: LaunchStep, logFile: string, signal?: AbortSignal): Promise<string> {
    const [command = '', ...args] = [...(this.network?.enter(service.id) ?? []), step.command, ...step.args];
    const prepared = ManagedProcess.start({ id: `${service.id}-prepare`, ...step, command, args, logFile });
    const kill = (): void => void prepared.kill();
    signal?.addEventListener('abort', kill, { once: true });
    if (signal?.aborted) kill();
    await prepared.exited;
    signal?.removeEventListener('abort', kill);
    return prepared.exit ?? 'did not end';
  }

  homeFor(serviceId: string, account: string): string {
    const known = this.#homes.get(serviceId);
    if (known) return known;
    const home = serviceHome(claimOwner(), basename(this.privateDir), serviceId, account);
    this.#homes.set(serviceId, home);
    return home;
  }

  async release(): Promise<void> {
    this.network?.remove();
    if (this.privateDir) rmSync(this.privateDir, { recursive: true, force: true });
    if (this.#homes.size > 0)
      rmSync(join(homesOf(claimOwner()), basename(this.privateDir)), { recursive: true, force: true });
    releasePorts(this.#ports);
  }
}
