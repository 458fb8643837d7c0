/** Every service kind by name, and the kind of a given service. */
import type { Service } from '../../topology/topology.ts';
import { appCommand, appImage, appNode } from './app.ts';
import { haproxy } from './haproxy.ts';
import type { ServiceKind } from './kind.ts';
import { mariadb } from './mariadb.ts';
import { memcached } from './memcached.ts';
import { redis } from './redis.ts';
import { sentinel } from './sentinel.ts';
import { tomcat } from './tomcat.ts';
import { toxiproxy } from './toxiproxy.ts';

/** Every service kind, by name: a new kind is one module and one line here. */
const SERVICE_KINDS: { [S in Service as S['kind']]: ServiceKind<S> } = {
  toxiproxy,
  haproxy,
  'app-node': appNode,
  'app-command': appCommand,
  'app-image': appImage,
  tomcat,
  redis,
  sentinel,
  memcached,
  mariadb,
};

export function kindOf<S extends Service>(service: S): ServiceKind<S> {
  // The mapped type above ties each kind name to its own service type; TypeScript cannot follow it here.
  return SERVICE_KINDS[service.kind] as unknown as ServiceKind<S>;
}
