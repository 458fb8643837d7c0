/** Private data folders for services that drop root to an account of their own (MariaDB). */
import { chmodSync, chownSync, lstatSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InfrastructureError } from '../runtime.ts';

/** A system account's ids, from /etc/passwd; null when there is no such account. */
export function systemUser(name: string): { uid: number; gid: number } | null {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  return uid === undefined || gid === undefined ? null : { uid: Number(uid), gid: Number(gid) };
}

/**
 * Where services that drop root keep their data. Not the state folder: only root may enter that, and the
 * account a service drops to must reach its home. This root-owned folder can be crossed (0711) but not
 * listed or written by anyone else; each home inside is its account's alone (0700).
 */
const homesRoot = (): string => `/var/tmp/session-chaos-homes-${process.getuid?.() ?? 0}`;

/** The homes of one runner (owner): removed when its cluster stops, or by the reaper when it died. */
export const homesOf = (owner: string): string => join(homesRoot(), owner);

function crossableByAll(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o711 });
  const stat = lstatSync(dir);
  if (!stat.isDirectory() || stat.uid !== (process.getuid?.() ?? 0))
    throw new InfrastructureError(`${dir} is not a folder of this user's: remove it, then run again`);
  chmodSync(dir, 0o711);
}

/** A new home for one service, its account's alone, at `<homes of owner>/<cluster>/<service>`. */
export function serviceHome(owner: string, cluster: string, service: string, account: string): string {
  const user = systemUser(account);
  if (!user) throw new InfrastructureError(`there is no ${account} account for ${service} to run as`);
  for (const dir of [homesRoot(), homesOf(owner), join(homesOf(owner), cluster)]) crossableByAll(dir);
  const home = join(homesOf(owner), cluster, service);
  mkdirSync(home, { mode: 0o700 });
  chownSync(home, user.uid, user.gid);
  return home;
}
