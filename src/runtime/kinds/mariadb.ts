/**
 * The MariaDB service kind: a session store that keeps sessions across restarts, behind the case's
 * password.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import type { MariadbService } from '../../topology/topology.ts';
import { hostPort, ROOT } from '../host.ts';
import { systemUser } from '../local/service-home.ts';
import type { Readiness } from '../readiness.ts';
import type { LocalContext, LocalLaunch, ServiceKind } from './kind.ts';

/** MariaDB accepts a connection as root, with the case's password, over TCP and answers a query. */
function answersQueries(what: string, address: string, password: string): Readiness {
  const { host, port } = hostPort(address);
  return {
    condition: `${what} answers SELECT 1 on ${address}`,
    async probe() {
      const options = { host, port, user: 'root', password, connectTimeout: 1000 };
      const connection = await mysql.createConnection(options);
      try {
        await connection.query('SELECT 1');
      } finally {
        await connection.end();
      }
    },
  };
}

/**
 * Root from any address with the case's password (in a container network the apps and the runner connect
 * from addresses of their own), and no other way in: the password-less root of a new data folder gets it
 * too, anonymous users go. Run at every start; idempotent.
 */
const onlyWithPassword = (password: string): string => `CREATE USER IF NOT EXISTS 'root'@'%';
ALTER USER 'root'@'%' IDENTIFIED BY '${password}';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;
ALTER USER IF EXISTS 'root'@'localhost' IDENTIFIED BY '${password}';
DROP USER IF EXISTS ''@'localhost', ''@'%', 'root'@'127.0.0.1', 'root'@'::1';
`;

/** How a data folder is initialised. A small redo log: 8 MB is plenty for sessions, and quicker to make. */
const INSTALL_ARGS = [
  '--no-defaults',
  '--user=root',
  '--auth-root-authentication-method=normal',
  '--skip-test-db',
  '--innodb-log-file-size=8M',
];

/** A new data folder, made by mariadb-install-db (in a container: its image has nothing cached). */
const installInto = (data: string) => ({
  command: 'mariadb-install-db',
  args: [...INSTALL_ARGS, `--datadir=${data}`],
});

/**
 * A new data folder, copied from a template made once per MariaDB version under .session-chaos/ (made in a
 * folder of its own and renamed into place, so runners starting together never see half of one): copying
 * takes 0.06 s where mariadb-install-db takes 1.2 s, and every mysql case starts one.
 */
const copyInto = (data: string) => ({
  command: 'sh',
  args: [
    '-c',
    `set -e
templates="$1"; data="$2"; shift 2
template="$templates/$(mariadbd --version | cksum | cut -d ' ' -f 1)"
if [ ! -d "$template" ]; then
  mkdir -p "$templates"; fresh="$template.$$"
  mariadb-install-db "$@" --datadir="$fresh"
  mv -T "$fresh" "$template" 2>/dev/null || rm -rf "$fresh"
fi
cp -a "$template" "$data"`,
    'sh',
    join(ROOT, '.session-chaos', 'mariadb-template'),
    data,
    ...INSTALL_ARGS,
  ],
});

/** The account MariaDB drops root to (Debian's mariadb-server makes it), as it does when installed. */
const ACCOUNT = 'mysql';

/**
 * Where MariaDB keeps its data and runs as: run by root on this machine, it drops to the mysql account in
 * a home only that account can enter (the case folder may be one it cannot reach); otherwise (not root, or
 * in a container) as the runner's user in a folder of its own inside the case.
 */
function whereAndWho(ctx: LocalContext): { home: string; user: string | null } {
  const asRoot = process.getuid?.() === 0;
  if (asRoot && ctx.homeFor && systemUser(ACCOUNT)) return { home: ctx.homeFor(ACCOUNT), user: ACCOUNT };
  return { home: ctx.dataDir, user: asRoot ? 'root' : null };
}

/**
 * MariaDB in a data folder of its own (never the system's): initialised on the first start only, so a
 * restart keeps every committed session. Root needs the case's password; files it may read or write with
 * SQL (LOAD DATA, SELECT … INTO OUTFILE) are only those of a folder of its own.
 */
function launch(service: MariadbService, ctx: LocalContext, initialise: typeof installInto): LocalLaunch {
  const { host, port } = hostPort(ctx.listen('store'));
  const { home, user } = whereAndWho(ctx);
  const data = join(home, 'data');
  // It holds the case's password: in a folder only the runner's user (or MariaDB's account) can enter.
  const init = join(user === ACCOUNT ? home : ctx.privateDir, `${service.id}-init.sql`);
  const files = join(home, 'files');
  const fresh = existsSync(join(data, 'mysql')) ? [] : [initialise(data)];
  const handOver = user === ACCOUNT ? [{ command: 'chown', args: ['-R', `${ACCOUNT}:`, home] }] : [];
  return {
    before: [...fresh, ...handOver],
    command: 'mariadbd',
    args: [
      '--no-defaults',
      `--datadir=${data}`,
      ...(user ? [`--user=${user}`] : []),
      `--bind-address=${host}`,
      `--port=${port}`,
      `--socket=${join(home, 'mariadb.sock')}`,
      `--pid-file=${join(home, 'mariadb.pid')}`,
      '--innodb-buffer-pool-size=32M',
      '--innodb-log-file-size=8M',
      '--innodb-flush-log-at-trx-commit=1',
      '--skip-name-resolve',
      // The runner times round trips by reading the greeting and hanging up: never a reason to block a host.
      '--max-connect-errors=4294967295',
      `--secure-file-priv=${files}`,
      `--init-file=${init}`,
    ],
    files: { [init]: onlyWithPassword(ctx.secret) },
    folders: [files],
  };
}

export const mariadb: ServiceKind<MariadbService> = {
  endpoints: () => ['store'],
  local: (service, ctx) => launch(service, ctx, copyInto),
  container: (service, ctx) => launch(service, ctx, installInto),
  readiness: (service, at, _running, secret) => answersQueries(service.id, at('store'), secret),
  // MariaDB speaks first: its greeting.
  pings: { store: '' },
  storeUrl: (service, from) => `mysql://root:${from.secret}@${from.reach(service.id, 'store')}/sessions`,
};
