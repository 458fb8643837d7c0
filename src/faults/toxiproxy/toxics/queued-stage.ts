import { ChunkQueue } from './chunk-queue.ts';
import { BaseStage, type Held } from './stage.ts';

/** A stage that holds chunks in a queue and releases them on a timer (latency, bandwidth, slicer). */
export abstract class QueuedStage extends BaseStage {
  protected readonly queue = new ChunkQueue();

  end(): void {
    this.inputEnded = true;
    if (this.idle()) this.finish();
  }

  /** Nothing left to send: the end may be passed on. */
  protected idle(): boolean {
    return this.queue.length === 0;
  }

  override heldBytes(): number {
    return this.queue.bytes;
  }

  override interrupt(): Held {
    const held = super.interrupt();
    return { ...held, chunks: this.queue.drain() };
  }
}
