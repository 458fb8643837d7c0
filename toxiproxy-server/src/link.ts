/** A link: one stream (upstream or downstream) of a proxied connection, its bytes passing through that
 * stream's toxics, which may change while the connection stays open. */
import type { Socket } from 'node:net';
import { DestSink } from './dest-sink.ts';
import type { ByteMeter } from './metrics.ts';
import type { Direction, ToxicSpec } from './toxic-spec.ts';
import { toxicKind } from './toxics/registry.ts';
import {
  type Held,
  NoopStage,
  now,
  type Sink,
  type Stage,
  type StageContext,
  type ToxicState,
} from './toxics/stage.ts';

/** Bytes toxics may hold back (latency, bandwidth) before the link stops reading its source. */
const HIGH_WATER = 8 * 1024 * 1024;

interface Slot {
  /** The toxic as the link last heard of it: a restart runs it with these attributes. */
  spec: ToxicSpec;
  stage: Stage;
  readonly state: ToxicState;
}

/** One direction of a proxied connection: source socket → chain of toxic stages → destination socket.
 * With no toxics the chain is empty and each chunk goes straight to `dest.write`; toxics are spliced in
 * and out while the connection stays open, with Toxiproxy's interrupts: adding a toxic restarts the one
 * before it, removing one restarts the one before it too, updating one restarts it (see Stage.interrupt).
 *
 * Byte counts follow Toxiproxy's link: bytes read from the source are reported as received when the source
 * ends; bytes written to the destination are reported as sent when the output ends, and not at all if
 * writing failed. */
export class Link implements StageContext {
  private readonly slots: Slot[] = [];
  private readonly sink: DestSink;
  private head: Sink;
  private paused = false;
  private sourceEnded = false;
  private received = 0;
  private receivedReported = false;
  private sentReported = false;

  constructor(
    readonly direction: Direction,
    private readonly source: Socket,
    dest: Socket,
    specs: readonly ToxicSpec[],
    private readonly meter: ByteMeter,
    /** Close the destination with SO_LINGER 0 (a reset) rather than a FIN. */
    lingerZero = false,
  ) {
    this.sink = new DestSink(dest, this.reportSent, lingerZero);
    this.head = this.sink;
    for (const spec of specs) this.slots.push(this.newSlot(spec));
    this.rewire();
    source.on('data', this.onData);
    source.once('end', this.onSourceEnd);
    source.once('close', this.onSourceEnd);
    dest.on('drain', this.onDrain);
  }

  /** The new toxic goes last; the one before it is restarted, and what it had in hand goes on past the
   * newcomer (it was on its way out when the chain changed). */
  add(spec: ToxicSpec): void {
    const last = this.slots.at(-1);
    this.slots.push(this.newSlot(spec));
    if (last !== undefined && !last.stage.closed) this.restart(last);
    else this.rewire();
    this.wake();
  }

  /** Restart the toxic with new settings (and a new toxicity roll). */
  update(spec: ToxicSpec): void {
    const slot = this.slots.find((s) => s.spec.name === spec.name);
    if (slot === undefined) return;
    slot.spec = spec;
    if (!slot.stage.closed) this.restart(slot);
    this.wake();
  }

  /** New attributes without a restart: no new toxicity roll, the chunk in hand keeps its time. */
  retune(spec: ToxicSpec): void {
    const slot = this.slots.find((s) => s.spec.name === spec.name);
    if (slot === undefined) return;
    slot.spec = spec;
    slot.stage.retune(spec.attributes);
  }

  /** Take the toxic out: what it had goes on, then the toxic before it is restarted; `closes` ends the
   * stream instead (timeout's rule). */
  remove(name: string, closes: boolean): void {
    const index = this.slots.findIndex((s) => s.spec.name === name);
    const slot = this.slots[index];
    if (slot === undefined) return;
    const open = !slot.stage.closed;
    const held = open ? slot.stage.interrupt() : { chunks: [], ended: false };
    const next = slot.stage.next;
    this.slots.splice(index, 1);
    this.rewire();
    if (!open) return;
    if (closes) {
      next.end();
      return;
    }
    this.replay(held, next);
    const previous = this.slots[index - 1];
    if (previous !== undefined && !previous.stage.closed) this.restart(previous);
    this.wake();
  }

  /** The connection is gone: stop every toxic's timers. Bytes a toxic still held would have been written
   * to a closed socket, which fails Toxiproxy's writer. */
  dispose(): void {
    for (const slot of this.slots) {
      if (slot.stage.interrupt().chunks.length > 0) this.sink.failed = true;
    }
    this.reportReceived();
    this.reportSent();
  }

  /** The connection is about to be closed under the link (proxy disabled, deleted or moved). */
  abandon(): void {
    this.sink.abandon();
  }

  /** What the source sent before the link existed (read while the connection was dialling). */
  feed(chunks: readonly Buffer[], ended: boolean): void {
    for (const chunk of chunks) this.onData(chunk);
    if (ended) this.onSourceEnd();
  }

  wake(): void {
    if (this.paused && !this.overHighWater()) {
      this.paused = false;
      this.source.resume();
    }
  }

  private readonly onData = (chunk: Buffer): void => {
    this.received += chunk.length;
    this.head.write(chunk, this.slots.length === 0 ? 0 : now());
    if (this.overHighWater()) {
      this.paused = true;
      this.source.pause();
    }
  };

  private readonly onSourceEnd = (): void => {
    if (this.sourceEnded) return;
    this.sourceEnded = true;
    this.reportReceived();
    this.head.end();
  };

  private reportReceived(): void {
    if (this.receivedReported) return;
    this.receivedReported = true;
    this.meter.addReceived(this.received);
  }

  private readonly reportSent = (): void => {
    if (this.sentReported) return;
    this.sentReported = true;
    if (!this.sink.failed) this.meter.addSent(this.sink.sent);
  };

  private readonly onDrain = (): void => {
    this.sink.blocked = false;
    this.wake();
  };

  private overHighWater(): boolean {
    if (this.sink.blocked) return true;
    if (this.slots.length === 0) return false;
    let held = 0;
    for (const slot of this.slots) held += slot.stage.heldBytes();
    return held > HIGH_WATER;
  }

  private newSlot(spec: ToxicSpec): Slot {
    const state = { transmitted: 0 };
    return { spec, state, stage: this.createStage(spec, state) };
  }

  /** Interrupt the toxic (its chunk in hand goes to its present `next`) and run it anew on what it had not
   * taken up, in the chain as it now is. */
  private restart(slot: Slot): void {
    const held = slot.stage.interrupt();
    slot.stage = this.createStage(slot.spec, slot.state);
    this.rewire();
    this.replay(held, slot.stage);
  }

  /** Toxicity is rolled here, as Toxiproxy rolls it: whenever a toxic (re)starts on the link. */
  private createStage(spec: ToxicSpec, state: ToxicState): Stage {
    const kind = toxicKind(spec.type);
    if (kind === undefined || Math.random() >= spec.toxicity) return new NoopStage(this.sink, this);
    return kind.create(spec.attributes, state, this.sink, this);
  }

  private rewire(): void {
    let next: Sink = this.sink;
    for (let i = this.slots.length - 1; i >= 0; i--) {
      const stage = (this.slots[i] as Slot).stage;
      stage.next = next;
      next = stage;
    }
    this.head = next;
  }

  private replay(held: Held, into: Sink): void {
    for (const chunk of held.chunks) into.write(chunk.data, chunk.stamp);
    if (held.ended) into.end();
  }
}
