/** What a runtime is: it turns a topology into a running cluster that faults can act on and be seen on. */
import type { Topology } from '../topology/topology.ts';
import type { LinkBytes } from './link-control.ts';
import type { BackendState } from './load-balancer-control.ts';

/** Turns a topology into running things. Chosen by name through `createRuntime` (runtimes.ts). */
export interface Runtime {
  readonly name: string;
  /** Whether its clusters' links can be faulted in the kernel (Cluster.kernel): local with --netns. */
  readonly kernelFaults: boolean;
  /**
   * Claims this runner's ownership and cleans up what crashed runs left behind, before anything starts;
   * throws InfrastructureError when it cannot (e.g. an unsafe state folder).
   */
  prepare(): Promise<void>;
  start(topology: Topology, options: StartOptions): Promise<Cluster>;
}

export interface StartOptions {
  /** Where node logs, data and generated configuration go. */
  dir: string;
  /** How long each service may take to become ready. */
  readyTimeoutMs?: number;
  /**
   * A person explores the cluster (`up`): a runtime that publishes only what users reach (containers) also
   * publishes what a person may want to open, HAProxy's statistics page and the Toxiproxy API.
   */
  explore?: boolean;
  /** Aborted when the case must end now (its deadline, an interruption): what started is stopped. */
  signal?: AbortSignal;
}

/** A started topology. Only a started cluster has addresses. */
export interface Cluster {
  readonly topology: Topology;
  /** The load balancer: what users talk to. */
  readonly lbUrl: string;
  /** Extra addresses a person may want (HAProxy's statistics page, the Toxiproxy API), by name. */
  readonly extras: Record<string, string>;
  /** The Toxiproxy API in front of every proxied link of the topology (a link id is its proxy's name). */
  readonly toxiproxyUrl: string;
  /** Faults on the links in the kernel; null where the runtime cannot (no --netns). */
  readonly kernel: KernelLinkControl | null;
  /** Where one endpoint of a service listens, host:port (e.g. `endpoint('app-1', 'http')`). */
  endpoint(serviceId: string, name: string): string;
  /** Every endpoint of a service: name → host:port. */
  endpoints(serviceId: string): Record<string, string>;
  /** http://host:port of a service's `http` endpoint. */
  url(serviceId: string): string;
  /** Kills the service at once (SIGKILL or a container kill). */
  kill(id: string): Promise<void>;
  /** Freezes the service (SIGSTOP or a container pause): its connections stay open, nothing answers. */
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  /** Starts a killed service again on the same address and data, and waits until it is ready. */
  restart(id: string): Promise<void>;
  /** Starts a service that is not running (a spare app node, one shut down) and waits until it is ready. */
  start(id: string): Promise<void>;
  /** Stops a service the way an orchestrator does: SIGTERM, and SIGKILL if it has not exited soon after. */
  shutDown(id: string): Promise<void>;
  /** Puts an app node in the load balancer's rotation, drains it (pinned users only), or takes it out. */
  setInLoadBalancer(id: string, state: BackendState): Promise<void>;
  isRunning(id: string): boolean;
  /** Why a service is not running, for a person: how it was started, how it ended, its log's last lines. */
  failure(id: string): string;
  /** The store service that is the primary now, as the cluster's Sentinels say; null without Sentinels. */
  storePrimary(): Promise<string | null>;
  /** What the cluster shows now: the evidence that a fault acted. */
  readonly watch: ClusterWatch;
  /** Resident memory of a service's processes, in MB; null when it is not running. */
  memoryMb(id: string): number | null;
  /** Stops everything; safe to call more than once. */
  stop(): Promise<void>;
  /** After stop(): the bytes each link (by id) carried while the cluster ran; null if they could not be read. */
  readonly linkBytes: Record<string, LinkBytes> | null;
}

/**
 * What the kernel does to a link's packets: drops them all (a cut), drops a random share, or holds each
 * (a delay, a share sent ahead of the others, a rate).
 */
export type KernelFault =
  | { kind: 'drop' }
  | { kind: 'loss'; percent: number }
  | { kind: 'hold'; latencyMs?: number; jitterMs?: number; reorderPercent?: number; rateKBps?: number };

/**
 * Faults on a run's links, made by the kernel (netns/kernel-links.ts): each fault by its name,
 * acting on the packets that carry its links' data.
 */
export interface KernelLinkControl {
  /** Acts on the links' packets until healed. */
  act(links: string[], name: string, fault: KernelFault): void;
  heal(name: string): Promise<void>;
  healAll(): Promise<void>;
  /** How each link stands: "kernel: untouched", or what each fault on it did so far. */
  states(links: string[]): { id: string; state: string }[];
  /** Packets of each link a fault has caught so far (dropped, or queued to be delayed). */
  caught(name: string): Record<string, number>;
  /** A latency fault's own count of what it did, e.g. "queued 40 delayed 40 reordered 0 dropped 0". */
  delayReport(name: string): string | null;
  /** Bytes each link carried so far (IP packets, headers included). */
  bytes(): Record<string, LinkBytes>;
}

/** What a started cluster shows, read at a moment: the evidence that a fault acted. */
export interface ClusterWatch {
  /** The main process of a service as it runs now; null when it is not running or cannot be told. */
  pid(id: string): number | null;
  /** How a service stands: "running as pid N", or how it ended ("was killed by SIGKILL"). */
  state(id: string): string;
  /** Whether the service is frozen (SIGSTOP, a paused container); null when it cannot tell. */
  paused(id: string): Promise<boolean | null>;
  /** How the load balancer sees an app node: UP, DOWN, MAINT, DRAIN, or a transition ("UP 1/2"). */
  backendStatus(id: string): Promise<string>;
  /** Established connections into each link's proxy (the kernel's socket table); null when unreadable. */
  linkConnections(links: string[]): Record<string, number> | null;
  /**
   * One round trip to the service behind a link, through the link and directly at the same moment, in ms;
   * null when that service cannot be timed (it answers only its own protocol).
   */
  roundTrips(link: string, timeoutMs: number): Promise<{ viaLink: number; direct: number } | null>;
  /** Whether the link's proxy refuses new connections (it was cut). */
  refuses(link: string): Promise<boolean>;
  /** How Toxiproxy shows each link: enabled or disabled, and its toxics. */
  linkStates(links: string[]): Promise<{ id: string; state: string }[]>;
}

/** The cluster could not be started: exit code 3. */
export class InfrastructureError extends Error {
  override name = 'InfrastructureError';
}
