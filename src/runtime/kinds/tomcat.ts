/** The Tomcat service kind: a node replicating sessions to its peers, ready once it has joined them. */
import { join } from 'node:path';
import { builtReferenceApp } from '../../../infra/app-tomcat/build.ts';
import { tomcatBaseFiles, tomcatCommand } from '../../../infra/app-tomcat/config.ts';
import type { TomcatService } from '../../topology/topology.ts';
import { hostPort } from '../host.ts';
import type { Readiness } from '../readiness.ts';
import type { ServiceKind } from './kind.ts';

/** The Tribes send options of each replication mode: 8 asynchronous (Tomcat's usual), 6 synchronous (ack). */
const SEND_OPTIONS = { async: 8, sync: 6 } as const;

const get = (url: string): Promise<Response> => fetch(url, { signal: AbortSignal.timeout(2000) });

/**
 * Ready when /healthz answers 200 and, in a cluster, the node sees at least `peers` members: it has joined.
 * The reference app's /healthz reports the members its channel sees (see infra/app-tomcat/README.md); beside
 * a user's webapp, the suite's probe context does.
 */
function joined(service: TomcatService, base: string, peers: number): Readiness {
  return {
    condition: `${service.id} answers GET ${base}/healthz${service.manager === 'standard' ? '' : ` and sees ${peers} cluster member(s)`}`,
    async probe() {
      const response = await get(`${base}/healthz`);
      if (response.status !== 200) throw new Error(`status ${response.status}`);
      if (service.manager === 'standard') return;
      const members =
        service.webapp === undefined ? response : await get(`${base}/session-chaos-probe/members`);
      const { members: seen } = (await members.json()) as { members?: number };
      if ((seen ?? -1) < peers) throw new Error(`it sees ${seen ?? 'no'} member(s)`);
    },
  };
}

/**
 * A Tomcat 10.1 node of infra/app-tomcat (its reference app, or a user's webapp), its CATALINA_BASE
 * generated in its own folder of the case. Nodes start one after another (started together, they wait for
 * each other's session state). DeltaManager replication goes to each peer through the link's proxy;
 * BackupManager learns its peers' real addresses from them and bypasses any proxy, so its peers are given
 * directly.
 */
export const tomcat: ServiceKind<TomcatService> = {
  endpoints: (service) => (service.manager === 'standard' ? ['http'] : ['http', 'replication']),
  startsOneAtATime: true,
  local(service, ctx) {
    const base = ctx.dataDir;
    const clustered = service.manager !== 'standard';
    const peers = (clustered ? service.peers : []).map((peer) => {
      const address =
        service.manager === 'delta' ? ctx.reach(peer, 'replication') : ctx.endpointOf(peer, 'replication');
      return { nodeId: peer, ...hostPort(address) };
    });
    const { host, port } = hostPort(ctx.listen('http'));
    const files = tomcatBaseFiles({
      nodeId: service.id,
      host,
      httpPort: port,
      manager: service.manager,
      channelSendOptions: SEND_OPTIONS[service.replication],
      receiverPort: clustered ? hostPort(ctx.listen('replication')).port : 0,
      peers,
      // The nodes of a case compile the pages once, into one folder (they start one after another), outside
      // the case folder: compiled pages are not evidence, and they were 1.3 MB of every Tomcat case.
      jspScratchDir: join(ctx.privateDir, 'tomcat-jsp'),
      ...(service.webapp === undefined ? { referenceApp: builtReferenceApp() } : { webapp: service.webapp }),
    });
    const launch = tomcatCommand({ nodeId: service.id, baseDir: base });
    return {
      command: launch.command,
      args: launch.args,
      env: launch.env,
      files: Object.fromEntries(Object.entries(files).map(([path, text]) => [join(base, path), text])),
      folders: [join(ctx.privateDir, 'tomcat-jsp')],
      // A user's webapp lives outside the suite's folder: a container sees it only when it is mounted.
      ...(service.webapp === undefined ? {} : { mounts: [service.webapp] }),
    };
  },
  readiness: (service, at, running) =>
    joined(service, `http://${at('http')}`, service.peers.filter((peer) => running(peer)).length),
  // Its replication endpoint answers only Tribes' own messages: not timed.
  pings: { http: 'GET /healthz HTTP/1.0\r\n\r\n' },
};
