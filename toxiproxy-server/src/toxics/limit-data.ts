/** The `limit_data` toxic: a stream closed once `bytes` bytes have gone through it. */
import {
  type Attributes,
  attr,
  BaseStage,
  type Sink,
  type StageContext,
  type ToxicKind,
  type ToxicState,
} from './stage.ts';

/** Forwards at most `bytes` bytes on this stream of the connection, then closes it. The count lives in the
 * link's per-toxic state, so it survives updates of the toxic. */
class LimitDataStage extends BaseStage {
  /** What the next chunk may carry: Toxiproxy works it out when it starts and after each chunk, so new
   * attributes without a restart cut the chunk after next, not the next one. */
  private remaining: number;

  constructor(
    private limit: number,
    private readonly state: ToxicState,
    next: Sink,
    ctx: StageContext,
  ) {
    super(next, ctx);
    this.remaining = limit - state.transmitted;
  }

  write(chunk: Buffer, stamp: number): void {
    if (this.outputEnded) return;
    const remaining = Math.max(0, this.remaining);
    const allowed = remaining < chunk.length ? chunk.subarray(0, remaining) : chunk;
    if (allowed.length > 0) {
      this.state.transmitted += allowed.length;
      this.emit(allowed, stamp);
    }
    this.remaining = this.limit - this.state.transmitted;
    if (this.remaining <= 0) this.finish();
  }

  override retune(attrs: Attributes): void {
    this.limit = attr(attrs, 'bytes');
  }

  end(): void {
    this.inputEnded = true;
    this.finish();
  }
}

export const limitData: ToxicKind = {
  goName: 'LimitDataToxic',
  goInt: 'int64',
  attributes: ['bytes'],
  closesOnRemove: false,
  create: (attrs: Attributes, state, next, ctx) => new LimitDataStage(attr(attrs, 'bytes'), state, next, ctx),
};
