/** The queue in which a toxic holds a stream's data back (latency, bandwidth, slicer) until it lets it go. */
import type { TimedChunk } from './stage.ts';

/** A FIFO of timed chunks that keeps a byte count, for stages that hold data back. */
export class ChunkQueue {
  private items: TimedChunk[] = [];
  private start = 0;
  bytes = 0;

  get length(): number {
    return this.items.length - this.start;
  }

  push(data: Buffer, stamp: number): void {
    this.items.push({ data, stamp });
    this.bytes += data.length;
  }

  peek(): TimedChunk | undefined {
    return this.items[this.start];
  }

  shift(): TimedChunk | undefined {
    const item = this.items[this.start];
    if (item === undefined) return undefined;
    this.start++;
    this.bytes -= item.data.length;
    // Compact now and then so a long-lived queue does not grow without bound.
    if (this.start > 1024 && this.start * 2 > this.items.length) {
      this.items = this.items.slice(this.start);
      this.start = 0;
    }
    return item;
  }

  /** Take `n` bytes off the front chunk (n < its length). */
  takeFront(n: number): TimedChunk {
    const item = this.items[this.start] as TimedChunk;
    const piece = { data: item.data.subarray(0, n), stamp: item.stamp };
    item.data = item.data.subarray(n);
    this.bytes -= n;
    return piece;
  }

  drain(): TimedChunk[] {
    const rest = this.items.slice(this.start);
    this.items = [];
    this.start = 0;
    this.bytes = 0;
    return rest;
  }
}
