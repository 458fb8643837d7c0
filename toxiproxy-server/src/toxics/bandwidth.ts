/** The `bandwidth` toxic: a stream's data let through at no more than `rate` KB/s. */
import { after } from './long-timer.ts';
import { QueuedStage } from './queued-stage.ts';
import { type Attributes, attr, now, type Sink, type StageContext, type ToxicKind } from './stage.ts';

/** Paces data at `rate` KB/s (1 KB = 1000 B, so `rate` bytes per ms); a chunk larger than 100 ms worth goes
 * out in 100 ms pieces. A rate of 0 or less lets nothing through (Toxiproxy stalls too). */
class BandwidthStage extends QueuedStage {
  /** When the previous piece finished "transmitting"; pacing continues from there while busy. */
  private nextAt = 0;

  constructor(
    private rate: number,
    next: Sink,
    ctx: StageContext,
  ) {
    super(next, ctx);
  }

  write(chunk: Buffer, stamp: number): void {
    if (this.outputEnded) return;
    if (this.queue.length === 0 && this.timer === undefined) this.nextAt = now();
    this.queue.push(chunk, stamp);
    if (this.timer === undefined) this.pump();
  }

  /** Toxiproxy reads the rate for each chunk. */
  override retune(attrs: Attributes): void {
    this.rate = attr(attrs, 'rate');
  }

  /** Sends every piece whose transmission time is already over (timers are too coarse for one timer per
   * small chunk), then sleeps until the next one is. */
  private pump(): void {
    for (let head = this.queue.peek(); head !== undefined && this.rate > 0; head = this.queue.peek()) {
      const size = Math.min(head.data.length, this.rate * 100);
      const due = Math.max(this.nextAt, now() - 100) + size / this.rate;
      const wait = due - now();
      if (wait > 0.5) {
        this.timer = after(wait, this.wakeUp);
        return;
      }
      this.nextAt = due;
      const piece = size < head.data.length ? this.queue.takeFront(size) : this.queue.shift();
      if (piece) this.emit(piece.data, piece.stamp);
    }
    if (this.queue.length === 0 && this.inputEnded) this.finish();
  }

  private readonly wakeUp = (): void => {
    this.timer = undefined;
    this.pump();
    this.ctx.wake();
  };
}

export const bandwidth: ToxicKind = {
  goName: 'BandwidthToxic',
  goInt: 'int64',
  attributes: ['rate'],
  closesOnRemove: false,
  create: (attrs: Attributes, _state, next, ctx) => new BandwidthStage(attr(attrs, 'rate'), next, ctx),
};
