/** What a running cluster shows when a fault's effect is looked for: processes, node states, links. */
import { proxied, type Service, servicesWithRole, type Topology } from '../topology/topology.ts';
import { hostPort } from './host.ts';
import { establishedOnPort } from './kernel-view.ts';
import { kindOf } from './kinds/registry.ts';
import { LinkControl } from './link-control.ts';
import { backendStatus } from './load-balancer-control.ts';
import type { Placement, ServiceHandle } from './placement.ts';
import { refusesConnections, timeRoundTrip } from './probes.ts';
import type { ClusterWatch, KernelLinkControl } from './runtime.ts';

/** What the watch needs of its cluster. */
export interface WatchedCluster {
  topology: Topology;
  placement: Placement;
  toxiproxyUrl: string;
  kernel: KernelLinkControl | null;
  handle(id: string): ServiceHandle | undefined;
  endpoint(id: string, name: string): string;
  adminSocket(id: string): string;
}

/** The watch of a ServiceCluster: processes by their handles, links through their proxies and /proc. */
export function watchCluster(cluster: WatchedCluster): ClusterWatch {
  const { topology, placement } = cluster;
  const linkNamed = (id: string) => {
    const link = topology.links.find((l) => l.id === id);
    if (!link) throw new Error(`no link ${id}`);
    return link;
  };
  const service = (id: string): Service => {
    const found = topology.services.find((s) => s.id === id);
    if (!found) throw new Error(`no service ${id}`);
    return found;
  };
  return {
    pid: (id) => {
      const handle = cluster.handle(id);
      return handle && handle.exit === null ? handle.pid : null;
    },
    state: (id) => {
      const handle = cluster.handle(id);
      if (!handle) return 'was never started';
      return handle.exit ?? `running as pid ${handle.pid ?? '?'}`;
    },
    paused: async (id) => (await cluster.handle(id)?.paused()) ?? null,
    backendStatus: async (id) => {
      const [lb] = servicesWithRole(topology, 'lb');
      if (!lb) throw new Error(`topology of ${topology.strategy} has no load balancer`);
      return backendStatus(cluster.adminSocket(lb.id), id);
    },
    linkConnections: (links) => {
      const [proxies] = servicesWithRole(topology, 'links');
      const pid = proxies ? cluster.handle(proxies.id)?.pid : null;
      if (pid === null || pid === undefined) return null;
      const counts: Record<string, number> = {};
      for (const link of links) {
        const count = establishedOnPort(pid, hostPort(placement.proxyListen(link)).port);
        if (count === null) return null;
        counts[link] = count;
      }
      return counts;
    },
    roundTrips: async (id, timeoutMs) => {
      const link = linkNamed(id);
      const send = kindOf(service(link.to)).pings?.[link.endpoint];
      if (send === undefined) return null;
      const [viaLink, direct] = await Promise.all([
        timeRoundTrip(placement.viaProxy(id), send, timeoutMs),
        timeRoundTrip(placement.direct(link.to, link.endpoint), send, timeoutMs),
      ]);
      return { viaLink, direct };
    },
    refuses: (id) => refusesConnections(placement.viaProxy(linkNamed(id).id)),
    // A proxied link shows its proxy, and the kernel's faults on it too (packet loss acts there).
    linkStates: async (links) => {
      const proxies = await new LinkControl(cluster.toxiproxyUrl).states(
        links.filter((id) => proxied(linkNamed(id))),
      );
      const kernel = new Map((cluster.kernel?.states(links) ?? []).map((k) => [k.id, k.state]));
      return links.map((id) => {
        const proxy = proxies.find((p) => p.id === id)?.state;
        const inKernel = kernel.get(id);
        const shown = proxy && inKernel === 'kernel: untouched' ? [proxy] : [proxy, inKernel];
        return { id, state: shown.filter(Boolean).join('; ') };
      });
    },
  };
}
