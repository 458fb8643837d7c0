import { type Attributes, attr, BaseStage, type Sink, type StageContext, type ToxicKind } from './stage.ts';

/** Passes data through; when the source reaches EOF, waits `delay` ms before closing. */
class SlowCloseStage extends BaseStage {
  constructor(
    private readonly delay: number,
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
    this.timer = setTimeout(() => this.finish(), this.delay);
  }
}

export const slowClose: ToxicKind = {
  attributes: ['delay'],
  closesOnRemove: false,
  create: (attrs: Attributes, _state, next, ctx) => new SlowCloseStage(attr(attrs, 'delay'), next, ctx),
};
