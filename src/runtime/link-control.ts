/** A cluster's links as Toxiproxy proxies: slowing, cutting and limiting them, and the bytes each carried. */
import { type Bandwidth, type Latency, type Proxy as LinkProxy, Toxiproxy } from 'toxiproxy-node-client';

/** Bytes a link carried: from its connecting side (upstream) and back (downstream). */
export interface LinkBytes {
  upstream: number;
  downstream: number;
}

/** A proxy as Toxiproxy's API shows it, the fields read here. */
interface ProxyState {
  enabled: boolean;
  toxics?: {
    type: string;
    stream: string;
    attributes: { latency?: number; jitter?: number; rate?: number };
  }[];
}

/**
 * Slows and cuts a cluster's links through the Toxiproxy HTTP API (ours or the real server): each link is
 * the proxy of the same name. Changes take effect on connections already open.
 */
export class LinkControl {
  readonly #client: Toxiproxy;

  constructor(readonly apiUrl: string) {
    this.#client = new Toxiproxy(apiUrl);
  }

  #proxy(link: string): Promise<LinkProxy> {
    return this.#client.get(link);
  }

  /** Creates the proxy of one link, listening on `listen` (host:port) and forwarding to `upstream`. */
  async create(link: string, listen: string, upstream: string): Promise<void> {
    await this.#client.createProxy({ name: link, listen, upstream });
  }

  /** Disabling a proxy closes its listener and every open connection; enabling binds it again. */
  async setEnabled(links: string[], enabled: boolean): Promise<void> {
    await Promise.all(
      links.map(async (link) => {
        const proxy = await this.#proxy(link);
        await proxy.update({ enabled, listen: proxy.listen, upstream: proxy.upstream });
      }),
    );
  }

  /** A toxic on each link, in one direction. */
  async #addToxic<T extends Latency | Bandwidth>(
    links: string[],
    toxic: { name: string; type: 'latency' | 'bandwidth'; stream: 'upstream' | 'downstream'; attributes: T },
  ): Promise<void> {
    await Promise.all(
      links.map(async (link) => (await this.#proxy(link)).addToxic<T>({ ...toxic, toxicity: 1 })),
    );
  }

  /**
   * Delays every chunk over each link in one direction: `downstream` (Toxiproxy's default) is what comes back
   * to the connecting side, so each request and answer round trip takes `latencyMs` (± jitter) longer;
   * `upstream` is what the connecting side sends.
   */
  addLatency(
    links: string[],
    name: string,
    latencyMs: number,
    jitterMs = 0,
    stream: 'upstream' | 'downstream' = 'downstream',
  ): Promise<void> {
    const attributes: Latency = { latency: latencyMs, jitter: jitterMs };
    return this.#addToxic(links, { name, type: 'latency', stream, attributes });
  }

  /** Limits what each link carries in one direction to `rateKBps` KB/s (Toxiproxy's bandwidth toxic). */
  addBandwidth(
    links: string[],
    name: string,
    rateKBps: number,
    stream: 'upstream' | 'downstream',
  ): Promise<void> {
    const attributes: Bandwidth = { rate: rateKBps };
    return this.#addToxic(links, { name, type: 'bandwidth', stream, attributes });
  }

  async removeToxic(links: string[], name: string): Promise<void> {
    await Promise.all(links.map(async (link) => (await (await this.#proxy(link)).getToxic(name)).remove()));
  }

  /**
   * Bytes each proxy delivered, per direction, from Toxiproxy's /metrics (the real server started with
   * -proxy-metrics, or ours). A connection's bytes are counted when it closes: read this once the services
   * behind the links have stopped.
   */
  async bytes(): Promise<Record<string, LinkBytes>> {
    const text = await (await fetch(`${this.apiUrl}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
    const bytes: Record<string, LinkBytes> = {};
    for (const line of text.split('\n')) {
      const m = /^toxiproxy_proxy_sent_bytes_total\{(.*)\} (\S+)$/.exec(line);
      if (!m) continue;
      const labels = Object.fromEntries(
        [...(m[1] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]),
      );
      const proxy = labels.proxy ?? '';
      const direction = labels.direction === 'upstream' ? 'upstream' : 'downstream';
      bytes[proxy] ??= { upstream: 0, downstream: 0 };
      bytes[proxy][direction] += Number(m[2]);
    }
    return bytes;
  }

  /**
   * How Toxiproxy shows each link now: enabled or disabled, and its toxics (e.g. "proxy: enabled, latency
   * +300 ms upstream"). Read from the API itself: the npm client's proxies do not keep their toxics.
   */
  async states(links: string[]): Promise<{ id: string; state: string }[]> {
    return Promise.all(
      links.map(async (id) => {
        const url = `${this.apiUrl}/proxies/${encodeURIComponent(id)}`;
        const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
        if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
        const proxy = (await response.json()) as ProxyState;
        const toxics = (proxy.toxics ?? []).map((t) => {
          const { latency = 0, jitter = 0, rate = 0 } = t.attributes;
          if (t.type === 'latency')
            return `latency +${latency} ms${jitter ? ` ± ${jitter}` : ''} ${t.stream}`;
          return t.type === 'bandwidth' ? `bandwidth ${rate} KB/s ${t.stream}` : `${t.type} ${t.stream}`;
        });
        return { id, state: `proxy: ${[proxy.enabled ? 'enabled' : 'disabled', ...toxics].join(', ')}` };
      }),
    );
  }

  /** Every proxy enabled, every toxic removed. */
  reset(): Promise<void> {
    return this.#client.reset();
  }
}
