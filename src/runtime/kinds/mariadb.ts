import { existsSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import type { MariadbService } from '../../topology/topology.ts';
import { hostPort } from '../host.ts';
import type { Readiness } from '../readiness.ts';
import type { ServiceKind } from './kind.ts';

/** MariaDB accepts a connection as root over TCP and answers a query. */
function answersQueries(what: string, address: string): Readiness {
  const { host, port } = hostPort(address);
  return {
    condition: `${what} answers SELECT 1 on ${address}`,
    async probe() {
      const connection = await mysql.createConnection({ host, port, user: 'root', connectTimeout: 1000 });
      try {
        await connection.query('SELECT 1');
      } finally {
        await connection.end();
      }
    },
  };
}

/**
 * Root from any address, without a password: in a container network the apps (and the runner) connect from
 * addresses of their own; locally MariaDB listens on 127.0.0.1 only. Run at every start; idempotent.
 */
const ROOT_FROM_ANYWHERE = `CREATE USER IF NOT EXISTS 'root'@'%';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;
`;

/**
 * MariaDB in a data folder of its own inside the case (never the system's): initialised on the first start
 * only, so a restart keeps every committed session. Root over TCP needs no password.
 */
export const mariadb: ServiceKind<MariadbService> = {
  endpoints: () => ['store'],
  local(_service, ctx) {
    const { host, port } = hostPort(ctx.listen('store'));
    const data = join(ctx.dataDir, 'data');
    const init = join(ctx.dataDir, 'init.sql');
    const before = existsSync(join(data, 'mysql'))
      ? []
      : [
          {
            command: 'mariadb-install-db',
            args: [
              '--no-defaults',
              `--datadir=${data}`,
              '--user=root',
              '--auth-root-authentication-method=normal',
              '--skip-test-db',
            ],
          },
        ];
    return {
      before,
      command: 'mariadbd',
      args: [
        '--no-defaults',
        `--datadir=${data}`,
        '--user=root',
        `--bind-address=${host}`,
        `--port=${port}`,
        `--socket=${join(ctx.dataDir, 'mariadb.sock')}`,
        `--pid-file=${join(ctx.dataDir, 'mariadb.pid')}`,
        '--innodb-buffer-pool-size=32M',
        '--innodb-flush-log-at-trx-commit=1',
        '--skip-name-resolve',
        `--init-file=${init}`,
      ],
      files: { [init]: ROOT_FROM_ANYWHERE },
    };
  },
  readiness: (service, at) => answersQueries(service.id, at('store')),
  storeUrl: (service, from) => `mysql://root@${from.reach(service.id, 'store')}/sessions`,
};
