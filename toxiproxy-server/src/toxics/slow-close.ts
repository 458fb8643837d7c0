/** The `slow_close` toxic: a stream's close held back by `delay` ms. */
import { after } from './long-timer.ts';
import {
  type Attributes,
  BaseStage,
  durationAttr,
  type Sink,
  type StageContext,
  type ToxicKind,
} from './stage.ts';

/** Passes data through; when the source reaches EOF, waits `delay` ms before closing. */
class SlowCloseStage extends BaseStage {
  constructor(
    private delay: number,
    next: Sink,
    ctx: StageContext,
  ) {
    super(next, ctx);
  }

  write(chunk: Buffer, stamp: number): void {
    this.emit(chunk, stamp);
  }

  end(): void {
    if (this.inputEnded) return;
    this.inputEnded = true;
    this.timer = after(this.delay, () => this.finish());
  }

  /** Toxiproxy reads the delay when the close comes. */
  override retune(attrs: Attributes): void {
    if (!this.inputEnded) this.delay = durationAttr(attrs, 'delay');
  }
}

export const slowClose: ToxicKind = {
  goName: 'SlowCloseToxic',
  goInt: 'int64',
  attributes: ['delay'],
  closesOnRemove: false,
  create: (attrs: Attributes, _state, next, ctx) =>
    new SlowCloseStage(durationAttr(attrs, 'delay'), next, ctx),
};
