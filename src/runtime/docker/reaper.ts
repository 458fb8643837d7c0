import type Docker from 'dockerode';
import { type Labels, OWNER_LABEL, runnerAlive } from './labels.ts';

/** Removes every container, then every network, that `whose` picks among those carrying an owner label. */
export async function removeOwned(
  docker: Docker,
  whose: (labels: Labels) => boolean,
): Promise<{ containers: number; networks: number }> {
  const filters = JSON.stringify({ label: [OWNER_LABEL] });
  const containers = (await docker.listContainers({ all: true, filters })).filter((c) => whose(c.Labels));
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined),
    ),
  );
  const networks = (await docker.listNetworks({ filters })).filter((n) => whose(n.Labels ?? {}));
  for (const n of networks)
    await docker
      .getNetwork(n.Id)
      .remove()
      .catch(() => undefined);
  return { containers: containers.length, networks: networks.length };
}

/** What runners that are gone (crashed, SIGKILLed) left behind. */
export const reapContainers = (docker: Docker) => removeOwned(docker, (labels) => !runnerAlive(labels));

/** Everything of one owner. */
export const removeOwnerContainers = (docker: Docker, owner: string) =>
  removeOwned(docker, (labels) => labels[OWNER_LABEL] === owner);
