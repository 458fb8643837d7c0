import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { Topology } from '../../topology/topology.ts';
import { waitUntilReady } from '../readiness.ts';
import type { Cluster, Runtime, StartOptions } from '../runtime.ts';
import { freePort } from './ports.ts';
import { ManagedProcess } from './process.ts';
import { appNodeService, HOST, haproxyService, type LocalService, redisService } from './services.ts';

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
  extras: Record<string, string> = {};

  constructor(
    readonly topology: Topology,
    readonly dir: string,
    readonly readyTimeoutMs: number,
  ) {}

  async startAll(): Promise<void> {
    const { lb, apps, stores } = this.topology;
    for (const store of stores) this.#services.set(store.id, redisService(store, await freePort(), this.dir));
    await Promise.all(stores.map((s) => this.#run(s.id)));
    for (const app of apps)
      this.#services.set(
        app.id,
        appNodeService(app, await freePort(), this.dir, (id) => this.url(id)),
      );
    await Promise.all(apps.map((a) => this.#run(a.id)));
    const backends = Object.fromEntries(apps.map((a) => [a.id, this.url(a.id).replace('http://', '')]));
    const ports = { listen: await freePort(), stats: await freePort() };
    this.#services.set(lb.id, haproxyService(lb, ports, this.dir, backends));
    await this.#run(lb.id);
    this.lbUrl = this.url(lb.id);
    this.extras = { 'haproxy stats': `http://${HOST}:${ports.stats}/` };
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
    for (const group of [[lb.id], apps.map((a) => a.id), stores.map((s) => s.id)])
      await Promise.all(group.map((id) => this.#processes.get(id)?.stop()));
  }
}
