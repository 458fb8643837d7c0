/** The `slicer` toxic: a stream's data cut into small slices (`average_size` ± `size_variation` bytes),
 * `delay` µs apart. */
import { after } from './long-timer.ts';
import { QueuedStage } from './queued-stage.ts';
import {
  type Attributes,
  attr,
  durationAttr,
  type Sink,
  type StageContext,
  type ToxicKind,
} from './stage.ts';

/** Cut points that split `size` bytes into slices of about `average` ± `variation` bytes, halving around a
 * randomly shifted middle so slices vary evenly along the chunk. */
export function sliceSizes(size: number, average: number, variation: number): number[] {
  const sizes: number[] = [];
  const split = (length: number): void => {
    if (length <= 1 || length - average <= variation) {
      sizes.push(length);
      return;
    }
    const shift = variation > 0 ? Math.floor(Math.random() * variation * 2) - variation : 0;
    const left = Math.min(length - 1, Math.max(1, Math.floor(length / 2) + shift));
    split(left);
    split(length - left);
  };
  if (size > 0) split(size);
  return sizes;
}

/** Splits each chunk into small slices and waits `delay` µs after each one. A chunk is sliced when it is
 * taken up (with the attributes of that moment); an interrupt sends the rest of it on in one piece. */
class SlicerStage extends QueuedStage {
  /** The chunk in hand, still to go: its slices, in order. */
  private slices: Buffer[] = [];
  private slicesStamp = 0;
  private waiting = false;
  private immediate: NodeJS.Immediate | undefined;

  constructor(
    private average: number,
    private variation: number,
    private delayMicros: number,
    next: Sink,
    ctx: StageContext,
  ) {
    super(next, ctx);
  }

  write(chunk: Buffer, stamp: number): void {
    if (this.outputEnded) return;
    this.queue.push(chunk, stamp);
    if (!this.waiting) this.pump();
  }

  /** Toxiproxy reads its attributes for each chunk. */
  override retune(attrs: Attributes): void {
    this.average = attr(attrs, 'average_size');
    this.variation = attr(attrs, 'size_variation');
    this.delayMicros = durationAttr(attrs, 'delay', 'us') * 1000;
  }

  protected override idle(): boolean {
    return !this.waiting && this.slices.length === 0 && super.idle();
  }

  override heldBytes(): number {
    return super.heldBytes() + this.slices.reduce((sum, slice) => sum + slice.length, 0);
  }

  protected override takeInHand() {
    const rest = this.slices.splice(0);
    return rest.length > 0 ? { data: Buffer.concat(rest), stamp: this.slicesStamp } : undefined;
  }

  protected override stopTimers(): void {
    super.stopTimers();
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = undefined;
    this.waiting = false;
  }

  private pump(): void {
    for (let slice = this.nextSlice(); slice; slice = this.nextSlice()) {
      this.emit(slice, this.slicesStamp);
      if (this.delayMicros > 0) {
        this.wait();
        return;
      }
    }
    if (this.inputEnded) this.finish();
  }

  private nextSlice(): Buffer | undefined {
    if (this.slices.length === 0) {
      const chunk = this.queue.shift();
      if (chunk === undefined) return undefined;
      let offset = 0;
      for (const size of sliceSizes(chunk.data.length, this.average, this.variation)) {
        this.slices.push(chunk.data.subarray(offset, offset + size));
        offset += size;
      }
      this.slicesStamp = chunk.stamp;
    }
    return this.slices.shift();
  }

  /** Sub-millisecond delays cannot be timed by setTimeout; one event-loop turn stands in for them. */
  private wait(): void {
    this.waiting = true;
    const resume = (): void => {
      this.waiting = false;
      this.timer = undefined;
      this.immediate = undefined;
      this.pump();
      this.ctx.wake();
    };
    if (this.delayMicros >= 1000) this.timer = after(this.delayMicros / 1000, resume);
    else this.immediate = setImmediate(resume);
  }
}

export const slicer: ToxicKind = {
  goName: 'SlicerToxic',
  goInt: 'int',
  attributes: ['average_size', 'size_variation', 'delay'],
  closesOnRemove: false,
  create: (attrs: Attributes, _state, next, ctx) =>
    new SlicerStage(
      attr(attrs, 'average_size'),
      attr(attrs, 'size_variation'),
      durationAttr(attrs, 'delay', 'us') * 1000,
      next,
      ctx,
    ),
};
