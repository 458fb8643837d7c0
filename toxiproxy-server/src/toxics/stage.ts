/** What a toxic is on a link: a stage in its stream's chain, interrupted and restarted as the toxics
 * change, with the attributes and helpers every toxic type shares. */
import type { Timer } from './long-timer.ts';

/** Where a stage sends its output: the next stage in the chain, or the destination socket. */
export interface Sink {
  /** `stamp` is when the chunk is due downstream (ms, performance.now clock); latency builds on it. */
  write(chunk: Buffer, stamp: number): void;
  end(): void;
}

export interface TimedChunk {
  data: Buffer;
  stamp: number;
}

/** What a stage still holds when it is interrupted, handed on so no byte is lost. */
export interface Held {
  chunks: TimedChunk[];
  ended: boolean;
}

/** Services of the link a stage runs in. */
export interface StageContext {
  /** Held bytes went down: the link may resume reading its source. */
  wake(): void;
}

/** Per connection and direction state of one toxic that survives updates (limit_data's counter). */
export interface ToxicState {
  transmitted: number;
}

export interface Stage extends Sink {
  next: Sink;
  /** Bytes waiting inside the stage, for backpressure. */
  heldBytes(): number;
  /** Toxiproxy's closed stub: the output ended, or (reset_peer) the stage is waiting out a timeout that no
   * interrupt can stop. A closed stage is never restarted. */
  readonly closed: boolean;
  /** Toxiproxy's interrupt: stop the timers; the chunk in hand goes on to `next` at once ("don't drop any
   * data on the floor"), and what the stage has not taken up yet is given back, in order, for the toxic
   * that runs next (the same toxic restarted, or the one after it when it is removed). */
  interrupt(): Held;
  /** The toxic's attributes changed under it without a restart (a failed update, see ToxicCollection):
   * only what Toxiproxy reads per chunk or at close takes the new values. */
  retune(attrs: Attributes): void;
}

/** Go int64 (or int) values, so every value Toxiproxy takes is kept and printed exactly. */
export type Attributes = Readonly<Record<string, bigint>>;

/** Shared plumbing: `emit`/`finish` forward to `next` once, and nothing flows after the output ended. */
export abstract class BaseStage implements Stage {
  next: Sink;
  protected outputEnded = false;
  protected inputEnded = false;
  /** The stage's pending timer, if it has one; cleared whenever the stage stops or is interrupted. */
  protected timer: Timer | undefined;

  constructor(
    next: Sink,
    protected readonly ctx: StageContext,
  ) {
    this.next = next;
  }

  abstract write(chunk: Buffer, stamp: number): void;
  abstract end(): void;

  heldBytes(): number {
    return 0;
  }

  get closed(): boolean {
    return this.outputEnded;
  }

  interrupt(): Held {
    this.stopTimers();
    return { chunks: [], ended: this.inputEnded && !this.outputEnded };
  }

  retune(_attrs: Attributes): void {}

  protected stopTimers(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  protected emit(chunk: Buffer, stamp: number): void {
    if (!this.outputEnded) this.next.write(chunk, stamp);
  }

  protected finish(): void {
    if (this.outputEnded) return;
    this.outputEnded = true;
    this.stopTimers();
    this.next.end();
  }
}

/** Passes everything straight on; also what a toxic runs as when its toxicity roll fails. */
export class NoopStage extends BaseStage {
  write(chunk: Buffer, stamp: number): void {
    this.emit(chunk, stamp);
  }

  end(): void {
    this.inputEnded = true;
    this.finish();
  }
}

export const now = (): number => performance.now();

/** One toxic type: its attributes (in the order Toxiproxy prints them) and how to run it on a link. */
export interface ToxicKind {
  /** The Go struct's name (`LatencyToxic`), which decoding errors print. */
  readonly goName: string;
  /** The Go type of its attributes: int64, but int for the slicer. */
  readonly goInt: 'int64' | 'int';
  readonly attributes: readonly string[];
  /** Removing the toxic closes the stream it ran on (timeout does this in Toxiproxy). */
  readonly closesOnRemove: boolean;
  /** A connection that begins with this toxic on either chain closes its sockets with SO_LINGER 0. */
  readonly lingersZero?: boolean;
  create(attrs: Attributes, state: ToxicState, next: Sink, ctx: StageContext): Stage;
}

/** An attribute value as a number, zero when absent (Toxiproxy zero-fills). */
export const attr = (attrs: Attributes, key: string): number => Number(attrs[key] ?? 0n);

const NANOS = { ms: 1_000_000n, us: 1_000n } as const;

/** A duration attribute in ms as Go computes it, `time.Duration(v) * unit`: int64 nanoseconds that wrap
 * past ~292 years (a huge value can come out negative, which Go's timers take as "now"). */
export const goDuration = (value: bigint, unit: keyof typeof NANOS = 'ms'): number =>
  Number(BigInt.asIntN(64, value * NANOS[unit])) / 1e6;

/** A duration attribute (see goDuration), zero when absent. */
export const durationAttr = (attrs: Attributes, key: string, unit: keyof typeof NANOS = 'ms'): number =>
  goDuration(attrs[key] ?? 0n, unit);
