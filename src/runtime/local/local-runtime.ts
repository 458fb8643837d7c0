import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Role, type Service, servicesWithRole, type Topology } from '../../topology/topology.ts';
import { HOST } from '../host.ts';
import type { LocalContext } from '../kinds/kind.ts';
import { kindOf } from '../kinds/registry.ts';
import { type LinkBytes, LinkControl } from '../link-control.ts';
import { type BackendState, setBackendState } from '../load-balancer-control.ts';
import { waitUntilReady } from '../readiness.ts';
import { type Cluster, InfrastructureError, type Runtime, type StartOptions } from '../runtime.ts';
import { claimOwner } from './owner.ts';
import { releasePorts, reservePort } from './ports.ts';
import { groupMemoryMb, ManagedProcess, type ProcessSpec } from './process.ts';

/** Runs a topology as child processes on 127.0.0.1, each service on reserved ports. */
export class LocalRuntime implements Runtime {
  readonly name = 'local';

  async prepare(): Promise<void> {
    claimOwner();
  }

  async start(topology: Topology, { dir, readyTimeoutMs = 20_000 }: StartOptions): Promise<Cluster> {
    mkdirSync(dir, { recursive: true });
    const cluster = new LocalCluster(topology, dir, readyTimeoutMs);
    try {
      await cluster.startAll();
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }
}

/** Roles start in this order: the link proxies, what apps connect to (stores, then their Sentinels), the apps, the load balancer. */
const START_ORDER: Role[] = ['links', 'store', 'sentinel', 'app', 'lb'];

/** Toxiproxy counts a connection's two directions a moment apart: read until two readings agree. */
async function settledBytes(links: LinkControl): Promise<Record<string, LinkBytes> | null> {
  let last = '';
  for (let i = 0; i < 20; i += 1) {
    const bytes = await links.bytes().catch(() => null);
    if (bytes === null) return null;
    const now = JSON.stringify(bytes);
    if (now === last) return bytes;
    last = now;
    await sleep(100);
  }
  return JSON.parse(last) as Record<string, LinkBytes>;
}

function logTail(file: string, lines = 5): string {
  if (!existsSync(file)) return '';
  const tail = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n    ');
  return tail ? `\n  last lines of ${file}:\n    ${tail}` : `; its log ${file} is empty`;
}

class LocalCluster implements Cluster {
  /** serviceId → endpoint → host:port it listens on. */
  readonly #listen = new Map<string, Record<string, string>>();
  /** link id → host:port its proxy listens on. */
  readonly #proxies = new Map<string, string>();
  readonly #processes = new Map<string, ManagedProcess>();
  readonly #ports: number[] = [];
  #stopped = false;
  lbUrl = '';
  toxiproxyUrl = '';
  extras: Record<string, string> = {};
  linkBytes: Record<string, LinkBytes> | null = null;

  constructor(
    readonly topology: Topology,
    readonly dir: string,
    readonly readyTimeoutMs: number,
  ) {}

  async #port(): Promise<string> {
    const port = await reservePort();
    this.#ports.push(port);
    return `${HOST}:${port}`;
  }

  async startAll(): Promise<void> {
    for (const service of this.topology.services) {
      const endpoints: Record<string, string> = {};
      for (const name of kindOf(service).endpoints(service)) endpoints[name] = await this.#port();
      this.#listen.set(service.id, endpoints);
    }
    for (const link of this.topology.links) this.#proxies.set(link.id, await this.#port());
    for (const role of START_ORDER) {
      const group = servicesWithRole(this.topology, role).filter((s) => !this.topology.spares.includes(s.id));
      if (group.some((s) => kindOf(s).startsOneAtATime)) {
        for (const s of group) await this.#run(s);
        await Promise.all(group.map((s) => this.#ready(s)));
      } else await Promise.all(group.map((s) => this.#run(s)));
      if (role === 'links') await this.#createProxies(group);
    }
    const [lb] = servicesWithRole(this.topology, 'lb');
    this.lbUrl = lb ? this.url(lb.id) : '';
    for (const service of this.topology.services)
      Object.assign(
        this.extras,
        kindOf(service).extras?.(service, (name) => this.endpoint(service.id, name)),
      );
  }

  /** Every link becomes a proxy of the same name, from a fresh Toxiproxy state. */
  async #createProxies(linkServices: Service[]): Promise<void> {
    const [proxyServer] = linkServices;
    if (!proxyServer) throw new Error(`topology of ${this.topology.strategy} has no link proxy`);
    this.toxiproxyUrl = `http://${this.endpoint(proxyServer.id, 'api')}`;
    const links = new LinkControl(this.toxiproxyUrl);
    await links.reset();
    for (const link of this.topology.links)
      await links.create(link.id, this.#proxyOf(link.id), this.endpoint(link.to, link.endpoint));
  }

  #proxyOf(linkId: string): string {
    const address = this.#proxies.get(linkId);
    if (!address) throw new Error(`no proxy for link ${linkId}`);
    return address;
  }

  #context(service: Service): LocalContext {
    const dataDir = join(this.dir, service.id);
    mkdirSync(dataDir, { recursive: true });
    const reach = (to: string, endpoint: string): string => {
      const link = this.topology.links.find(
        (l) => l.from === service.id && l.to === to && l.endpoint === endpoint,
      );
      return link ? this.#proxyOf(link.id) : this.endpoint(to, endpoint);
    };
    return {
      topology: this.topology,
      dir: this.dir,
      dataDir,
      listen: (endpoint) => this.endpoint(service.id, endpoint),
      reach,
      endpointOf: (id, endpoint) => this.endpoint(id, endpoint),
      storeUrl: (storeId) => {
        const store = this.#service(storeId);
        const url = kindOf(store).storeUrl?.(store, { reach, endpointOf: (id, e) => this.endpoint(id, e) });
        if (url === undefined) throw new Error(`${storeId} (${store.kind}) is not a session store`);
        return url;
      },
    };
  }

  async #run(service: Service): Promise<void> {
    if (this.#stopped) throw new Error(`cluster is stopped; cannot start ${service.id}`);
    const kind = kindOf(service);
    const launch = kind.local(service, this.#context(service));
    for (const folder of launch.folders ?? []) mkdirSync(folder, { recursive: true });
    for (const [file, contents] of Object.entries(launch.files ?? {})) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, contents);
    }
    const { command, args, env, cwd } = launch;
    for (const step of launch.before ?? []) await this.#runToEnd(service, { ...step, env, cwd });
    const process = ManagedProcess.start({
      id: service.id,
      command,
      args,
      env,
      cwd,
      logFile: this.#log(service),
    });
    this.#processes.set(service.id, process);
    await this.#ready(service);
  }

  /** A preparatory command (e.g. initialising a data folder), owned and logged like the service itself. */
  async #runToEnd(service: Service, step: Omit<ProcessSpec, 'id' | 'logFile'>): Promise<void> {
    const logFile = this.#log(service);
    const prepared = ManagedProcess.start({ id: `${service.id}-prepare`, ...step, logFile });
    await prepared.exited;
    if (prepared.exit !== 'exited with code 0')
      throw new InfrastructureError(`${service.id}: \`${step.command}\` ${prepared.exit}${logTail(logFile)}`);
  }

