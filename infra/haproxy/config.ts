/** One load balancer, as HAProxy is told about it. */
export interface HaproxySetup {
  id: string;
  /** Pin each user to one backend with an inserted SERVERID cookie, instead of spreading every request. */
  sticky: boolean;
  /** Where the load balancer listens, e.g. 127.0.0.1:8080. */
  listen: string;
  /** HAProxy's own statistics page, for people exploring a cluster. */
  stats: string;
  /** Backends in order: id, host:port, and whether it starts out of the rotation (a spare). */
  backends: { id: string; address: string; spare?: boolean }[];
  /**
   * HAProxy's admin socket (a unix socket's path, mode 0600): how a running load balancer is told to add,
   * drain or remove a backend.
   */
  admin: string;
}

const CONNECT_MS = 1000;
const SERVER_MS = 10_000;
const RETRIES = 2;

/**
 * The longest HAProxy holds one request before it answers: every connection attempt (the first and each
 * retry) plus the wait for the node's answer. Users must wait longer than this before they give up.
 */
export const HAPROXY_GIVES_UP_MS = (RETRIES + 1) * CONNECT_MS + SERVER_MS;

/**
 * HAProxy's configuration for one load balancer. Health checks every 500 ms mark a dead node DOWN after two
 * misses (a slow answer gets 2 s), and `redispatch` moves a request whose node refused it, as a production
 * setup would.
 */
export function haproxyConfig(lb: HaproxySetup): string {
  const { sticky } = lb;
  const servers = lb.backends.map(
    ({ id, address, spare }) =>
      `  server ${id} ${address} check inter 500 fall 2 rise 2${sticky ? ` cookie ${id}` : ''}${spare ? ' disabled' : ''}`,
  );
  return [
    'global',
    '  maxconn 4096',
    `  stats socket ${lb.admin} mode 600 level admin`,
    'defaults',
    '  mode http',
    `  timeout connect ${CONNECT_MS}ms`,
    '  timeout client 30s',
    `  timeout server ${SERVER_MS}ms`,
    '  timeout http-request 10s',
    // A slow answer on 2 busy cores is not a dead node: only a refused or silent one should be marked DOWN.
    '  timeout check 2s',
    `  retries ${RETRIES}`,
    '  option redispatch',
    `frontend ${lb.id}`,
    `  bind ${lb.listen}`,
    '  default_backend apps',
    'backend apps',
    '  balance roundrobin',
    ...(sticky ? ['  cookie SERVERID insert indirect nocache'] : []),
    '  option httpchk GET /healthz',
    // Which node answered, from the load balancer itself: an app need not send X-Node.
    '  http-response set-header X-Served-By %s',
    ...servers,
    'listen stats',
    `  bind ${lb.stats}`,
    '  stats enable',
    '  stats uri /',
    '  stats refresh 2s',
    '',
  ].join('\n');
}
