/** What a service kind is: its endpoints, how the local runtime launches it, and when it is ready. */
import type { Service, Topology } from '../../topology/topology.ts';
import type { Readiness } from '../readiness.ts';

/** What a service kind is told when it is started on the local runtime. */
export interface LocalContext extends Reach {
  topology: Topology;
  /** The case's log folder: the service logs to `<dir>/<id>.log`. */
  dir: string;
  /** A folder of this service's own, for its data and generated configuration; kept across restarts. */
  dataDir: string;
  /** The cluster's folder only the runner's user can enter (see Placement.privateDir): for unix sockets. */
  privateDir: string;
  /** A data folder for a service that drops root to `account` (Placement.homeFor); absent in containers. */
  homeFor?: (account: string) => string;
  /** Where this service listens for one of its endpoints: host:port. */
  listen(endpoint: string): string;
  /** The URL this service is given for a store (its kind's scheme, reached through the link's proxy). */
  storeUrl(storeId: string): string;
}

/** Where another service can be reached from one: through a link's proxy, or directly. */
export interface Reach {
  reach(serviceId: string, endpoint: string): string;
  endpointOf(serviceId: string, endpoint: string): string;
  /** The case's password, made when its cluster starts: every store and Sentinel requires it. */
  secret: string;
}

/** A command the local runtime runs as a child process. */
export interface LocalLaunch {
  /** Commands run to the end first (e.g. initialising a data folder), their output in the service's log. */
  before?: { command: string; args: string[] }[];
  command: string;
  args: string[];
  /** Set on top of the few variables every child inherits (PATH, HOME, LANG, TMPDIR). */
  env?: Record<string, string>;
  cwd?: string;
  /** Written before the process starts (generated configuration): absolute path → contents. */
  files?: Record<string, string>;
  /** Folders created before it starts. */
  folders?: string[];
  /** Host paths outside the suite's folder it reads (a user's webapp): a container gets them read-only. */
  mounts?: string[];
  /** Containers only: run this image as it is (its own entry point, user and working folder), not the
   * kind's image with `command`. */
  image?: string;
}

/**
 * One kind of service (haproxy, app-node, redis…): its named endpoints, how it runs locally, and what
 * "ready" means. Locally every kind is killed with SIGKILL, paused with SIGSTOP/SIGCONT, stopped with
 * SIGTERM then SIGKILL, and restarted by launching it again on the same ports and data folder.
 */
export interface ServiceKind<S extends Service> {
  /** The endpoints it listens on, e.g. `http`, `store`, `replication`, `stats`, `api`. */
  endpoints(service: S): readonly string[];
  local(service: S, ctx: LocalContext): LocalLaunch;
  /** How it runs in its container image when not as `local` says (e.g. the image's own entry point). */
  container?(service: S, ctx: LocalContext): LocalLaunch;
  /**
   * `at(endpoint)` is the address the service listens on; `running(id)` whether another service is up;
   * `secret` the case's password.
   */
  readiness(
    service: S,
    at: (endpoint: string) => string,
    running: (id: string) => boolean,
    secret: string,
  ): Readiness;
  /** The unix socket of its admin interface, in the cluster's private folder, where it has one. */
  adminSocket?(service: S, privateDir: string): string;
  /** Addresses a person may want (HAProxy's statistics page…), by name. */
  extras?(service: S, at: (endpoint: string) => string): Record<string, string>;
  /** For store kinds: the URL an app is given to reach the store, from where the app is. */
  storeUrl?(service: S, from: Reach): string;
  /** For a kind that knows which store is the primary (Sentinel): its address, host:port. */
  primaryAddress?(service: S, at: (endpoint: string) => string, secret: string): Promise<string>;
  /**
   * How it starts again while `primary` is the store Sentinel names as the primary (null without one): a
   * Redis server that is not the primary then follows it, through its link, as its replica.
   */
  restartAs?(service: S, primary: string | null): S;
  /**
   * What to send to an endpoint for an immediate answer, so the runner can time a round trip through a
   * link to it: '' where the server speaks first; an endpoint not listed cannot be timed this way.
   */
  pings?: Partial<Record<string, string>>;
  /**
   * Started one after another within their role (e.g. nodes that join a cluster), not all at once; once
   * all have started, each one's readiness is checked again (now that its peers run).
   */
  startsOneAtATime?: boolean;
}
