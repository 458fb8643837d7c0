/** The Redis Sentinel service kind: watches the primary and, with its peers, fails over to the replica. */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createClient } from 'redis';
import type { SentinelService } from '../../topology/topology.ts';
import { hostPort } from '../host.ts';
import type { Readiness } from '../readiness.ts';
import type { LocalContext, ServiceKind } from './kind.ts';

/** Asks a Sentinel (RESP over TCP, with the case's password) for the address of the primary named `name`. */
function askPrimary(address: string, name: string, password: string): Promise<string> {
  const { host, port } = hostPort(address);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let answer = '';
    socket.setTimeout(1000, () => socket.destroy(new Error('no answer')));
    socket.on('error', reject);
    socket.on('connect', () =>
      socket.write(`AUTH ${password}\r\nSENTINEL get-master-addr-by-name ${name}\r\n`),
    );
    socket.on('data', (data) => {
      answer += data.toString();
      if (answer.startsWith('-')) {
        socket.destroy();
        reject(new Error(`the Sentinel refused: ${answer.split('\r\n')[0]}`));
        return;
      }
      if (!answer.startsWith('+OK\r\n')) return;
      const reply = answer.slice('+OK\r\n'.length);
      const parts = reply.split('\r\n');
      // *2 $len host $len port
      if (parts.length >= 5) {
        socket.destroy();
        resolve(`${parts[2]}:${parts[4]}`);
      } else if (reply.startsWith('*-1')) {
        socket.destroy();
        reject(new Error(`the Sentinel knows no primary ${name}`));
      }
    });
  });
}

const FAILOVER_TIMEOUT_MS = 600_000;

/** A Sentinel's own id, fixed per service, so its peers can be told about it before it starts. */
const myid = (id: string): string => createHash('sha1').update(`session-chaos sentinel ${id}`).digest('hex');

/**
 * What a Sentinel is told it would otherwise learn over about ten seconds (the primary's replicas from its
 * INFO, every 10 s; its peers from their hellos): until it knows them, a failover cannot happen.
 */
function known(service: SentinelService, ctx: LocalContext): string[] {
  const at = (id: string) => hostPort(ctx.endpointOf(id, 'store'));
  return [
    `sentinel myid ${myid(service.id)}`,
    ...service.replicas.map((id) => `sentinel known-replica ${service.name} ${at(id).host} ${at(id).port}`),
    ...service.sentinels
      .filter((id) => id !== service.id)
      .map((id) => `sentinel known-sentinel ${service.name} ${at(id).host} ${at(id).port} ${myid(id)}`),
  ];
}

/** A Sentinel answers, and sees every replica of the primary in sync: a failover can happen from now on. */
function seesReplicas(service: SentinelService, address: string, password: string): Readiness {
  const { host, port } = hostPort(address);
  return {
    condition: `${service.id} sees ${service.replicas.length} replica(s) of ${service.name} in sync`,
    async probe() {
      const socket = { host, port, connectTimeout: 1000, reconnectStrategy: false as const };
      const client = createClient({ socket, password });
      client.on('error', () => undefined);
      await client.connect();
      try {
        const replicas = (await client.sendCommand(['SENTINEL', 'replicas', service.name])) as string[][];
        const inSync = replicas.filter((fields) => {
          const field = (name: string) => fields[fields.indexOf(name) + 1] ?? '';
          return !/s_down|disconnected/.test(field('flags')) && field('master-link-status') === 'ok';
        });
        if (inSync.length < service.replicas.length)
          throw new Error(`${inSync.length} of ${service.replicas.length} replica(s) in sync`);
      } finally {
        client.destroy();
      }
    },
  };
}

/**
 * A Redis Sentinel: watches the primary (at its real address), learns the replica from it, and with its
 * peers (quorum 2) promotes the replica when the primary stays unreachable for a second. It rewrites its
 * own configuration as it learns, so that file is written only on its first start.
 */
export const sentinel: ServiceKind<SentinelService> = {
  endpoints: () => ['store'],
  local(service, ctx) {
    const { host, port } = hostPort(ctx.listen('store'));
    const primary = hostPort(ctx.endpointOf(service.primary, 'store'));
    // Its configuration holds the case's password: in the folder only the runner's user can enter.
    const config = join(ctx.privateDir, `${service.id}-sentinel.conf`);
    const lines = [
      `port ${port}`,
      `bind ${host}`,
      'protected-mode no',
      `dir ${ctx.dataDir}`,
      `sentinel monitor ${service.name} ${primary.host} ${primary.port} ${service.quorum}`,
      `sentinel down-after-milliseconds ${service.name} 1000`,
      // Sentinel repoints a replica whose primary address is not the one it monitors (here: the replication
      // link's proxy) once this has passed: long enough that it never happens mid-run, so latency and
      // partitions on that link keep acting. A failover whose election fails is retried after twice this.
      `sentinel failover-timeout ${service.name} ${FAILOVER_TIMEOUT_MS}`,
      `sentinel parallel-syncs ${service.name} 1`,
      // The case's password: for clients of this Sentinel, for the Redis servers, for its peers.
      `requirepass ${ctx.secret}`,
      `sentinel auth-pass ${service.name} ${ctx.secret}`,
      `sentinel sentinel-pass ${ctx.secret}`,
      ...known(service, ctx),
    ];
    return {
      command: 'redis-sentinel',
      args: [config],
      files: existsSync(config) ? {} : { [config]: `${lines.join('\n')}\n` },
    };
  },
  readiness: (service, at, _running, secret) => seesReplicas(service, at('store'), secret),
  pings: { store: 'PING\r\n' },
  /** Every Sentinel, and a map from each server's real address to the proxy this app reaches it through. */
  storeUrl(service, from) {
    const sentinels = service.sentinels.map((id) => from.reach(id, 'store'));
    const map = [service.primary, ...service.replicas]
      .map((id) => `${from.endpointOf(id, 'store')}=${from.reach(id, 'store')}`)
      .join(',');
    const reads = service.reads === 'replica' ? '&reads=replica' : '';
    return `redis-sentinel://:${from.secret}@${sentinels[0]}/${service.name}?sentinels=${sentinels.join(',')}&map=${map}${reads}`;
  },
  primaryAddress: (service, at, secret) => askPrimary(at('store'), service.name, secret),
};
