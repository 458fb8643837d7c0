/** The end of a link: what got through the stream's toxics, written to the destination socket, counted as
 * sent for the metrics, and the socket's pushback passed on to the link. */
import type { Socket } from 'node:net';
import type { Sink } from './toxics/stage.ts';

/** Node reads at most 64 KiB at a time: a chunk that size means the source has more waiting. */
const FULL_READ = 64 * 1024;
const EMPTY = Buffer.alloc(0);

/** The end of a link's chain: writes to the destination socket and remembers when it pushes back. */
export class DestSink implements Sink {
  /** The socket's buffer is full; the link stops reading its source until 'drain'. */
  blocked = false;
  /** Bytes handed to the socket. */
  sent = 0;
  /** A write met a dead socket, or the socket died with bytes still queued: Toxiproxy's writer would have
   * failed, and it counts no sent bytes for a link whose writer failed. */
  failed = false;
  private ended = false;
  private corked = false;

  /** `onEnded` runs once the end went out (flushed, or the socket was already gone). */
  constructor(
    private readonly dest: Socket,
    private readonly onEnded: () => void,
    private readonly lingerZero = false,
  ) {
    dest.on('error', this.abandon);
  }

  /** Small chunks go out at once (round-trip latency). During a bulk burst the socket is corked until the
   * event loop has read everything pending, so one writev carries many reads: about twice the throughput
   * per CPU-second on loopback. */
  write(chunk: Buffer, _stamp: number): void {
    if (this.ended) return;
    if (this.dest.destroyed) {
      this.failed = true;
      return;
    }
    if (!this.corked && chunk.length >= FULL_READ) {
      this.corked = true;
      this.dest.cork();
      setImmediate(this.uncork);
    }
    this.sent += chunk.length;
    if (!this.dest.write(chunk)) this.blocked = true;
  }

  /** Like Go's Close after the copy loop: flush what was written, then close the socket entirely, so the
   * other direction of the connection ends too; with SO_LINGER 0 that close is a reset. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.dest.destroyed) {
      this.onEnded();
      return;
    }
    if (this.lingerZero) {
      this.dest.write(EMPTY, (err?: Error | null) => {
        if (err) this.failed = true;
        this.onEnded();
        if (!this.dest.destroyed) this.dest.resetAndDestroy();
      });
      return;
    }
    this.dest.end((err?: Error | null) => {
      if (err) this.failed = true;
      this.onEnded();
      this.dest.destroy();
    });
  }

  /** The socket is about to die (or just errored): bytes it still queues will never be written. */
  readonly abandon = (): void => {
    if (this.dest.writableLength > 0) this.failed = true;
  };

  private readonly uncork = (): void => {
    this.corked = false;
    if (!this.dest.destroyed) this.dest.uncork();
  };
}
