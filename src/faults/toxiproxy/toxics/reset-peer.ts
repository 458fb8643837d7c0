import { after } from './long-timer.ts';
import { type Attributes, attr, BaseStage, type Sink, type StageContext, type ToxicKind } from './stage.ts';

/** Drops the first chunk (or EOF), waits `timeout` ms, then resets the connection: both sockets close with
 * SO_LINGER 0, so both peers see a TCP RST. */
class ResetPeerStage extends BaseStage {
  private triggered = false;

  constructor(
    private readonly timeout: number,
    next: Sink,
    ctx: StageContext,
  ) {
    super(next, ctx);
  }

  write(_chunk: Buffer, _stamp: number): void {
    this.trigger();
  }

  end(): void {
    this.inputEnded = true;
    this.trigger();
  }

  private trigger(): void {
    if (this.triggered) return;
    this.triggered = true;
    this.timer = after(this.timeout, () => {
      this.outputEnded = true;
      this.ctx.resetConnection();
    });
  }
}

export const resetPeer: ToxicKind = {
  goName: 'ResetToxic',
  goInt: 'int64',
  attributes: ['timeout'],
  closesOnRemove: false,
  create: (attrs: Attributes, _state, next, ctx) => new ResetPeerStage(attr(attrs, 'timeout'), next, ctx),
};
