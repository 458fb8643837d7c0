import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { Link, Topology } from '../../topology/topology.ts';
import { LinkControl } from '../link-control.ts';
import { waitUntilReady } from '../readiness.ts';
import type { Cluster, Runtime, StartOptions } from '../runtime.ts';
import { freePort } from './ports.ts';
import { ManagedProcess } from './process.ts';
import {
  appNodeService,
  HOST,
  haproxyService,
  type LocalService,
  onPath,
  redisService,
  toxiproxyService,
} from './services.ts';

/** Runs a topology as child processes on 127.0.0.1, each on a free port. */
export class LocalRuntime implements Runtime {
  readonly name = 'local';

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

function logTail(file: string, lines = 5): string {
  if (!existsSync(file)) return '';
  const tail = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n    ');
  return tail ? `\n  last lines of ${file}:\n    ${tail}` : `; its log ${file} is empty`;
}

class LocalCluster implements Cluster {
  readonly #services = new Map<string, LocalService>();
  readonly #processes = new Map<string, ManagedProcess>();
  #stopped = false;
  lbUrl = '';
  toxiproxyUrl = '';
  extras: Record<string, string> = {};

  constructor(
    readonly topology: Topology,
    readonly dir: string,
    readonly readyTimeoutMs: number,
  ) {}

  async startAll(): Promise<void> {
    const { lb, apps, stores } = this.topology;
    this.#services.set('toxiproxy', toxiproxyService(await freePort(), this.dir, onPath('toxiproxy-server')));
    await this.#run('toxiproxy');
    this.toxiproxyUrl = this.url('toxiproxy');
    const links = new LinkControl(this.toxiproxyUrl);
    await links.reset();
    for (const store of stores) this.#services.set(store.id, redisService(store, await freePort(), this.dir));
    await Promise.all(stores.map((s) => this.#run(s.id)));
    const storeVia = await this.#proxyLinks(links, 'store');
    for (const app of apps) {
      const storeUrl = (id: string): string => `redis://${storeVia[`${app.id}->${id}`]}`;
      this.#services.set(app.id, appNodeService(app, await freePort(), this.dir, storeUrl));
    }
    await Promise.all(apps.map((a) => this.#run(a.id)));
    const lbVia = await this.#proxyLinks(links, 'lb');
    const backends = Object.fromEntries(apps.map((a) => [a.id, lbVia[`${lb.id}->${a.id}`] as string]));
    const ports = { listen: await freePort(), stats: await freePort() };
    this.#services.set(lb.id, haproxyService(lb, ports, this.dir, backends));
    await this.#run(lb.id);
    this.lbUrl = this.url(lb.id);
    this.extras = { 'haproxy stats': `http://${HOST}:${ports.stats}/`, 'toxiproxy API': this.toxiproxyUrl };
  }

  /** Creates the proxies of one kind of link; returns link id → the address to use instead of the target's. */
  async #proxyLinks(links: LinkControl, kind: Link['kind']): Promise<Record<string, string>> {
    const via: Record<string, string> = {};
    for (const link of this.topology.links.filter((l) => l.kind === kind)) {
      via[link.id] = await links.create(link.id, new URL(this.url(link.to)).host);
    }
    return via;
  }

  async #run(id: string): Promise<void> {
    if (this.#stopped) throw new Error(`cluster is stopped; cannot start ${id}`);
    const service = this.#service(id);
    const process = ManagedProcess.start(service.spec);
    this.#processes.set(id, process);
    await waitUntilReady(service.readiness, {
      timeoutMs: this.readyTimeoutMs,
      exited: () => process.exit,
      hint: logTail(service.spec.logFile),
    });
  }

  #service(id: string): LocalService {
    const service = this.#services.get(id);
    if (!service)
      throw new Error(`no service ${id} in this cluster; it has: ${[...this.#services.keys()].join(', ')}`);
    return service;
  }

  url(id: string): string {
    return this.#service(id).url;
  }

  isRunning(id: string): boolean {
    const process = this.#processes.get(id);
    return process !== undefined && process.exit === null;
  }

  async kill(id: string): Promise<void> {
    this.#service(id);
    await this.#processes.get(id)?.kill();
  }

  async restart(id: string): Promise<void> {
    await this.kill(id);
    await this.#run(id);
  }

  /** Load balancer first, so users see a clean refusal rather than half a cluster; stores last. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const { lb, apps, stores } = this.topology;
    for (const group of [[lb.id], apps.map((a) => a.id), stores.map((s) => s.id), ['toxiproxy']])
      await Promise.all(group.map((id) => this.#processes.get(id)?.stop()));
  }
}
