/** A proxy: its listener, the connections it forwards to its upstream, how it starts, stops and is updated,
 * and the JSON the HTTP API shows for it. */
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { type HostPort, joinHostPort, resolveListen, resolveTcpAddr, splitHostPort } from './address.ts';
import { Connection, SOCKET_HIGH_WATER } from './connection.ts';
import { ApiError } from './errors.ts';
import { Serial } from './locks.ts';
import type { ProxyMetrics } from './metrics.ts';
import { ToxicCollection } from './toxic-collection.ts';
import { type ToxicJson, toxicJson } from './toxic-spec.ts';

export interface ProxySettings {
  listen: string;
  upstream: string;
  enabled: boolean;
}

export interface ProxyJson {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  /** The real server's *zerolog.Logger, which marshals as an empty object. */
  Logger: Record<string, never>;
  toxics: ToxicJson[];
}

/** A named listener that forwards every accepted connection to `upstream` through its toxics. */
export class ToxicProxy {
  enabled = false;
  readonly toxics = new ToxicCollection();
  private server: Server | undefined;
  private readonly connections = new Set<Connection>();
  /** Accepted clients waiting for their dial: Toxiproxy dials in its accept loop, one client at a time. */
  private waiting: Socket[] = [];
  private dialing: Promise<void> | undefined;
  /** Toxiproxy's proxy lock: start, stop and update one at a time; toxics and reads do not take it. */
  private readonly lock = new Serial();

  constructor(
    readonly name: string,
    public listen: string,
    public upstream: string,
    private readonly metrics: ProxyMetrics,
    private readonly clusterDials = false,
  ) {}

  /** Binds the listener; `listen` then shows the real address (port 0 becomes the chosen port). */
  start(): Promise<void> {
    return this.lock.run(() => this.open());
  }

  /** Closes the listener and every open connection (see close). */
  stop(): Promise<void> {
    return this.lock.run(() => this.close());
  }

  /** Toxiproxy's rule: a new listen or upstream restarts the proxy; `enabled` starts or stops it. A listen
   * that does not resolve fails before anything changes. */
  update(next: ProxySettings): Promise<void> {
    return this.lock.run(async () => {
      if (await this.differs(next)) {
        await this.close();
        this.listen = next.listen;
        this.upstream = next.upstream;
      }
      if (next.enabled && !this.enabled) await this.open();
      if (!next.enabled && this.enabled) await this.close();
    });
  }

  private async open(): Promise<void> {
    if (this.enabled) return;
    const server = createServer(
      { allowHalfOpen: true, pauseOnConnect: true, noDelay: true, highWaterMark: SOCKET_HIGH_WATER },
      this.accept,
    );
    // Go's net.Listen names no address when it cannot resolve one.
    const address = await resolveListen(this.listen).catch((err: Error) => {
      throw new ApiError(`listen tcp: ${err.message}`, 500);
    });
    await listenOn(server, address);
    const bound = server.address() as AddressInfo;
    this.server = server;
    this.listen = joinHostPort(bound.address, bound.port);
    this.enabled = true;
  }

  /** As in Toxiproxy, a pending dial is waited out first (and its connection then closed), and clients
   * still waiting for theirs are reset, as the kernel resets the unaccepted connections of a closed
   * listener. */
  private async close(): Promise<void> {
    const server = this.server;
    this.enabled = false;
    this.server = undefined;
    if (server === undefined) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const client of this.waiting.splice(0)) client.resetAndDestroy();
    await this.dialing;
    for (const connection of this.connections) connection.destroy();
    await closed;
  }

  /** Toxiproxy's Differs: the listen compared once resolved (`localhost:P` is this proxy on
   * `127.0.0.1:P`), the upstream as text. A resolver error is a 500 in the resolver's words. */
  async differs(next: ProxySettings): Promise<boolean> {
    const listen = await resolveTcpAddr(next.listen).catch((err: Error) => {
      throw new ApiError(err.message, 500);
    });
    return listen !== this.listen || next.upstream !== this.upstream;
  }

  toJSON(): ProxyJson {
    const { name, listen, upstream, enabled } = this;
    return { name, listen, upstream, enabled, Logger: {}, toxics: this.toxics.list().map(toxicJson) };
  }

  private readonly accept = (client: Socket): void => {
    if (this.clusterDials) {
      this.connect(client);
      return;
    }
    client.on('error', ignore);
    this.waiting.push(client);
    this.dialing ??= this.dialInTurn();
  };

  private async dialInTurn(): Promise<void> {
    for (let client = this.waiting.shift(); client !== undefined; client = this.waiting.shift()) {
      await this.connect(client)?.dialed;
    }
    this.dialing = undefined;
  }

  private connect(client: Socket): Connection | undefined {
    let target: HostPort;
    try {
      target = splitHostPort(this.upstream);
    } catch {
      client.destroy();
      return undefined;
    }
    const labels = { proxy: this.name, listener: this.listen, upstream: this.upstream };
    const connection = new Connection(client, target, this.toxics, this.metrics, labels, {
      clusterDial: this.clusterDials,
      onGone: (gone) => this.connections.delete(gone),
    });
    this.connections.add(connection);
    return connection;
  }
}

const ignore = (): void => {};

const BIND_ERRORS: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: 'cannot assign requested address',
  EACCES: 'permission denied',
};

function listenOn(server: Server, { host, port, wildcard }: HostPort & { wildcard: boolean }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = BIND_ERRORS[err.code ?? ''] ?? err.message;
      reject(new ApiError(`listen tcp ${joinHostPort(host, port)}: bind: ${why}`, 500));
    });
    server.listen(wildcard ? { port } : { host, port }, () => resolve());
  });
}
