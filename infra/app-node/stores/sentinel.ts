/**
 * Redis behind Sentinel, followed the way Redis's guidelines for Sentinel clients describe: ask the
 * Sentinels which server holds the role (the primary, or a healthy replica: the primary while none is
 * known), connect to it, and ask again twice a second, switching when the answer changes. Each address Sentinel hands out is first mapped to the
 * one this node reaches that server by (its own link), so faults on those links reach its session traffic.
 *
 * node-redis has a Sentinel client, but with an address map it compares the mapped address it is connected
 * to with the unmapped one Sentinel names, finds them different at every scan, and reconnects its primary
 * every second (node-redis 5.12, `RedisSentinelInternal.analyze`).
 */
import { createClient } from 'redis';
import { describe, type Log } from './common.ts';

type Client = ReturnType<typeof createClient>;
type ClientOptions = NonNullable<Parameters<typeof createClient>[0]>;
export interface Address {
  host: string;
  port: number;
}

export interface FollowOptions {
  name: string;
  sentinels: Address[];
  /** Where this node reaches a server Sentinel names (host:port) by. */
  map: (address: string) => Address;
  role: 'primary' | 'replica';
  clientOptions: ClientOptions;
  log: Log;
}

const ASK_EVERY_MS = 500;

/** A Sentinel's answer about a replica: flat name/value pairs (RESP2) or a map (RESP3). */
function fields(entry: unknown): Record<string, string> {
  if (Array.isArray(entry)) {
    const out: Record<string, string> = {};
    for (let i = 0; i + 1 < entry.length; i += 2) out[String(entry[i])] = String(entry[i + 1]);
    return out;
  }
  return entry as Record<string, string>;
}

/** A client to whichever server the Sentinels name for a role, kept up to date. */
export class SentinelFollower {
  #client: Client | null = null;
  #address = '';
  #sentinel: Client | null = null;
  #next = 0;
  #timer: NodeJS.Timeout | undefined;
  /** A look at the Sentinels is under way: the next waits for its turn rather than overlapping it. */
  #asking = false;
  #connected: Promise<unknown> = Promise.resolve();

  constructor(readonly options: FollowOptions) {}

  /**
   * Follows from now on; resolves once it has connected to a server named for the role (asking again until
   * the Sentinels name one: the caller bounds the wait).
   */
  async start(): Promise<void> {
    for (;;) {
      try {
        await this.#follow();
        break;
      } catch (error) {
        this.options.log(`sentinel: ${describe(error)}; asking again`);
        await new Promise((resolve) => setTimeout(resolve, ASK_EVERY_MS));
      }
    }
    await this.#connected;
    this.#timer = setInterval(() => {
      if (this.#asking) return;
      this.#follow().catch((error: unknown) => this.options.log(`sentinel: ${describe(error)}`));
    }, ASK_EVERY_MS);
  }

  /** The client to the server named now: a command fails (503) while none is connected. */
  get client(): Client {
    if (this.#client === null) throw new Error(`no ${this.options.role} known yet`);
    return this.#client;
  }

  /** Asks the Sentinels, and switches to a new client when they name another server. */
  async #follow(): Promise<void> {
    this.#asking = true;
    try {
      const address = await this.#ask();
      if (address !== this.#address) this.#switchTo(address);
    } finally {
      this.#asking = false;
    }
  }

  /** Not awaited: a client reconnects on its own while its server is away, and the next ask may move on. */
  #switchTo(address: string): void {
    const { host, port } = this.options.map(address);
    const { clientOptions, log, role } = this.options;
    const client = createClient({ ...clientOptions, socket: { ...clientOptions.socket, host, port } });
    let lastError = '';
    client.on('error', (error: unknown) => {
      if (describe(error) !== lastError) log(`redis ${address} via ${host}:${port}: ${describe(error)}`);
      lastError = describe(error);
    });
    const old = this.#client;
    this.#client = client;
    this.#address = address;
    log(`following ${address} (the ${role}) via ${host}:${port}`);
    if (old?.isOpen) old.destroy();
    this.#connected = client.connect();
  }

  /** The address the Sentinels name for the role, asking them in turn until one answers. */
  async #ask(): Promise<string> {
    const { sentinels, name, role } = this.options;
    for (let tried = 0; tried < sentinels.length; tried += 1) {
      try {
        const sentinel = await this.#sentinelClient();
        if (role === 'primary') return await this.#askPrimary(sentinel);
        const replicas = ((await sentinel.sendCommand(['SENTINEL', 'replicas', name])) as unknown[]).map(
          fields,
        );
        const healthy = replicas.find(
          (r) => !/s_down|o_down|disconnected/.test(r.flags ?? '') && r['master-link-status'] === 'ok',
        );
        if (healthy) return `${healthy.ip}:${healthy.port}`;
        // No healthy replica known (Sentinel learns of replicas from the primary every 10 s): read the primary.
        return this.#askPrimary(sentinel);
      } catch (error) {
        this.#dropSentinel();
        if (tried === sentinels.length - 1) throw error;
      }
    }
    throw new Error('no Sentinel to ask');
  }

  async #askPrimary(sentinel: Client): Promise<string> {
    const { name } = this.options;
    const [ip, port] = (await sentinel.sendCommand([
      'SENTINEL',
      'get-master-addr-by-name',
      name,
    ])) as string[];
    if (ip && port) return `${ip}:${port}`;
    throw new Error(`no primary named ${name}`);
  }

  async #sentinelClient(): Promise<Client> {
    if (this.#sentinel?.isReady) return this.#sentinel;
    this.#dropSentinel();
    const { sentinels, clientOptions } = this.options;
    const at = sentinels[this.#next % sentinels.length] as Address;
    this.#next += 1;
    const client = createClient({
      ...clientOptions,
      socket: { ...clientOptions.socket, ...at, reconnectStrategy: false },
    });
    client.on('error', () => undefined); // a failed ask moves on to the next Sentinel
    this.#sentinel = client;
    await client.connect();
    return client;
  }

  #dropSentinel(): void {
    if (this.#sentinel?.isOpen) this.#sentinel.destroy();
    this.#sentinel = null;
  }

  close(): void {
    clearInterval(this.#timer);
    this.#dropSentinel();
    if (this.#client?.isOpen) this.#client.destroy();
    this.#client = null;
  }
}
