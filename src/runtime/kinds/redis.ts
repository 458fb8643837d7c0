import type { RedisService } from '../../topology/topology.ts';
import { hostPort } from '../host.ts';
import { redisPong } from '../probes.ts';
import type { ServiceKind } from './kind.ts';

/** redis-server without persistence: a restarted store starts empty, like a cache that lost its memory. */
export const redis: ServiceKind<RedisService> = {
  endpoints: () => ['store'],
  local(_service, ctx) {
    const { host, port } = hostPort(ctx.listen('store'));
    return {
      command: 'redis-server',
      args: [
        '--port',
        String(port),
        '--bind',
        host,
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        ctx.dataDir,
      ],
    };
  },
  readiness: (service, at) => redisPong(service.id, at('store')),
  storeUrl: (address) => `redis://${address}`,
};
