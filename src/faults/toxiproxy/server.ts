import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { joinHostPort } from './address.ts';
import { createApiHandler } from './http-api.ts';
import { ProxyCollection } from './proxy-collection.ts';

export interface ToxiproxyServerOptions {
  /** Interface for the API and for proxies whose listen host is empty or a wildcard. */
  host?: string;
  /** API port; 0 picks a free one. */
  port?: number;
}

export interface ToxiproxyServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts a Toxiproxy-2.x-compatible server (HTTP API plus the proxies it creates). */
export async function startToxiproxyServer(options: ToxiproxyServerOptions = {}): Promise<ToxiproxyServer> {
  const host = options.host ?? '127.0.0.1';
  const proxies = new ProxyCollection(host);
  const http = createServer({ keepAlive: true }, createApiHandler(proxies));
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
