/** What a runtime must provide to run a cluster's services: addresses, launches, handles on running ones. */
import type { Service, Topology } from '../topology/topology.ts';
import type { LocalLaunch } from './kinds/kind.ts';
import type { KernelLinkControl } from './runtime.ts';

/** A command a service runs: its launch, or one of the steps before it. */
export type LaunchStep = Pick<LocalLaunch, 'command' | 'args' | 'env' | 'cwd' | 'image' | 'mounts'>;

/** One running service as a runtime holds it: a process group, or a container. */
export interface ServiceHandle {
  /** Null while it runs, else how it ended (e.g. "was killed by SIGKILL"). */
  readonly exit: string | null;
  /** Its main process on this machine (a container's too, when its engine runs here); null if unknown. */
  readonly pid: number | null;
  /** Whether it is frozen (every process stopped, or the container paused); null when it cannot tell. */
  paused(): Promise<boolean | null>;
  readonly exited: Promise<void>;
  /** At once (SIGKILL); resolves once it has exited. */
  kill(): Promise<void>;
  /** Frozen: its connections stay open, nothing answers. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** SIGTERM, then SIGKILL after the grace period. */
  stop(graceMs?: number): Promise<void>;
  /** Resident memory in MB; null when it cannot be read. */
  memoryMb(): number | null;
}

/**
 * Where a runtime puts a topology's services: the addresses each one listens on and reaches the others by,
 * and how it runs a service's launch. The cluster (service-cluster.ts) does the rest the same everywhere.
 */
export interface Placement {
  /** Services run in container images (a kind's `container` launch, where it has one, replaces `local`). */
  readonly inContainers: boolean;
  /**
   * A folder only the runner's user can enter, with a short path, at the same path wherever services run:
   * for unix sockets of admin interfaces. Made by assign, removed by release.
   */
  readonly privateDir: string;
  /**
   * Where a service that drops root to `account` keeps its data (a folder that account alone can enter,
   * kept across restarts, removed by release); absent where services run in containers.
   */
  homeFor?(serviceId: string, account: string): string;
  /** Decides every address before anything starts: each service's endpoints, each link's proxy. */
  assign(topology: Topology): Promise<void>;
  /** Where a service listens for an endpoint, host:port, as the service itself and the runner see it. */
  listen(serviceId: string, endpoint: string): string;
  /** Where a person or a user on this machine reaches an endpoint (a published port, in a container). */
  published(serviceId: string, endpoint: string): string;
  /** Where a link's proxy listens, as the proxy server is told. */
  proxyListen(linkId: string): string;
  /** How other services reach a link's proxy. */
  viaProxy(linkId: string): string;
  /** How other services reach an endpoint directly (no proxy on the way). */
  direct(serviceId: string, endpoint: string): string;
  /**
   * After assign: the kernel's hand on the links no proxy sits in, where services have networks of their
   * own (--netns); its programs log into `logDir`. Absent or null elsewhere.
   */
  kernelLinks?(topology: Topology, logDir: string): KernelLinkControl | null;
  /** Starts a service; its output goes to `logFile`. */
  run(service: Service, launch: LocalLaunch, logFile: string): Promise<ServiceHandle>;
  /** Runs a preparatory command of a service to its end (killed when `signal` aborts); returns how it ended. */
  runToEnd(service: Service, step: LaunchStep, logFile: string, signal?: AbortSignal): Promise<string>;
  /** After every service has stopped: frees addresses, networks… */
  release(): Promise<void>;
}

/** How a process that ran to its end ended well. */
export const EXITED_OK = 'exited with code 0';
