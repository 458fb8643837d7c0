/** The Redis service kind: a session store, with or without an append-only file, primary or replica. */
import { join } from 'node:path';
import type { RedisService } from '../../topology/topology.ts';
import { hostPort } from '../host.ts';
import { redisPong } from '../probes.ts';
import type { ServiceKind } from './kind.ts';

/**
 * redis-server in its own data folder. Without persistence a restarted store starts empty, like a cache
 * that lost its memory; with `aof` every write is appended to a file fsynced every second, so a restart
 * loses at most that second. A replica follows its primary through the replication link's proxy and
 * announces its own address, so Sentinel and clients find it.
 */
export const redis: ServiceKind<RedisService> = {
  endpoints: () => ['store'],
  local(service, ctx) {
    const { host, port } = hostPort(ctx.listen('store'));
    const persistence =
      service.persistence === 'aof'
        ? ['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '']
        : ['--appendonly', 'no', '--save', ''];
    const replica = service.replicaOf
      ? [
          '--replicaof',
          ...Object.values(hostPort(ctx.reach(service.replicaOf, 'store'))).map(String),
          '--replica-announce-ip',
          host,
          '--replica-announce-port',
          String(port),
        ]
      : [];
    // A replica's first full sync starts at once (Redis waits 5 s by default for more replicas to join).
    const sync = ['--repl-diskless-sync-delay', '0'];
    // Clients come from other addresses than its own in a container network: the case's password keeps
    // everyone else out (a replica gives it to its primary). It is in a file only the runner's user can
    // read, not on the command line, which every local user can see.
    const secrets = join(ctx.privateDir, `${service.id}.conf`);
    const open = ['--protected-mode', 'no'];
    return {
      command: 'redis-server',
      files: { [secrets]: `requirepass ${ctx.secret}\nmasterauth ${ctx.secret}\n` },
      args: [
        secrets,
        '--port',
        String(port),
        '--bind',
        host,
        ...persistence,
        ...sync,
        ...open,
        '--dir',
        ctx.dataDir,
        ...replica,
      ],
    };
  },
  readiness: (service, at, _running, secret) => redisPong(service.id, at('store'), secret),
  restartAs(service, primary) {
    if (primary === null) return service;
    const { replicaOf: _, ...alone } = service;
    return primary === service.id ? alone : { ...alone, replicaOf: primary };
  },
  pings: { store: 'PING\r\n' },
  storeUrl: (service, from) => `redis://:${from.secret}@${from.reach(service.id, 'store')}`,
};
