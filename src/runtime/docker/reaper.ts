/** Removing containers and networks by owner: what dead runners left behind, or everything of one runner. */
import type Docker from 'dockerode';
import { engineCall } from './engine-call.ts';
import { type Labels, OWNER_LABEL, runnerAlive } from './labels.ts';

/** Removes every container, then every network, that `whose` picks among those carrying an owner label. */
export async function removeOwned(
  docker: Docker,
  whose: (labels: Labels) => boolean,
): Promise<{ containers: number; networks: number }> {
  const filters = JSON.stringify({ label: [OWNER_LABEL] });
  const listed = await engineCall('listing containers', (o) =>
    docker.listContainers({ all: true, filters, ...o }),
  );
  const containers = listed.filter((c) => whose(c.Labels));
  await Promise.all(
    containers.map((c) =>
      engineCall(`removing container ${c.Names[0] ?? c.Id}`, (o) =>
        docker.getContainer(c.Id).remove({ force: true, v: true, ...o }),
      ).catch(() => undefined),
    ),
  );
  const networks = (
    await engineCall('listing networks', (o) => docker.listNetworks({ filters, ...o }))
  ).filter((n) => whose(n.Labels ?? {}));
  for (const n of networks)
    await engineCall(`removing network ${n.Name}`, (o) => docker.getNetwork(n.Id).remove(o)).catch(
      () => undefined,
    );
  return { containers: containers.length, networks: networks.length };
}

/** What runners that are gone (crashed, SIGKILLed) left behind. */
export const reapContainers = (docker: Docker) => removeOwned(docker, (labels) => !runnerAlive(labels));

/** Everything of one owner. */
export const removeOwnerContainers = (docker: Docker, owner: string) =>
  removeOwned(docker, (labels) => labels[OWNER_LABEL] === owner);
