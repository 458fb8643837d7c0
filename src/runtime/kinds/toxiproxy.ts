/**
 * The Toxiproxy service kind: runs the proxy in front of every link, the real toxiproxy-server when
 * installed, else the suite's own toxiproxy-server/ package.
 */
import { join } from 'node:path';
// Started by its path: this import (erased at run time) names the edge for the import rules.
import type {} from '../../../toxiproxy-server/main.ts';
import { CLUSTER_DIALS_ENV } from '../../../toxiproxy-server/serve.ts';
import type { ToxiproxyService } from '../../topology/topology.ts';
import { HOST, hostPort, onPath, ROOT } from '../host.ts';
import { nodeArgs } from '../local/compiled.ts';
import { httpOk } from '../probes.ts';
import type { ServiceKind } from './kind.ts';

/**
 * Counters for the cost table; a client whose dial to its upstream fails is reset, as a refused connection
 * would be (Tomcat's replication sender, which does not read, would take a plain close for alive): our
 * server does it when told, the real one only for a client that had sent something.
 */
const env = { [CLUSTER_DIALS_ENV]: '1' };

/** The proxy in front of every link: the real toxiproxy-server when installed, else the suite's own. */
export const toxiproxy: ServiceKind<ToxiproxyService> = {
  endpoints: () => ['api'],
  local(_service, ctx) {
    const { port } = hostPort(ctx.listen('api'));
    if (onPath('toxiproxy-server'))
      return { command: 'toxiproxy-server', args: ['-host', HOST, '-port', String(port), '-proxy-metrics'] };
    const server = nodeArgs(join(ROOT, 'toxiproxy-server', 'main.ts'));
    const args = [...server, '--host', HOST, '--port', String(port), '--proxy-metrics'];
    return { command: process.execPath, args, env };
  },
  /** The image's entry point, the real server's or the suite's (same flags): see infra/containers/toxiproxy. */
  container(_service, ctx) {
    const { host, port } = hostPort(ctx.listen('api'));
    return { command: '/toxiproxy', args: [`-host=${host}`, `-port=${port}`, '-proxy-metrics'], env };
  },
  readiness: (service, at) => httpOk(service.id, `http://${at('api')}/version`),
  extras: (_service, at) => ({ 'toxiproxy API': `http://${at('api')}` }),
};
