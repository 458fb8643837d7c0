/** The Memcached service kind: a session store that forgets everything on restart and evicts when full. */
import type { MemcachedService } from '../../topology/topology.ts';
import { hostPort } from '../host.ts';
import { answers } from '../probes.ts';
import type { ServiceKind } from './kind.ts';

/**
 * memcached, `memoryMb` of memory: when full it evicts the least recently used items, sessions included,
 * without telling anyone. It keeps nothing across a restart. As root it must be told to run as root. Its
 * slab pages are 128 kB instead of 1 MB: memcached gives every size class a first page whatever the limit,
 * so with 1 MB pages a small limit would not hold (items up to 128 kB).
 */
export const memcached: ServiceKind<MemcachedService> = {
  endpoints: () => ['store'],
  local(service, ctx) {
    const { host, port } = hostPort(ctx.listen('store'));
    const asRoot = process.getuid?.() === 0 ? ['-u', 'root'] : [];
    return {
      command: 'memcached',
      args: [
        ...asRoot,
        ...['-l', host, '-p', String(port), '-m', String(service.memoryMb), '-U', '0'],
        ...['-I', '128k', '-o', 'slab_chunk_max=65536'],
      ],
    };
  },
  readiness: (service, at) => answers(service.id, at('store'), 'version\r\n', 'VERSION'),
  pings: { store: 'version\r\n' },
  storeUrl: (service, from) => `memcached://${from.reach(service.id, 'store')}`,
};
