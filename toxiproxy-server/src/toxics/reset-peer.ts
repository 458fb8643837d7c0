/** The `reset_peer` toxic: a stream cut `timeout` ms after data arrives, with a TCP reset when the toxic
 * was there as the connection began. */
import { after } from './long-timer.ts';
import {
  type Attributes,
  BaseStage,
  durationAttr,
  type Sink,
  type StageContext,
  type ToxicKind,
} from './stage.ts';

/** Drops the first chunk (or EOF), waits `timeout` ms, then ends the stream. Whether the peers see a reset
 * is the connection's business, as in Toxiproxy: its sockets close with SO_LINGER 0 (a TCP RST) only if a
 * reset_peer was on either chain when the connection began. Nothing interrupts the wait. */
class ResetPeerStage extends BaseStage {
  private triggered = false;

  constructor(
    private readonly timeout: number,
    next: Sink,
    ctx: StageContext,
  ) {
    super(next, ctx);
  }

  override get closed(): boolean {
    return this.triggered || this.outputEnded;
  }

  write(_chunk: Buffer, _stamp: number): void {
    this.trigger();
  }

  end(): void {
    this.inputEnded = true;
    this.trigger();
  }

  /** A triggered reset cannot be stopped: its timer runs on, the stage is closed and never restarted. */
  override interrupt() {
    if (this.triggered) return { chunks: [], ended: false };
    return super.interrupt();
  }

  private trigger(): void {
    if (this.triggered) return;
    this.triggered = true;
    this.timer = after(this.timeout, () => this.finish());
  }
}

export const resetPeer: ToxicKind = {
  goName: 'ResetToxic',
  goInt: 'int64',
  attributes: ['timeout'],
  closesOnRemove: false,
  /** Its presence when a connection begins makes that connection close with RST (SO_LINGER 0). */
  lingersZero: true,
  create: (attrs: Attributes, _state, next, ctx) =>
    new ResetPeerStage(durationAttr(attrs, 'timeout'), next, ctx),
};
