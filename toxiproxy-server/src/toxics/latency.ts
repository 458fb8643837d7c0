/** The `latency` toxic: a stream's data delayed by `latency` ms, give or take `jitter`. */
import { after } from './long-timer.ts';
import { QueuedStage } from './queued-stage.ts';
import { type Attributes, goDuration, now, type Sink, type StageContext, type ToxicKind } from './stage.ts';

/** When the chunk in hand goes, and the timestamp it goes with. */
interface Release {
  due: number;
  stamp: number;
}

/** Delays each chunk by latency ± jitter from its arrival, one chunk at a time as Toxiproxy does: a chunk is
 * taken up when the one before it has gone, its delay rolled then (with the attributes of that moment), and
 * it goes at arrival + delay, or at once if that has passed. */
class LatencyStage extends QueuedStage {
  private release: Release | undefined;

  constructor(
    private latency: bigint,
    private jitter: bigint,
    next: Sink,
    ctx: StageContext,
  ) {
    super(next, ctx);
  }

  write(chunk: Buffer, stamp: number): void {
    if (this.outputEnded) return;
    this.queue.push(chunk, stamp);
    if (this.release === undefined) this.takeUp(now());
  }

  /** Toxiproxy reads latency and jitter when it takes a chunk up; the chunk in hand keeps its time. */
  override retune(attrs: Attributes): void {
    this.latency = attrs.latency ?? 0n;
    this.jitter = attrs.jitter ?? 0n;
  }

  protected override takeInHand() {
    this.release = undefined;
    return super.takeInHand();
  }

  /** In ms, with Go's int64 arithmetic: the jittered value and its nanoseconds wrap as they do there. */
  private delay(): number {
    if (this.jitter <= 0n) return goDuration(this.latency);
    const roll = BigInt(Math.floor(Math.random() * Number(this.jitter * 2n)));
    return goDuration(BigInt.asIntN(64, this.latency + roll - this.jitter));
  }

  /** Takes the head up at `at`. Toxiproxy adds the sleep, not the delay, to the chunk's timestamp (so a
   * chunk that queued goes on stamped earlier than it went), and a later latency builds on that stamp. */
  private pick(at: number): void {
    const head = this.queue.peek();
    if (head === undefined) return;
    const sleep = this.delay() - (at - head.stamp);
    this.release = { due: at + Math.max(0, sleep), stamp: head.stamp + sleep };
  }

  private takeUp(at: number): void {
    this.pick(at);
    this.arm();
  }

  private arm(): void {
    if (this.release !== undefined) this.timer = after(Math.max(0, this.release.due - now()), this.onTimer);
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    // Timers have millisecond resolution: release what is due within the next half millisecond.
    const horizon = now() + 0.5;
    while (this.release !== undefined && this.release.due <= horizon) {
      const { due, stamp } = this.release;
      const head = this.queue.shift();
      this.release = undefined;
      if (head !== undefined) this.emit(head.data, stamp);
      if (this.queue.length > 0) this.pick(due);
    }
    if (this.release !== undefined) this.arm();
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
    new LatencyStage(attrs.latency ?? 0n, attrs.jitter ?? 0n, next, ctx),
};
