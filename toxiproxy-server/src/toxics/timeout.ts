/** The `timeout` toxic: a stream that lets no data through and closes once `timeout` ms pass with none. */
import { after } from './long-timer.ts';
import {
  type Attributes,
  BaseStage,
  durationAttr,
  type Sink,
  type StageContext,
  type ToxicKind,
} from './stage.ts';

/** Drops all data and closes the stream once `timeout` ms pass without data (every chunk restarts the
 * clock); 0 never closes. Removing it closes the stream, as in Toxiproxy. */
class TimeoutStage extends BaseStage {
  constructor(
    private readonly timeout: number,
    next: Sink,
    ctx: StageContext,
  ) {
    super(next, ctx);
    this.arm();
  }

  write(_chunk: Buffer, _stamp: number): void {
    if (this.outputEnded) return;
    this.stopTimers();
    this.arm();
  }

  end(): void {
    this.inputEnded = true;
    this.finish();
  }

  private arm(): void {
    if (this.timeout > 0) this.timer = after(this.timeout, () => this.finish());
  }
}

export const timeout: ToxicKind = {
  goName: 'TimeoutToxic',
  goInt: 'int64',
  attributes: ['timeout'],
  closesOnRemove: true,
  create: (attrs: Attributes, _state, next, ctx) =>
    new TimeoutStage(durationAttr(attrs, 'timeout'), next, ctx),
};
