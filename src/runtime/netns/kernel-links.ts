/**
 * Faults on a run's links made by the kernel of its hub namespace, which every packet between the run's
 * namespaces crosses: a cut or a loss is a packet filter rule that drops the link's packets (all, or a
 * random share); latency, reordering and a bandwidth queue them (NFQUEUE) to infra/packet-delay, which lets
 * each go in its time (this machine's kernel has no netem). Each fault is a chain of its own, so its
 * counters are its evidence and healing it is deleting the chain. The bytes each link carried are counted
 * by rules of their own (IP packets, headers included).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LinkBytes } from '../link-control.ts';
import { ManagedProcess } from '../local/process.ts';
import type { KernelFault, KernelLinkControl } from '../runtime.ts';
import { runIn } from './command.ts';
import { packetDelayProgram } from './packet-delay.ts';

/** One path a link's TCP connections may take across the hub: its client's address to a server's. */
export interface Leg {
  client: string;
  server: string;
  port: number;
}

/**
 * A link as the hub's packet filter sees it: the paths its connections take (to its proxy, and straight to
 * its server where a client may go around the proxy), and which way its data flows: upstream (client to
 * server), downstream, or both (requests and their answers).
 */
export interface KernelLink {
  id: string;
  legs: Leg[];
  flows: 'upstream' | 'downstream' | 'both';
}

interface ActiveFault {
  chain: string;
  links: string[];
  what: string;
  delay?: { process: ManagedProcess; log: string };
}

const COUNT = 'SC-COUNT';
const FAULTS = 'SC-FAULTS';

/** iptables arguments that match a leg's packets going one way. */
function match(leg: Leg, way: 'upstream' | 'downstream'): string[] {
  const port = String(leg.port);
  return way === 'upstream'
    ? ['-s', leg.client, '-d', leg.server, '-p', 'tcp', '--dport', port]
    : ['-s', leg.server, '-d', leg.client, '-p', 'tcp', '--sport', port];
}

/** The ways a fault on a link acts: the way its data flows, or both for requests and answers. */
const ways = (link: KernelLink): ('upstream' | 'downstream')[] =>
  link.flows === 'both' ? ['upstream', 'downstream'] : [link.flows];

/** Sums the packet and byte counters of a chain's rules, from `iptables -L -v -x`; by rule comment. */
function counters(hub: string, chain: string): { comment: string; packets: number; bytes: number }[] {
  const listing = runIn(hub, 'iptables', ['-w', '-L', chain, '-v', '-x', '-n']);
  return listing
    .split('\n')
    .slice(2)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [packets = '0', bytes = '0'] = line.trim().split(/\s+/);
      return {
        comment: /\/\* (.*) \*\//.exec(line)?.[1] ?? '',
        packets: Number(packets),
        bytes: Number(bytes),
      };
    });
}

export class KernelLinks implements KernelLinkControl {
  readonly #links = new Map<string, KernelLink>();
  readonly #active = new Map<string, ActiveFault>();
  #faults = 0;

  /** Sets up the hub's counting and fault chains; `logDir` takes the delay programs' output. */
  constructor(
    readonly hub: string,
    links: KernelLink[],
    readonly logDir: string,
  ) {
    for (const link of links) this.#links.set(link.id, link);
    const iptables = (...args: string[]) => runIn(hub, 'iptables', ['-w', ...args]);
    iptables('-N', COUNT);
    iptables('-N', FAULTS);
    iptables('-A', 'FORWARD', '-j', COUNT);
    iptables('-A', 'FORWARD', '-j', FAULTS);
    for (const link of links)
      for (const leg of link.legs)
        for (const way of ['upstream', 'downstream'] as const)
          iptables('-A', COUNT, ...match(leg, way), '-m', 'comment', '--comment', `${link.id} ${way}`);
  }

