import type { Service } from '../../topology/topology.ts';
import { appCommand, appNode } from './app.ts';
import { haproxy } from './haproxy.ts';
import type { ServiceKind } from './kind.ts';
import { redis } from './redis.ts';
import { tomcat } from './tomcat.ts';
import { toxiproxy } from './toxiproxy.ts';

/** Every service kind, by name: a new kind is one module and one line here. */
const SERVICE_KINDS: { [S in Service as S['kind']]: ServiceKind<S> } = {
  toxiproxy,
  haproxy,
  'app-node': appNode,
  'app-command': appCommand,
  tomcat,
  redis,
};

export function kindOf<S extends Service>(service: S): ServiceKind<S> {
  // The mapped type above ties each kind name to its own service type; TypeScript cannot follow it here.
  return SERVICE_KINDS[service.kind] as unknown as ServiceKind<S>;
}
