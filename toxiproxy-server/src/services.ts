/** Named ports in proxy addresses (`localhost:http`): tcp service names looked up in /etc/services over
 * Go's own table, as the real server looks them up. */
import { readFileSync } from 'node:fs';

/** Go's built-in tcp service table, which /etc/services entries extend and override. */
const BUILT_IN: Readonly<Record<string, number>> = {
  ftp: 21,
  ftps: 990,
  gopher: 70,
  http: 80,
  https: 443,
  imap2: 143,
  imap3: 220,
  imaps: 993,
  pop3: 110,
  pop3s: 995,
  smtp: 25,
  submissions: 465,
  ssh: 22,
  telnet: 23,
};

/** Go lower-cases the name into a buffer this long; a longer name never matches. */
const MAX_NAME_BYTES = 'mobility-header'.length + 10;

let table: Map<string, number> | undefined;

/** The port of a tcp service name as Go's pure-Go LookupPort finds it: ASCII case-insensitively in
 * /etc/services (read once) merged over Go's own table. An unknown name is Go's DNSError. */
export function lookupServicePort(service: string): number {
  table ??= readServices('/etc/services');
  const port = table.get(service.replace(/[A-Z]+/g, (m) => m.toLowerCase()));
  if (port === undefined || Buffer.byteLength(service) > MAX_NAME_BYTES) {
    throw new Error(`lookup tcp/${service}: unknown port`);
  }
  return port;
}

/** Parses as Go's readServices does. Names are kept as written, so one with capitals never matches. */
export function readServices(path: string): Map<string, number> {
  const services = new Map(Object.entries(BUILT_IN));
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return services;
  }
  for (const line of text.split('\n')) {
    const fields = line
      .replace(/#.*/s, '')
      .split(/[ \r\t\n]+/)
      .filter(Boolean);
    const port = tcpPort(fields[1]);
    if (port === undefined) continue;
    for (const [i, name] of fields.entries()) if (i !== 1) services.set(name, port);
  }
  return services;
}

/** "80/tcp" → 80, as Go reads it with dtoi (positive, below 2^24); other protocols are undefined. */
function tcpPort(field: string | undefined): number | undefined {
  const match = /^(\d+)\/tcp$/.exec(field ?? '');
  const port = Number(match?.[1] ?? 0);
  return port > 0 && port < 0xffffff ? port : undefined;
}
