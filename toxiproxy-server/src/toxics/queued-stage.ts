/** What the toxics that hold data back (latency, bandwidth, slicer) have in common: a queue, and what
 * becomes of its contents when the toxic is interrupted. */
import { ChunkQueue } from './chunk-queue.ts';
import { BaseStage, type Held, type TimedChunk } from './stage.ts';

/** A stage that holds chunks in a queue and releases them on a timer (latency, bandwidth, slicer). The
 * queue's head is the chunk the toxic has in hand; the rest wait in its input, not yet taken up. */
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
    const inHand = this.takeInHand();
    if (inHand !== undefined) this.emit(inHand.data, inHand.stamp);
    return { ...held, chunks: this.queue.drain() };
  }

  /** The chunk in hand, as Toxiproxy sends it on when interrupted: whole, with its timestamp unchanged. */
  protected takeInHand(): TimedChunk | undefined {
    return this.queue.shift();
  }
}
