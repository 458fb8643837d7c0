import type { Topology } from '../topology/topology.ts';

/** Turns a topology into running things. `local` (child processes) is the default; a container runtime plugs in here. */
export interface Runtime {
  readonly name: 'local' | 'docker';
  start(topology: Topology, options: StartOptions): Promise<Cluster>;
}

export interface StartOptions {
  /** Where node logs and generated configuration go. */
  dir: string;
  /** How long each service may take to become ready. */
  readyTimeoutMs?: number;
}

/** A started topology. Only a started cluster has addresses. */
export interface Cluster {
  readonly topology: Topology;
  /** The load balancer: what users talk to. */
  readonly lbUrl: string;
  /** Extra addresses a person may want (e.g. HAProxy's statistics page), by name. */
  readonly extras: Record<string, string>;
  /** The Toxiproxy API in front of every link of the topology (`topology.links`; a link id is its proxy's name). */
  readonly toxiproxyUrl: string;
  /** Base URL (http://host:port or redis://host:port) of one service. */
  url(id: string): string;
  /** Kills the service at once (SIGKILL or a container kill). */
  kill(id: string): Promise<void>;
  /** Starts a killed service again on the same address and waits until it is ready. */
  restart(id: string): Promise<void>;
  isRunning(id: string): boolean;
  /** Stops everything; safe to call more than once. */
  stop(): Promise<void>;
}

/** The cluster could not be started: exit code 3. */
export class InfrastructureError extends Error {
  override name = 'InfrastructureError';
}
