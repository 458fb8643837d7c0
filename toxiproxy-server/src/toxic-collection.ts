/** A proxy's toxics, upstream and downstream: changed through the HTTP API, and applied at once to every
 * open link of their stream. */
import { toxicNotFound } from './errors.ts';
import type { GoValue } from './go-json-scan.ts';
import type { Link } from './link.ts';
import { type Direction, parseNewToxic, parseToxicUpdate, type ToxicSpec } from './toxic-spec.ts';
import { toxicKind } from './toxics/registry.ts';

/** A proxy's toxics: one chain per direction, kept in insertion order, mirrored onto every open link. */
export class ToxicCollection {
  private readonly chains: Record<Direction, ToxicSpec[]> = { upstream: [], downstream: [] };
  private readonly links = new Set<Link>();

  /** Upstream toxics first, then downstream, each in insertion order (Toxiproxy's listing order). */
  list(): ToxicSpec[] {
    return [...this.chains.upstream, ...this.chains.downstream];
  }

  chain(direction: Direction): readonly ToxicSpec[] {
    return this.chains[direction];
  }

  find(name: string): ToxicSpec | undefined {
    return (
      this.chains.upstream.find((t) => t.name === name) ?? this.chains.downstream.find((t) => t.name === name)
    );
  }

  get(name: string): ToxicSpec {
    const spec = this.find(name);
    if (spec === undefined) throw toxicNotFound();
    return spec;
  }

  add(body: GoValue): ToxicSpec {
    const spec = parseNewToxic(body, (name) => this.find(name) !== undefined);
    this.chains[spec.direction].push(spec);
    for (const link of this.linksFor(spec.direction)) link.add(spec);
    return spec;
  }

  /** A successful update restarts the toxic on every link; a failed one keeps the attributes it could
   * read (Toxiproxy decodes into the live toxic), which running links pick up without a restart. */
  update(name: string, body: GoValue): ToxicSpec {
    const current = this.get(name);
    const { spec, partial } = parseToxicUpdate(body, current);
    const chain = this.chains[spec.direction];
    chain[chain.indexOf(current)] = spec;
    for (const link of this.linksFor(spec.direction)) {
      if (partial === undefined) link.update(spec);
      else link.retune(spec);
    }
    if (partial !== undefined) throw partial;
    return spec;
  }

  remove(name: string): void {
    const spec = this.get(name);
    const chain = this.chains[spec.direction];
    chain.splice(chain.indexOf(spec), 1);
    const closes = toxicKind(spec.type)?.closesOnRemove ?? false;
    for (const link of this.linksFor(spec.direction)) link.remove(spec.name, closes);
  }

  removeAll(): void {
    for (const spec of this.list()) this.remove(spec.name);
  }

  attach(link: Link): void {
    this.links.add(link);
  }

  detach(link: Link): void {
    this.links.delete(link);
  }

  private linksFor(direction: Direction): Link[] {
    return [...this.links].filter((link) => link.direction === direction);
  }
}
