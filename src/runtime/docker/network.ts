/** A case's own container network, on a subnet no other network uses. */
import type Docker from 'dockerode';
import { InfrastructureError } from '../runtime.ts';
import { EngineHungError, engineCall } from './engine-call.ts';
import type { Labels } from './labels.ts';

/** A network of one case's own: services get fixed addresses in it, so each can be told its peers' before they start. */
export interface CaseNetwork {
  id: string;
  name: string;
  /** The n-th address for services (n from 0): 10.213.x.(10 + n). */
  address(n: number): string;
}

/** Case networks are /24s of this /16, which neither Docker's nor Podman's defaults use. */
const PREFIX = '10.213';

function subnetsInUse(networks: Docker.NetworkInspectInfo[]): Set<string> {
  return new Set(networks.flatMap((n) => (n.IPAM?.Config ?? []).map((c) => c.Subnet ?? '')));
}

/**
 * Creates the network on the first free /24. A subnet is taken when a network has it, or (Podman) when the
 * host still routes it: the engine's refusal moves the search on, as does another runner taking it meanwhile.
 */
export async function createCaseNetwork(docker: Docker, name: string, labels: Labels): Promise<CaseNetwork> {
  const used = subnetsInUse(await engineCall('listing networks', (o) => docker.listNetworks(o)));
  for (let third = 0; third < 256; third += 1) {
    const subnet = `${PREFIX}.${third}.0/24`;
    if (used.has(subnet)) continue;
    try {
      const network = await engineCall(`creating network ${name}`, (o) =>
        docker.createNetwork({
          Name: name,
          Driver: 'bridge',
          Labels: labels,
          IPAM: { Driver: 'default', Config: [{ Subnet: subnet, Gateway: `${PREFIX}.${third}.1` }] },
          ...o,
        }),
      );
      return { id: network.id, name, address: (n) => `${PREFIX}.${third}.${10 + n}` };
    } catch (error) {
      if (error instanceof EngineHungError || !/overlap|in use|already used/i.test((error as Error).message))
        throw error;
    }
  }
  throw new InfrastructureError(`could not create network ${name}: every ${PREFIX}.x.0/24 is in use`);
}
