/** A client proxied to the upstream: the dial made for it, then the upstream and downstream links that
 * carry its bytes through the proxy's toxics, until both sides have closed. */
import { connect, type NetConnectOpts, type Socket } from 'node:net';
import type { HostPort } from './address.ts';
import { Link } from './link.ts';
import type { LinkLabels, ProxyMetrics } from './metrics.ts';
import type { ToxicCollection } from './toxic-collection.ts';
import type { Direction } from './toxic-spec.ts';
import { toxicKind } from './toxics/registry.ts';

const ignore = (): void => {};

/** Per-socket write buffer before a link pauses its source. Node's 16 KiB default would pause and resume
 * the source on nearly every 64 KiB read under load; 1 MiB keeps bulk transfers streaming. */
export const SOCKET_HIGH_WATER = 1024 * 1024;
const KEEP_ALIVE_MS = 15_000;

/** One accepted client and its upstream socket, joined by two links. It dials the upstream when made; if
 * that fails the client is closed at once, like Toxiproxy. While the dial is pending the client is read
 * into a buffer, which the upstream gets first.
 *
 * Toxiproxy dials on when the client leaves, and then delivers what it sent. With `clusterDial` a client
 * that gives up (a load balancer's server timeout resets the connection) abandons its dial instead: else a
 * dial to a blackholed address would connect minutes later, to whatever then holds the address, and
 * deliver a request its sender had long given up on. */
export class Connection {
  private readonly upstream: Socket;
  private links: Link[] = [];
  private openSockets = 2;
  private readonly early: Buffer[] = [];
  private earlyBytes = 0;
  private earlyEnd = false;
  private lingerZero = false;
  /** Settles when the dial has connected or failed. */
  readonly dialed: Promise<void>;
  private dialDone: () => void = ignore;

  constructor(
    private readonly client: Socket,
    target: HostPort,
    private readonly toxics: ToxicCollection,
    private readonly metrics: ProxyMetrics,
    /** The proxy as it was when the client came in, for the byte counters. */
    private readonly labels: Omit<LinkLabels, 'direction'>,
    private readonly how: {
      /** Abandon the dial when the client leaves; reset a client whose dial failed even when it had sent
       * nothing (see abandonDial). */
      clusterDial: boolean;
      onGone: (connection: Connection) => void;
    },
  ) {
    // Node reads `highWaterMark` here although @types/node 20 does not declare it.
    const options: NetConnectOpts & { highWaterMark: number } = {
      host: target.host,
      port: target.port,
      allowHalfOpen: true,
      noDelay: true,
      highWaterMark: SOCKET_HIGH_WATER,
    };
    this.dialed = new Promise((resolve) => {
      this.dialDone = resolve;
    });
    this.upstream = connect(options);
    client.setNoDelay(true);
    // Go turns TCP keep-alive on for every accepted and dialled socket, 15 s idle: so does the real server.
    for (const socket of [client, this.upstream]) socket.setKeepAlive(true, KEEP_ALIVE_MS);
    for (const socket of [client, this.upstream]) {
      // Errors (ECONNRESET, EPIPE, refused dial) all end in 'close', which is what we act on.
      socket.on('error', ignore);
      socket.once('close', () => this.onSocketClosed(socket));
    }
    this.upstream.once('connect', this.start);
    client.on('data', this.onEarlyData);
    client.once('end', this.onEarlyEnd);
    client.resume();
  }

  /** Closes both sockets now (proxy disabled or deleted); with SO_LINGER 0 if the links were so set. */
  destroy(): void {
    for (const link of this.links) link.abandon();
    for (const socket of [this.client, this.upstream]) {
      if (this.lingerZero && !socket.destroyed) socket.resetAndDestroy();
      else socket.destroy();
    }
  }

  /**
   * A client whose dial failed is closed, as Toxiproxy closes it unread: a plain close (FIN) when it had
   * sent nothing, a reset when it had (unread bytes make the kernel reset). With `clusterDial` (the
   * suite's clusters set it) it is always reset, as a refused connection would be: after a plain close a
   * sender that does not read (Tomcat's replication) takes the connection for alive and loses its next
   * message, silently.
   */
  private abandonDial(): void {
    const reset = this.how.clusterDial || this.earlyBytes > 0;
    if (!this.client.destroyed) {
      if (reset) this.client.resetAndDestroy();
      else this.client.destroy();
    }
    this.upstream.destroy();
  }

  private readonly onEarlyData = (chunk: Buffer): void => {
    this.early.push(chunk);
    this.earlyBytes += chunk.length;
    // A client that keeps sending to a dial that hangs is held back, at the cost of noticing its close.
    if (this.earlyBytes > SOCKET_HIGH_WATER) this.client.pause();
  };

  private readonly onEarlyEnd = (): void => {
    this.earlyEnd = true;
  };

  private readonly start = (): void => {
    this.dialDone();
    if (this.client.destroyed && this.how.clusterDial) return;
    this.client.off('data', this.onEarlyData);
    this.client.off('end', this.onEarlyEnd);
    // Toxiproxy sets SO_LINGER 0 on both sockets when a link starts with a reset_peer in its chain: every
    // close of this connection is then a reset, whatever toxics come and go afterwards.
    this.lingerZero = this.toxics.list().some((spec) => toxicKind(spec.type)?.lingersZero === true);
    const upstreamLink = this.link('upstream', this.client, this.upstream);
    this.links = [upstreamLink, this.link('downstream', this.upstream, this.client)];
    for (const link of this.links) this.toxics.attach(link);
    // A client that left while the dial was pending still has its bytes delivered, then its end.
    upstreamLink.feed(this.early.splice(0), this.earlyEnd || this.client.destroyed);
    if (!this.client.destroyed) this.client.resume();
  };

  private link(direction: Direction, source: Socket, dest: Socket): Link {
    const meter = this.metrics.meter({ ...this.labels, direction });
    return new Link(direction, source, dest, this.toxics.chain(direction), meter, this.lingerZero);
  }

  private onSocketClosed(socket: Socket): void {
    this.openSockets--;
    // The dial failed, or (clusterDial) the client left during it: nothing is linked, the other side goes.
    const dialFailed = socket === this.upstream && this.links.length === 0;
    if (dialFailed) this.dialDone();
    if (dialFailed || (this.links.length === 0 && this.how.clusterDial)) this.abandonDial();
    if (this.openSockets > 0) return;
    for (const link of this.links) {
      this.toxics.detach(link);
      link.dispose();
    }
    this.how.onGone(this);
  }
}
