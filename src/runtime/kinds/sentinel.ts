import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { SentinelService } from '../../topology/topology.ts';
import { hostPort } from '../host.ts';
import { redisPong } from '../probes.ts';
import type { ServiceKind } from './kind.ts';

/** Asks a Sentinel (RESP over TCP) for the address of the primary it names `name`. */
function askPrimary(address: string, name: string): Promise<string> {
  const { host, port } = hostPort(address);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let answer = '';
    socket.setTimeout(1000, () => socket.destroy(new Error('no answer')));
    socket.on('error', reject);
    socket.on('connect', () => socket.write(`SENTINEL get-master-addr-by-name ${name}\r\n`));
    socket.on('data', (data) => {
      answer += data.toString();
      const parts = answer.split('\r\n');
      // *2 $len host $len port
      if (parts.length >= 5) {
        socket.destroy();
        resolve(`${parts[2]}:${parts[4]}`);
      } else if (answer.startsWith('*-1')) {
        socket.destroy();
        reject(new Error(`the Sentinel knows no primary ${name}`));
      }
    });
  });
}

const FAILOVER_TIMEOUT_MS = 600_000;

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
    const config = join(ctx.dataDir, 'sentinel.conf');
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
    ];
    return {
      command: 'redis-sentinel',
      args: [config],
      files: existsSync(config) ? {} : { [config]: `${lines.join('\n')}\n` },
    };
  },
  readiness: (service, at) => redisPong(service.id, at('store')),
  pings: { store: 'PING\r\n' },
  /** Every Sentinel, and a map from each server's real address to the proxy this app reaches it through. */
  storeUrl(service, from) {
    const sentinels = service.sentinels.map((id) => from.reach(id, 'store'));
    const map = [service.primary, ...service.replicas]
      .map((id) => `${from.endpointOf(id, 'store')}=${from.reach(id, 'store')}`)
      .join(',');
    const reads = service.reads === 'replica' ? '&reads=replica' : '';
    return `redis-sentinel://${sentinels[0]}/${service.name}?sentinels=${sentinels.join(',')}&map=${map}${reads}`;
  },
  primaryAddress: (service, at) => askPrimary(at('store'), service.name),
};
