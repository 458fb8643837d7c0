/**
 * Faults on the links no proxy sits in, made by the kernel of the run's hub namespace: a cut is a packet
 * filter rule that drops the link's packets; latency queues them (NFQUEUE) to infra/packet-delay, which
 * lets each go after the delay (this machine's kernel has no netem). Each fault is a chain of its own, so
 * its counters are its evidence and healing it is deleting the chain. The bytes each link carried are
 * counted by rules of their own (IP packets, headers included).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LinkBytes } from '../link-control.ts';
import { ManagedProcess } from '../local/process.ts';
import type { KernelLinkControl } from '../runtime.ts';
import { runIn } from './command.ts';
import { packetDelayProgram } from './packet-delay.ts';

/** A link as the hub's packet filter sees it: the packets that carry its data, one way. */
export interface KernelLink {
  id: string;
  /** Where its data comes from and goes to (the direction its changes flow), and the server's side. */
  source: string;
  destination: string;
  /** The server's port, and whether the data goes to it (the client sends) or comes from it. */
  port: number;
  toServer: boolean;
}

interface ActiveFault {
  chain: string;
  links: string[];
  what: string;
  delay?: { process: ManagedProcess; log: string };
}

const COUNT = 'SC-COUNT';
const FAULTS = 'SC-FAULTS';

/** iptables arguments that match a link's packets, in the direction its data flows or back. */
function match(link: KernelLink, back = false): string[] {
  const [from, to] = back ? [link.destination, link.source] : [link.source, link.destination];
  const portSide = link.toServer !== back ? '--dport' : '--sport';
  return ['-s', from, '-d', to, '-p', 'tcp', portSide, String(link.port)];
}

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
    for (const link of links) {
      iptables('-A', COUNT, ...match(link), '-m', 'comment', '--comment', `${link.id} flows`);
      iptables('-A', COUNT, ...match(link, true), '-m', 'comment', '--comment', `${link.id} back`);
    }
  }

  has = (id: string): boolean => this.#links.has(id);

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
    for (const id of links)
      this.#iptables('-A', chain, ...match(this.#link(id)), '-m', 'comment', '--comment', id, ...target);
    this.#iptables('-A', FAULTS, '-j', chain);
    const fault: ActiveFault = { chain, links, what };
    this.#active.set(name, fault);
    return fault;
  }

  /** The links' packets dropped where their data flows: nothing of it arrives until healed. */
  cut(links: string[], name: string): void {
    this.#chain(name, links, ['-j', 'DROP'], 'packets dropped by the packet filter');
  }

  /** The links' packets held for latencyMs (± jitterMs) each, in the direction their data flows. */
  slow(links: string[], name: string, latencyMs: number, jitterMs: number): void {
    const queue = 100 + this.#faults + 1;
    const log = join(this.logDir, `packet-delay-${queue}.log`);
    const process = ManagedProcess.start({
      id: `packet-delay-${queue}`,
      command: 'ip',
      args: [
        'netns',
        'exec',
        this.hub,
        packetDelayProgram(),
        String(queue),
        String(latencyMs),
        String(jitterMs),
        '0',
        '0',
      ],
      logFile: log,
    });
    // --queue-bypass: until the program listens (or once it is gone), packets pass as if there were no rule.
    const fault = this.#chain(
      name,
      links,
      ['-j', 'NFQUEUE', '--queue-num', String(queue), '--queue-bypass'],
      `packets delayed ${latencyMs} ms`,
    );
    fault.delay = { process, log };
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

  /** How each link stands now: untouched, or what each fault on it has done so far. */
  states(ids: string[]): { id: string; state: string }[] {
    return ids.map((id) => {
      const acting = [...this.#active.values()].filter((f) => f.links.includes(id));
      const shown = acting.map((f) => {
        const packets = counters(this.hub, f.chain).find((c) => c.comment === id)?.packets ?? 0;
        return `kernel: ${f.what}, ${packets} packet(s) so far`;
      });
      return { id, state: shown.length > 0 ? shown.join('; ') : 'kernel: untouched' };
    });
  }

  /** Packets of each link a fault has caught so far (dropped or queued to be delayed). */
  caught(name: string): Record<string, number> {
    const fault = this.#active.get(name);
    if (!fault) return {};
    return Object.fromEntries(counters(this.hub, fault.chain).map((c) => [c.comment, c.packets]));
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

  /** The bytes each link carried so far, its data's direction as upstream when the client sends it. */
  bytes(): Record<string, LinkBytes> {
    const bytes: Record<string, LinkBytes> = {};
    for (const { comment, bytes: n } of counters(this.hub, COUNT)) {
      const [id = '', way] = comment.split(' ');
      const link = this.#links.get(id);
      if (!link) continue;
      bytes[id] ??= { upstream: 0, downstream: 0 };
      const upstream = (way === 'flows') === link.toServer;
      bytes[id][upstream ? 'upstream' : 'downstream'] += n;
    }
    return bytes;
  }

  /** Every fault healed (at the cluster's end). */
  async healAll(): Promise<void> {
    for (const name of [...this.#active.keys()]) await this.heal(name);
  }
}
