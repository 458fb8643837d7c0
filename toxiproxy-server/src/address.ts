/** Addresses as a proxy's `listen` and `upstream` give them: split into host and port, resolved and
 * printed as the real server does, with its wording for a bad port or an unknown host. */
import { getServers, lookup, Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { lookupServicePort } from './services.ts';

export interface HostPort {
  host: string;
  port: number;
}

/** Splits "host:port", "[v6]:port" or ":port" like Go's net.SplitHostPort, and reads the port as Go's
 * LookupPort does (a service name such as "http" is looked up); the errors are Go's. */
export function splitHostPort(address: string): HostPort {
  const bracketed = /^\[([^\]]*)\]:([^:]*)$/.exec(address);
  const plain = /^([^:[\]]*):([^:]*)$/.exec(address);
  const match = bracketed ?? plain;
  if (match === null) {
    const why = address.includes(':') ? 'too many colons in address' : 'missing port in address';
    throw new Error(`address ${address}: ${why}`);
  }
  const portText = match[2] ?? '';
  const port = goParsePort(portText) ?? lookupServicePort(portText);
  if (port < 0 || port > 65535) throw new Error(`address ${portText}: invalid port`);
  return { host: match[1] ?? '', port };
}

/** Go's parsePort: an optional sign and digits; once the value has reached 2^30, a further digit ends the
 * reading (out of range whatever follows, so "12345678901x" is an invalid port, not a service name);
 * undefined means "look the name up". */
function goParsePort(text: string): number | undefined {
  const digits = text.replace(/^[+-]/, '');
  let value = 0;
  for (const c of digits) {
    if (c < '0' || c > '9') return undefined;
    if (value >= 2 ** 30) break;
    value = value * 10 + Number(c);
  }
  return text.startsWith('-') ? -value : value;
}

export function joinHostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

const WILDCARDS = new Set(['', '0.0.0.0', '::']);

/** Where a proxy's `listen` binds, as Go's net.Listen("tcp", …) binds it: an empty or wildcard host means
 * every interface, IPv4 and IPv6 (`wildcard`; the proxy then reports `[::]:P`), as on the real server; the
 * suite itself always names 127.0.0.1. Names resolve to IPv4 first ("localhost" → 127.0.0.1). */
export async function resolveListen(listen: string): Promise<HostPort & { wildcard: boolean }> {
  const { host, port } = listen === '' ? { host: '', port: 0 } : splitHostPort(listen);
  if (WILDCARDS.has(host)) return { host: canonicalIp(host), port, wildcard: true };
  if (isIP(host) !== 0) return { host, port, wildcard: false };
  return { host: (await lookupHost(host)).address, port, wildcard: false };
}

/** Go's net.ResolveTCPAddr(...).String(), which Toxiproxy compares with a proxy's listen to decide whether
 * an update or a populate changes it: a name is looked up (IPv4 first), an empty host stays empty. */
export async function resolveTcpAddr(listen: string): Promise<string> {
  if (listen === '') return ':0';
  const { host, port } = splitHostPort(listen);
  if (host === '') return `:${port}`;
  if (isIP(host) !== 0) return joinHostPort(canonicalIp(host), port);
  return joinHostPort((await lookupHost(host)).address, port);
}

/** An IP as Go prints it: IPv6 compressed and lower case (WHATWG URLs serialise it the same way). */
function canonicalIp(ip: string): string {
  return isIP(ip) === 6 ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip;
}

/** IPv4 first, as Go's resolver prefers for "tcp"; a failure is worded as Go's DNSError. */
async function lookupHost(host: string): Promise<{ address: string }> {
  if (host === 'localhost') return { address: '127.0.0.1' };
  try {
    return await lookup(host, { family: 4 }).catch(() => lookup(host));
  } catch {
    throw new Error(await noSuchHost(host));
  }
}

/** Answers that end Go's walk over the name servers: the name does not exist, or has no address. */
const ANSWERED = new Set(['ENOTFOUND', 'ENODATA']);

/** Go's "lookup NAME on SERVER: no such host" names the server that answered: the first in resolv.conf
 * order that does (one that times out, refuses or fails is passed over, as Go's resolver passes it). When
 * none answers, Go reports a timeout from the last one it asked. */
export async function noSuchHost(host: string, servers = getServers(), timeoutMs = 5000): Promise<string> {
  for (const server of servers) {
    const resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
    resolver.setServers([server]);
    const code = await resolver.resolve4(host).then(
      () => undefined,
      (err: NodeJS.ErrnoException) => err.code,
    );
    if (code !== undefined && ANSWERED.has(code))
      return `lookup ${host} on ${nameServer(server)}: no such host`;
  }
  const last = servers.at(-1);
  return last === undefined
    ? `lookup ${host}: no such host`
    : `lookup ${host} on ${nameServer(last)}: i/o timeout`;
}

/** A server as Go prints it: with its port, 53 unless resolv.conf gave another. */
const nameServer = (server: string): string => (isIP(server) === 0 ? server : joinHostPort(server, 53));
