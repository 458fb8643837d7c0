/**
 * A running cluster, the same on every runtime: services started in order and made ready, faults'
 * hands on its nodes, stores and links, and its teardown.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { proxied, type Role, type Service, servicesWithRole, type Topology } from '../topology/topology.ts';
import { watchCluster } from './cluster-watch.ts';
import type { LocalContext, Reach } from './kinds/kind.ts';
import { kindOf } from './kinds/registry.ts';
import { type LinkBytes, LinkControl } from './link-control.ts';
import { type BackendState, setBackendState } from './load-balancer-control.ts';
import { EXITED_OK, type Placement, type ServiceHandle } from './placement.ts';
import { waitUntilReady } from './readiness.ts';
import { type Cluster, type ClusterWatch, InfrastructureError, type KernelLinkControl } from './runtime.ts';

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

/** A launch as a person would type it: a shell command as written (`sh -c '…'` shows the '…'), or the image. */
function commandLine({ command, args, image }: { command: string; args: string[]; image?: string }): string {
  if (image !== undefined) return `the image ${image}`;
  if (command === 'sh' && args[0] === '-c' && args[1] !== undefined) return args[1];
  return [command, ...args].join(' ');
}

function logTail(file: string, lines = 5): string {
  if (!existsSync(file)) return '';
  const tail = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n    ');
  return tail ? `\n  last lines of ${file}:\n    ${tail}` : `; its log ${file} is empty`;
}

/** A topology started service by service through a placement (processes, containers): the same for every runtime. */
export class ServiceCluster implements Cluster {
  readonly #handles = new Map<string, ServiceHandle>();
  /** How each service was started, for messages: its command line (a shell command as the user wrote it). */
  readonly #startedAs = new Map<string, string>();
  #stopped = false;
  /** The case's password (see Reach.secret): new for every cluster, known only to the runner and its apps. */
  readonly secret = randomBytes(18).toString('base64url');
  lbUrl = '';
  toxiproxyUrl = '';
  extras: Record<string, string> = {};
  linkBytes: Record<string, LinkBytes> | null = null;
  kernel: KernelLinkControl | null = null;
  #watch: ClusterWatch | null = null;

  private constructor(
    readonly topology: Topology,
    readonly dir: string,
    readonly readyTimeoutMs: number,
    readonly placement: Placement,
    readonly signal: AbortSignal,
  ) {}

  /**
   * Starts every service of the topology; what did start is stopped again when one does not, or when
   * `signal` aborts meanwhile (the case's deadline passed, the run was interrupted).
   */
  static async start(
    topology: Topology,
    dir: string,
    readyTimeoutMs: number,
    placement: Placement,
    signal: AbortSignal = new AbortController().signal,
  ): Promise<ServiceCluster> {
    mkdirSync(dir, { recursive: true });
    const cluster = new ServiceCluster(topology, dir, readyTimeoutMs, placement, signal);
    const stopNow = (): void => void cluster.stop();
    signal.addEventListener('abort', stopNow, { once: true });
    try {
      if (signal.aborted) throw new InfrastructureError('the case was stopped before its cluster started');
      await cluster.#startAll();
    } catch (error) {
      await cluster.stop();
      throw error;
    } finally {
      signal.removeEventListener('abort', stopNow);
    }
    return cluster;
  }

