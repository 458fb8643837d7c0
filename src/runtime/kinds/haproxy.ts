/** The load balancer service kind: HAProxy in front of the app nodes. */
import { join } from 'node:path';
import { HAPROXY_GIVES_UP_MS, haproxyConfig } from '../../../infra/haproxy/config.ts';
import type { HaproxyService } from '../../topology/topology.ts';
import { httpOk } from '../probes.ts';
import type { ServiceKind } from './kind.ts';

/** HAProxy's admin socket: mode 0600, in a folder only the runner's user can enter. */
const adminSocket = (service: HaproxyService, privateDir: string): string =>
  join(privateDir, `${service.id}-admin.sock`);

/** The load balancer: HAProxy with health checks, round-robin or sticky (see infra/haproxy/config.ts). */
export const haproxy: ServiceKind<HaproxyService> = {
  endpoints: () => ['http', 'stats'],
  local(service, ctx) {
    const config = join(ctx.dataDir, 'haproxy.cfg');
    const setup = {
      id: service.id,
      sticky: service.balance === 'sticky',
      listen: ctx.listen('http'),
      stats: ctx.listen('stats'),
      admin: adminSocket(service, ctx.privateDir),
      backends: service.backends.map((id) => ({
        id,
        address: ctx.reach(id, 'http'),
        spare: service.spares.includes(id),
      })),
    };
    return { command: 'haproxy', args: ['-f', config, '-db'], files: { [config]: haproxyConfig(setup) } };
  },
  readiness: (service, at) => httpOk(service.id, `http://${at('http')}/healthz`),
  adminSocket: (service, privateDir) => adminSocket(service, privateDir),
  extras: (_service, at) => ({ 'haproxy stats': `http://${at('stats')}/` }),
};

/** The longest the load balancer holds a request before answering. */
export const LOAD_BALANCER_GIVES_UP_MS = HAPROXY_GIVES_UP_MS;
