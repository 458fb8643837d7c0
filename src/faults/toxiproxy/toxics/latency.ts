import { after } from './long-timer.ts';
import { QueuedStage } from './queued-stage.ts';
import { type Attributes, attr, now, type Sink, type StageContext, type ToxicKind } from './stage.ts';

/** Delays each chunk to its arrival + latency ± jitter. Chunks keep their order but do not wait for each
 * other's delay: a chunk is due at max(its own time, the previous chunk's time). */
class LatencyStage extends QueuedStage {
  private lastDue = 0;

  constructor(
    private latency: number,
    private jitter: number,
    next: Sink,
    ctx: StageContext,
  ) {
    super(next, ctx);
  }

  write(chunk: Buffer, stamp: number): void {
    if (this.outputEnded) return;
    const due = Math.max(stamp + this.delay(), this.lastDue);
    this.lastDue = due;
    this.queue.push(chunk, stamp, due);
    if (this.timer === undefined) this.schedule(due);
  }

  /** Toxiproxy reads latency and jitter for each chunk; chunks already timed keep their time. */
  override retune(attrs: Attributes): void {
    this.latency = attr(attrs, 'latency');
    this.jitter = attr(attrs, 'jitter');
  }

  private delay(): number {
    if (this.jitter <= 0) return this.latency;
    return this.latency + Math.floor(Math.random() * this.jitter * 2) - this.jitter;
  }

  private schedule(due: number): void {
    this.timer = after(Math.max(0, due - now()), this.release);
  }

  private readonly release = (): void => {
    this.timer = undefined;
    // Timers have millisecond resolution: release what is due within the next half millisecond.
    const horizon = now() + 0.5;
    for (let head = this.queue.peek(); head && head.due <= horizon; head = this.queue.peek()) {
      this.queue.shift();
      this.emit(head.data, head.due);
    }
    const head = this.queue.peek();
    if (head) this.schedule(head.due);
    else if (this.inputEnded) this.finish();
    this.ctx.wake();
  };
}

export const latency: ToxicKind = {
  goName: 'LatencyToxic',
  goInt: 'int64',
  attributes: ['latency', 'jitter'],
  closesOnRemove: false,
  create: (attrs: Attributes, _state, next, ctx) =>
    new LatencyStage(attr(attrs, 'latency'), attr(attrs, 'jitter'), next, ctx),
};
