import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export interface HostPort {
  host: string;
  port: number;
}

/** Splits "host:port", "[v6]:port" or ":port" like Go's net.SplitHostPort; the error names the address. */
export function splitHostPort(address: string): HostPort {
  const bracketed = /^\[([^\]]*)\]:([^:]*)$/.exec(address);
  const plain = /^([^:[\]]*):([^:]*)$/.exec(address);
  const match = bracketed ?? plain;
  if (match === null) {
    const why = address.includes(':') ? 'too many colons in address' : 'missing port in address';
    throw new Error(`address ${address}: ${why}`);
  }
  const portText = match[2] ?? '';
  const port = portText === '' ? 0 : Number(portText);
  if (!/^\d*$/.test(portText) || port > 65535) throw new Error(`address ${address}: invalid port`);
  return { host: match[1] ?? '', port };
}

export function joinHostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

const WILDCARDS = new Set(['', '0.0.0.0', '::']);

/** Where a proxy's `listen` binds. Deliberate difference from Toxiproxy: an empty or wildcard host binds
 * the server's own host (127.0.0.1 by default), never every interface. Names resolve to IPv4 first, as
 * Go's listener does ("localhost" → 127.0.0.1). */
export async function resolveListen(listen: string, serverHost: string): Promise<HostPort> {
  const { host, port } = listen === '' ? { host: '', port: 0 } : splitHostPort(listen);
  if (WILDCARDS.has(host)) return { host: serverHost, port };
  if (isIP(host) !== 0) return { host, port };
  if (host === 'localhost') return { host: '127.0.0.1', port };
  const found = await lookup(host, { family: 4 }).catch(() => lookup(host));
  return { host: found.address, port };
}