  #link(id: string): KernelLink {
    const link = this.#links.get(id);
    if (!link) throw new Error(`${id} is not a link the kernel handles`);
    return link;
  }

  #iptables(...args: string[]): string {
    return runIn(this.hub, 'iptables', ['-w', ...args]);
  }

  /** A new chain for a fault, holding one rule per link, jumped to from the fault chain. */
  #chain(name: string, links: string[], target: string[], what: string): ActiveFault {
    this.#faults += 1;
    const chain = `SC-F${this.#faults}`;
    this.#iptables('-N', chain);
    for (const id of links) {
      const link = this.#link(id);
      for (const leg of link.legs)
        for (const way of ways(link))
          this.#iptables('-A', chain, ...match(leg, way), '-m', 'comment', '--comment', id, ...target);
    }
    this.#iptables('-A', FAULTS, '-j', chain);
    const fault: ActiveFault = { chain, links, what };
    this.#active.set(name, fault);
    return fault;
  }

  /** Acts on the links' packets, in the way(s) their data flows, until healed. */
  act(links: string[], name: string, fault: KernelFault): void {
    if (fault.kind === 'drop') this.#chain(name, links, ['-j', 'DROP'], 'packets dropped');
    else if (fault.kind === 'loss')
      this.#chain(
        name,
        links,
        ['-m', 'statistic', '--mode', 'random', '--probability', String(fault.percent / 100), '-j', 'DROP'],
        `${fault.percent}% of packets dropped`,
      );
    else this.#hold(links, name, fault);
  }

  /** Packets queued to infra/packet-delay, which holds each for its delay and its turn at the rate. */
  #hold(links: string[], name: string, fault: Extract<KernelFault, { kind: 'hold' }>): void {
    const queue = 100 + this.#faults + 1;
    const log = join(this.logDir, `packet-delay-${queue}.log`);
    const { latencyMs = 0, jitterMs = 0, reorderPercent = 0, rateKBps = 0 } = fault;
    const settings = [latencyMs, jitterMs, reorderPercent, 0, rateKBps].map(String);
    const program = ManagedProcess.start({
      id: `packet-delay-${queue}`,
      command: 'ip',
      args: ['netns', 'exec', this.hub, packetDelayProgram(), String(queue), ...settings],
      logFile: log,
    });
    const what = [
      latencyMs ? `packets delayed ${latencyMs} ms${jitterMs ? ` ± ${jitterMs}` : ''}` : '',
      reorderPercent ? `${reorderPercent}% sent ahead of the rest` : '',
      rateKBps ? `paced at ${rateKBps} KB/s` : '',
    ].filter(Boolean);
    // --queue-bypass: until the program listens (or once it is gone), packets pass as if there were no rule.
    const target = ['-j', 'NFQUEUE', '--queue-num', String(queue), '--queue-bypass'];
    this.#chain(name, links, target, what.join(', ')).delay = { process: program, log };
  }

  /** Undoes a fault: its rules go first (nothing more is queued), then its delay program lets go of all it holds. */
  async heal(name: string): Promise<void> {
    const fault = this.#active.get(name);
    if (!fault) return;
    this.#active.delete(name);
    this.#iptables('-D', FAULTS, '-j', fault.chain);
    this.#iptables('-F', fault.chain);
    this.#iptables('-X', fault.chain);
    await fault.delay?.process.stop(2000);
  }

  /** How each link stands now: untouched, or what each fault on it has done so far (one count per fault). */
  states(ids: string[]): { id: string; state: string }[] {
    const acting = [...this.#active]
      .filter(([, f]) => f.links.some((id) => ids.includes(id)))
      .map(([name, f]) => ({ f, caught: this.caught(name) }));
    return ids.map((id) => {
      const shown = acting
        .filter(({ f }) => f.links.includes(id))
        .map(({ f, caught }) => `kernel: ${f.what}, ${caught[id] ?? 0} packet(s) so far`);
      return { id, state: shown.length > 0 ? shown.join('; ') : 'kernel: untouched' };
    });
  }

  /** Packets of each link a fault has caught so far (dropped or queued to be held), both ways summed. */
  caught(name: string): Record<string, number> {
    const fault = this.#active.get(name);
    const caught: Record<string, number> = {};
    for (const { comment, packets } of fault ? counters(this.hub, fault.chain) : [])
      caught[comment] = (caught[comment] ?? 0) + packets;
    return caught;
  }

  /** What a latency fault's program reports: "queued N delayed N reordered N dropped N". */
  delayReport(name: string): string | null {
    const log = this.#active.get(name)?.delay?.log;
    if (!log) return null;
    try {
      return readFileSync(log, 'utf8').trim().split('\n').at(-1) ?? null;
    } catch {
      return null;
    }
  }

  /** The bytes each link carried so far: upstream what its client sent, downstream what came back. */
  bytes(): Record<string, LinkBytes> {
    const bytes: Record<string, LinkBytes> = {};
    for (const { comment, bytes: n } of counters(this.hub, COUNT)) {
      const [id = '', way] = comment.split(' ');
      if (!this.#links.has(id) || (way !== 'upstream' && way !== 'downstream')) continue;
      bytes[id] ??= { upstream: 0, downstream: 0 };
      bytes[id][way] += n;
    }
    return bytes;
  }

  /** Every fault healed (at the cluster's end). */
  async healAll(): Promise<void> {
    for (const name of [...this.#active.keys()]) await this.heal(name);
  }
}