  #log(service: Service): string {
    return join(this.dir, `${service.id}.log`);
  }

  /** Waits until the service is ready: its kind says what that means, its log says why it is not. */
  async #ready(service: Service): Promise<void> {
    const process = this.#processes.get(service.id);
    const readiness = kindOf(service).readiness(
      service,
      (name) => this.endpoint(service.id, name),
      (id) => this.isRunning(id),
    );
    await waitUntilReady(readiness, {
      timeoutMs: this.readyTimeoutMs,
      exited: () => (process ? process.exit : 'was never started'),
      hint: logTail(this.#log(service)),
    });
  }

  #service(id: string): Service {
    const service = this.topology.services.find((s) => s.id === id);
    if (!service)
      throw new Error(
        `no service ${id} in this cluster; it has: ${this.topology.services.map((s) => s.id).join(', ')}`,
      );
    return service;
  }

  endpoints(serviceId: string): Record<string, string> {
    return { ...this.#listen.get(this.#service(serviceId).id) };
  }

  endpoint(serviceId: string, name: string): string {
    const address = this.endpoints(serviceId)[name];
    if (!address) throw new Error(`${serviceId} has no endpoint ${name}`);
    return address;
  }

  url(serviceId: string): string {
    return `http://${this.endpoint(serviceId, 'http')}`;
  }

  isRunning(id: string): boolean {
    const process = this.#processes.get(id);
    return process !== undefined && process.exit === null;
  }

  #process(id: string): ManagedProcess | undefined {
    this.#service(id);
    return this.#processes.get(id);
  }

  async kill(id: string): Promise<void> {
    await this.#process(id)?.kill();
  }

  async pause(id: string): Promise<void> {
    this.#process(id)?.pause();
  }

  async resume(id: string): Promise<void> {
    this.#process(id)?.resume();
  }

  async restart(id: string): Promise<void> {
    await this.kill(id);
    await this.#run(this.#service(id));
  }

  async start(id: string): Promise<void> {
    if (this.isRunning(id)) throw new Error(`${id} is already running`);
    await this.#run(this.#service(id));
  }

  async shutDown(id: string): Promise<void> {
    await this.#process(id)?.stop(5000);
  }

  async setInLoadBalancer(id: string, state: BackendState): Promise<void> {
    this.#service(id);
    for (const lb of servicesWithRole(this.topology, 'lb'))
      await setBackendState(this.endpoint(lb.id, 'admin'), id, state);
  }

  async storePrimary(): Promise<string | null> {
    for (const service of this.topology.services) {
      const ask = kindOf(service).primaryAddress;
      if (!ask || !this.isRunning(service.id)) continue;
      const address = await ask(service, (name) => this.endpoint(service.id, name)).catch(() => null);
      if (address === null) continue;
      const store = servicesWithRole(this.topology, 'store').find(
        (s) => this.endpoints(s.id).store === address,
      );
      if (store) return store.id;
    }
    return null;
  }

  memoryMb(id: string): number | null {
    const pid = this.#process(id)?.child.pid;
    return pid === undefined || !this.isRunning(id) ? null : groupMemoryMb(pid);
  }

  /**
   * In reverse start order: the load balancer first, so users see a clean refusal, the proxies last — and
   * just before them, once every connection through them has closed, the bytes each link carried.
   */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const role of [...START_ORDER].reverse()) {
      const ids = servicesWithRole(this.topology, role).map((s) => s.id);
      if (role === 'links' && this.toxiproxyUrl)
        this.linkBytes = await settledBytes(new LinkControl(this.toxiproxyUrl));
      await Promise.all(ids.map((id) => this.#processes.get(id)?.stop()));
    }
    releasePorts(this.#ports);
  }
}
