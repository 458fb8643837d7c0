/** The server's proxies, by name: what the HTTP API creates, looks up, replaces, resets and deletes, under
 * the real server's lock on the collection. */
import { proxyAlreadyExists, proxyNotFound } from './errors.ts';
import { RwLock } from './locks.ts';
import { ProxyMetrics } from './metrics.ts';
import { type ProxySettings, ToxicProxy } from './proxy.ts';

export interface ProxyInput extends ProxySettings {
  name: string;
}

/** Every proxy of the server by name; guards name uniqueness and proxy lifecycles. */
export class ProxyCollection {
  private readonly proxies = new Map<string, ToxicProxy>();
  private readonly lock = new RwLock();
  /** Byte counters of every link the proxies carried; they outlive the proxies, as in Toxiproxy. */
  readonly metrics = new ProxyMetrics();

  /** `clusterDials`: dial as a cluster needs (see CLUSTER_DIALS_ENV and Connection). */
  constructor(private readonly clusterDials = false) {}

  /** Sorted by name as UTF-8 bytes, the order Go's JSON encoder gives the real server's map (UTF-16
   * order differs past U+FFFF). */
  private list(): ToxicProxy[] {
    return [...this.proxies.values()].sort((a, b) =>
      Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)),
    );
  }

  /** Every proxy, once no change to the collection holds or waits for it (Toxiproxy's RLock). */
  listed(): Promise<ToxicProxy[]> {
    return this.lock.read(() => this.list());
  }

  /** The proxy of that name, read as `listed` is; 404 if there is none. */
  lookup(name: string): Promise<ToxicProxy> {
    return this.lock.read(() => this.get(name));
  }

  /** Adds and starts a proxy, holding the collection meanwhile, as Toxiproxy's Add does. */
  create(input: ProxyInput): Promise<ToxicProxy> {
    return this.lock.write(() => this.add(input));
  }

  /** Stops and removes a proxy, holding the collection meanwhile: a stop that waits out a pending dial
   * holds back every call that needs the collection, as in Toxiproxy. */
  remove(name: string): Promise<void> {
    return this.lock.write(async () => {
      const proxy = this.get(name);
      await proxy.stop();
      this.proxies.delete(name);
    });
  }

  /** Populate's rule for one entry (Toxiproxy's AddOrReplace): an existing proxy with the same listen
   * and upstream is kept as it is (toxics included); otherwise it is stopped, and replaced once the new one
   * has started — if that fails, the old one stays, disabled, with its toxics. */
  createOrReplace(input: ProxyInput): Promise<ToxicProxy> {
    return this.lock.write(async () => {
      const existing = this.proxies.get(input.name);
      if (existing === undefined) return this.add(input);
      if (!(await existing.differs(input))) return existing;
      await existing.stop();
      const proxy = this.newProxy(input);
      if (input.enabled) await proxy.start();
      this.proxies.set(proxy.name, proxy);
      return proxy;
    });
  }

  /** Re-enables every proxy and removes every toxic; proxies and open connections stay. */
  async reset(): Promise<void> {
    for (const proxy of await this.listed()) {
      await proxy.start();
      proxy.toxics.removeAll();
    }
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.list().map((proxy) => proxy.stop()));
    this.proxies.clear();
  }

  private get(name: string): ToxicProxy {
    const proxy = this.proxies.get(name);
    if (proxy === undefined) throw proxyNotFound();
    return proxy;
  }

  private async add(input: ProxyInput): Promise<ToxicProxy> {
    if (this.proxies.has(input.name)) throw proxyAlreadyExists();
    const proxy = this.newProxy(input);
    if (input.enabled) await proxy.start();
    this.proxies.set(proxy.name, proxy);
    return proxy;
  }

  private newProxy(input: ProxyInput): ToxicProxy {
    const { name, listen, upstream } = input;
    return new ToxicProxy(name, listen, upstream, this.metrics, this.clusterDials);
  }
}