  async #startAll(): Promise<void> {
    await this.placement.assign(this.topology);
    this.kernel = this.placement.kernelLinks?.(this.topology, this.dir) ?? null;
    for (const role of START_ORDER) {
      const group = servicesWithRole(this.topology, role).filter((s) => !this.topology.spares.includes(s.id));
      if (group.some((s) => kindOf(s).startsOneAtATime)) {
        for (const s of group) await this.#run(s);
        await Promise.all(group.map((s) => this.#ready(s)));
      } else await Promise.all(group.map((s) => this.#run(s)));
      if (role === 'links') await this.#createProxies(group);
    }
    const [lb] = servicesWithRole(this.topology, 'lb');
    this.lbUrl = lb ? `http://${this.placement.published(lb.id, 'http')}` : '';
    for (const service of this.topology.services)
      Object.assign(
        this.extras,
        kindOf(service).extras?.(service, (name) => this.placement.published(service.id, name)),
      );
  }

  /** Every link becomes a proxy of the same name, from a fresh Toxiproxy state. */
  async #createProxies(linkServices: Service[]): Promise<void> {
    const [proxyServer] = linkServices;
    if (!proxyServer) throw new Error(`topology of ${this.topology.strategy} has no link proxy`);
    this.toxiproxyUrl = `http://${this.placement.published(proxyServer.id, 'api')}`;
    const links = new LinkControl(this.toxiproxyUrl);
    await links.reset();
    for (const link of this.topology.links.filter(proxied))
      await links.create(
        link.id,
        this.placement.proxyListen(link.id),
        this.placement.direct(link.to, link.endpoint),
      );
  }

  #context(service: Service): LocalContext {
    const dataDir = join(this.dir, service.id);
    mkdirSync(dataDir, { recursive: true });
    const from: Reach = {
      reach: (to, endpoint) => {
        const link = this.topology.links.find(
          (l) => l.from === service.id && l.to === to && l.endpoint === endpoint,
        );
        return link && proxied(link) ? this.placement.viaProxy(link.id) : this.placement.direct(to, endpoint);
      },
      endpointOf: (id, endpoint) => this.endpoint(id, endpoint),
      secret: this.secret,
    };
    return {
      ...from,
      topology: this.topology,
      dir: this.dir,
      dataDir,
      privateDir: this.placement.privateDir,
      ...(this.placement.homeFor
        ? { homeFor: (account: string) => this.placement.homeFor?.(service.id, account) ?? dataDir }
        : {}),
      listen: (endpoint) => this.endpoint(service.id, endpoint),
      storeUrl: (storeId) => {
        const store = this.#service(storeId);
        const url = kindOf(store).storeUrl?.(store, from);
        if (url === undefined) throw new Error(`${storeId} (${store.kind}) is not a session store`);
        return url;
      },
    };
  }

  async #run(service: Service): Promise<void> {
    if (this.#stopped) throw new Error(`cluster is stopped; cannot start ${service.id}`);
    const kind = kindOf(service);
    const ctx = this.#context(service);
    const launch =
      (this.placement.inContainers && kind.container?.(service, ctx)) || kind.local(service, ctx);
    for (const folder of launch.folders ?? []) mkdirSync(folder, { recursive: true });
    for (const [file, contents] of Object.entries(launch.files ?? {})) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, contents);
    }
    const { env, cwd } = launch;
    const logFile = this.#log(service);
    this.#startedAs.set(service.id, commandLine(launch));
    for (const step of launch.before ?? []) {
      const exit = await this.placement.runToEnd(service, { ...step, env, cwd }, logFile, this.signal);
      if (exit !== EXITED_OK)
        throw new InfrastructureError(`${service.id}: \`${step.command}\` ${exit}${logTail(logFile)}`);
    }
    this.#handles.set(service.id, await this.placement.run(service, launch, logFile));
    await this.#ready(service);
  }

  #log(service: Service): string {
    return join(this.dir, `${service.id}.log`);
  }

  /** Waits until the service is ready: its kind says what that means, its log says why it is not. */
  async #ready(service: Service): Promise<void> {
    const handle = this.#handles.get(service.id);
    const readiness = kindOf(service).readiness(
      service,
      (name) => this.endpoint(service.id, name),
      (id) => this.isRunning(id),
      this.secret,
    );
    await waitUntilReady(readiness, {
      timeoutMs: this.readyTimeoutMs,
      exited: () => (handle ? handle.exit : 'was never started'),
      hint: () => this.#clues(service.id),
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
    const service = this.#service(serviceId);
    const names = kindOf(service).endpoints(service);
    return Object.fromEntries(names.map((name) => [name, this.placement.listen(service.id, name)]));
  }

  endpoint(serviceId: string, name: string): string {
    const address = this.endpoints(serviceId)[name];
    if (!address) throw new Error(`${serviceId} has no endpoint ${name}`);
    return address;
  }

  url(serviceId: string): string {
    return `http://${this.endpoint(serviceId, 'http')}`;
  }

  get watch(): ClusterWatch {
    this.#watch ??= watchCluster(this);
    return this.#watch;
  }

  /** The handle of a service as it runs now (its last start), if it was ever started. */
  handle(id: string): ServiceHandle | undefined {
    return this.#handles.get(id);
  }

  failure(id: string): string {
    return `${id} ${this.#handles.get(id)?.exit ?? 'is running'}${this.#clues(id)}`;
  }

  /** Where a person looks when a service fails: how it was started, and its log's last lines. */
  #clues(id: string): string {
    const how = this.#startedAs.get(id);
    return `${how ? `\n  started as: ${how}` : ''}${logTail(this.#log(this.#service(id)))}`;
  }

  isRunning(id: string): boolean {
    const handle = this.#handles.get(id);
    return handle !== undefined && handle.exit === null;
  }

  #handle(id: string): ServiceHandle | undefined {
    this.#service(id);
    return this.#handles.get(id);
  }

  async kill(id: string): Promise<void> {
    await this.#handle(id)?.kill();
  }

  async pause(id: string): Promise<void> {
    await this.#handle(id)?.pause();
  }

  async resume(id: string): Promise<void> {
    await this.#handle(id)?.resume();
  }

  /**
   * Killed, then started again. A store behind Sentinel starts as the primary names it now: after a
   * failover the old primary comes back as the new one's replica, still through a link.
   */
  async restart(id: string): Promise<void> {
    const service = this.#service(id);
    const { restartAs } = kindOf(service);
    const primary = restartAs ? await this.storePrimary() : null;
    await this.kill(id);
    await this.#run(restartAs ? restartAs(service, primary) : service);
  }

  async start(id: string): Promise<void> {
    if (this.isRunning(id)) throw new Error(`${id} is already running`);
    await this.#run(this.#service(id));
  }

  async shutDown(id: string): Promise<void> {
    await this.#handle(id)?.stop(5000);
  }

  async setInLoadBalancer(id: string, state: BackendState): Promise<void> {
    this.#service(id);
    for (const lb of servicesWithRole(this.topology, 'lb'))
      await setBackendState(this.adminSocket(lb.id), id, state);
  }

  /** Where a service's admin interface listens: a unix socket only the runner's user can reach. */
  adminSocket(id: string): string {
    const service = this.#service(id);
    const socket = kindOf(service).adminSocket?.(service, this.placement.privateDir);
    if (!socket) throw new Error(`${id} (${service.kind}) has no admin interface`);
    return socket;
  }

  async storePrimary(): Promise<string | null> {
    for (const service of this.topology.services) {
      const ask = kindOf(service).primaryAddress;
      if (!ask || !this.isRunning(service.id)) continue;
      const at = (name: string) => this.endpoint(service.id, name);
      const address = await ask(service, at, this.secret).catch(() => null);
      if (address === null) continue;
      const store = servicesWithRole(this.topology, 'store').find(
        (s) => this.endpoints(s.id).store === address,
      );
      if (store) return store.id;
    }
    return null;
  }

  /** Bytes of the proxied links (Toxiproxy's counters) and of those the kernel handles (its rules'). */
  async #linkBytes(): Promise<Record<string, LinkBytes> | null> {
    const proxied = this.toxiproxyUrl ? await settledBytes(new LinkControl(this.toxiproxyUrl)) : null;
    const kernel = this.kernel?.bytes() ?? {};
    return proxied === null && Object.keys(kernel).length === 0 ? null : { ...proxied, ...kernel };
  }

  memoryMb(id: string): number | null {
    return this.isRunning(id) ? (this.#handle(id)?.memoryMb() ?? null) : null;
  }

  /**
   * In reverse start order: the load balancer first, so users see a clean refusal, the proxies last — and
   * just before them, once every connection through them has closed, the bytes each link carried.
   */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    try {
      for (const role of [...START_ORDER].reverse()) {
        const ids = servicesWithRole(this.topology, role).map((s) => s.id);
        if (role === 'links') this.linkBytes = await this.#linkBytes();
        await Promise.all(ids.map((id) => this.#handles.get(id)?.stop()));
      }
    } finally {
      await this.kernel?.healAll().catch(() => {});
      await this.placement.release();
    }
  }
}
