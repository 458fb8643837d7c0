import { type Latency, type Proxy as LinkProxy, Toxiproxy } from 'toxiproxy-node-client';

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

  /**
   * Delays every chunk over each link in one direction: `downstream` (Toxiproxy's default) is what comes back
   * to the connecting side, so each request and answer round trip takes `latencyMs` (± jitter) longer;
   * `upstream` is what the connecting side sends.
   */
  async addLatency(
    links: string[],
    name: string,
    latencyMs: number,
    jitterMs = 0,
    stream: 'upstream' | 'downstream' = 'downstream',
  ): Promise<void> {
    const attributes: Latency = { latency: latencyMs, jitter: jitterMs };
    await Promise.all(
      links.map(async (link) =>
        (await this.#proxy(link)).addToxic<Latency>({
          name,
          type: 'latency',
          stream,
          toxicity: 1,
          attributes,
        }),
      ),
    );
  }

  async removeToxic(links: string[], name: string): Promise<void> {
    await Promise.all(links.map(async (link) => (await (await this.#proxy(link)).getToxic(name)).remove()));
  }

  /** Every proxy enabled, every toxic removed. */
  reset(): Promise<void> {
    return this.#client.reset();
  }
}
