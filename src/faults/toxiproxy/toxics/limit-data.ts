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
  constructor(
    private limit: number,
    private readonly state: ToxicState,
    next: Sink,
    ctx: StageContext,
  ) {
    super(next, ctx);
  }

  write(chunk: Buffer, stamp: number): void {
    if (this.outputEnded) return;
    const remaining = Math.max(0, this.limit - this.state.transmitted);
    const allowed = remaining < chunk.length ? chunk.subarray(0, remaining) : chunk;
    if (allowed.length > 0) {
      this.state.transmitted += allowed.length;
      this.emit(allowed, stamp);
    }
    if (this.limit - this.state.transmitted <= 0) this.finish();
  }

  /** Toxiproxy compares the count with the limit after each chunk. */
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
