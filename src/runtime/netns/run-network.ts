/**
 * A run's own network: every app node and store in a network namespace of its own, joined by a bridge
 * inside one more namespace (the hub), which this machine reaches through one veth. Everything the
 * kernel does to the traffic between them (packet filter rules, queues, qdiscs) lives in the hub, so
 * deleting the run's namespaces removes all of it, and nothing outside them is ever touched.
 */
import { fnv1a } from '../../../lib/fnv1a.ts';
import { run, runIn } from './command.ts';

/** The /24 networks a run may take: 10.213.0.0/16, far from the usual 10.0–10.100 of real networks. */
const SUBNET_PREFIX = '10.213';

/** Names of interfaces may have 15 bytes at most. */
const shortName = (prefix: string, name: string): string =>
  `${prefix}${fnv1a(Buffer.from(name)).toString(36)}`.slice(0, 15);

/** The third byte of a 10.213.X.0/24 no address or route of this machine uses now. */
function freeSubnet(): number {
  const used = run('ip', ['-4', '-o', 'route', 'show']) + run('ip', ['-4', '-o', 'addr', 'show']);
  for (let third = 1; third < 255; third += 1) if (!used.includes(`${SUBNET_PREFIX}.${third}.`)) return third;
  throw new Error(`every ${SUBNET_PREFIX}.X.0/24 network is in use: remove stale ones with \`ip netns\``);
}

export class RunNetwork {
  readonly #addresses = new Map<string, string>();
  readonly #namespaces = new Map<string, string>();
  readonly hub: string;
  /** This machine's address on the run's bridge: where the link proxies listen, for the namespaces. */
  readonly hostAddress: string;
  readonly #hostLink: string;

  /**
   * Creates the hub and a namespace per service in `members`, named `<prefix>-hub`, `<prefix>-<service>`;
   * `register` is told each name before it exists, so a reaper can remove it whatever happens next.
   */
  constructor(prefix: string, members: string[], register: (namespace: string) => void) {
    const net = `${SUBNET_PREFIX}.${freeSubnet()}`;
    this.hub = `${prefix}-hub`;
    this.hostAddress = `${net}.1`;
    this.#hostLink = shortName('sch', prefix);
    register(this.hub);
    run('ip', ['netns', 'add', this.hub]);
    runIn(this.hub, 'ip', ['link', 'set', 'lo', 'up']);
    runIn(this.hub, 'ip', ['link', 'add', 'br0', 'type', 'bridge']);
    runIn(this.hub, 'ip', ['link', 'set', 'br0', 'up']);
    // Bridged packets pass the hub's iptables, where link faults act.
    runIn(this.hub, 'sysctl', ['-qw', 'net.bridge.bridge-nf-call-iptables=1']);
    run('ip', ['link', 'add', this.#hostLink, 'type', 'veth', 'peer', 'name', 'host', 'netns', this.hub]);
    runIn(this.hub, 'ip', ['link', 'set', 'host', 'master', 'br0', 'up']);
    run('ip', ['addr', 'add', `${this.hostAddress}/24`, 'dev', this.#hostLink]);
    run('ip', ['link', 'set', this.#hostLink, 'up']);
    for (const [i, service] of members.entries())
      this.#join(`${prefix}-${service}`, service, `${net}.${i + 2}`, register);
  }

  #join(namespace: string, service: string, address: string, register: (namespace: string) => void): void {
    register(namespace);
    run('ip', ['netns', 'add', namespace]);
    const port = this.port(service, namespace);
    runIn(this.hub, 'ip', ['link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', namespace]);
    runIn(this.hub, 'ip', ['link', 'set', port, 'master', 'br0', 'up']);
    runIn(namespace, 'ip', ['addr', 'add', `${address}/24`, 'dev', 'eth0']);
    runIn(namespace, 'ip', ['link', 'set', 'eth0', 'up']);
    runIn(namespace, 'ip', ['link', 'set', 'lo', 'up']);
    this.#addresses.set(service, address);
    this.#namespaces.set(service, namespace);
  }

  /** The hub's interface towards a service: what goes out of it goes to that service. */
  port(service: string, namespace = this.#namespaces.get(service) ?? service): string {
    return shortName('to', namespace);
  }

  /** A service's own address; null for a service that runs outside the run's namespaces. */
  address(service: string): string | null {
    return this.#addresses.get(service) ?? null;
  }

  /** The command that runs a service's command inside its namespace (empty for one outside). */
  enter(service: string): string[] {
    const namespace = this.#namespaces.get(service);
    return namespace === undefined ? [] : ['ip', 'netns', 'exec', namespace];
  }

  /** Deletes every namespace of the run: its interfaces, rules and qdiscs go with them. */
  remove(): void {
    for (const namespace of [this.hub, ...this.#namespaces.values()]) removeNamespace(namespace);
  }
}

/** Deletes a network namespace if it exists (its veths, and their peers outside, go with it). */
export function removeNamespace(namespace: string): void {
  try {
    run('ip', ['netns', 'delete', namespace]);
  } catch {
    // already gone
  }
}
