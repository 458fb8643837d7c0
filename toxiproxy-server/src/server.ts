/** The Toxiproxy-compatible server itself: its HTTP API started on a port, and closed with every proxy. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { joinHostPort } from './address.ts';
import { createApiHandler } from './http-api.ts';
import { ProxyCollection } from './proxy-collection.ts';

export interface ToxiproxyServerOptions {
  /** Interface for the API (proxies bind what their `listen` says, as in Toxiproxy). */
  host?: string;
  /** API port; 0 picks a free one. */
  port?: number;
  /** Serve `/metrics` (the per-proxy byte counters), as the real server does with `-proxy-metrics`. */
  proxyMetrics?: boolean;
  /** Reset every client whose upstream dial fails, not only one that had sent something (ours only). */
  clusterDials?: boolean;
}

/** Go's http.Server as the real server sets it up: idle connections kept 60 s, headers up to 1 MiB. */
const IDLE_MS = 60_000;
const MAX_HEADER_BYTES = 1024 * 1024;

export interface ToxiproxyServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts a Toxiproxy-2.x-compatible server (HTTP API plus the proxies it creates). */
export async function startToxiproxyServer(options: ToxiproxyServerOptions = {}): Promise<ToxiproxyServer> {
  const host = options.host ?? '127.0.0.1';
  const proxies = new ProxyCollection(options.clusterDials);
  const handler = createApiHandler(proxies, { metrics: options.proxyMetrics ?? false });
  const http = createServer({ keepAlive: true, maxHeaderSize: MAX_HEADER_BYTES }, handler);
  http.keepAliveTimeout = IDLE_MS;
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen({ host, port: options.port ?? 8474 }, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://${joinHostPort(host, port)}`,
    port,
    close: async () => {
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await proxies.closeAll();
      await closed;
    },
  };
}
