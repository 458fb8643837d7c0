import type { Socket } from 'node:net';
import type { Sink } from './toxics/stage.ts';

/** Node reads at most 64 KiB at a time: a chunk that size means the source has more waiting. */
const FULL_READ = 64 * 1024;

/** The end of a link's chain: writes to the destination socket and remembers when it pushes back. */
export class DestSink implements Sink {
  /** The socket's buffer is full; the link stops reading its source until 'drain'. */
  blocked = false;
  private ended = false;
  private corked = false;

  constructor(private readonly dest: Socket) {}

  /** Small chunks go out at once (round-trip latency). During a bulk burst the socket is corked until the
   * event loop has read everything pending, so one writev carries many reads: about twice the throughput
   * per CPU-second on loopback. */
  write(chunk: Buffer, _stamp: number): void {
    if (this.ended || this.dest.destroyed) return;
    if (!this.corked && chunk.length >= FULL_READ) {
      this.corked = true;
      this.dest.cork();
      setImmediate(this.uncork);
    }
    if (!this.dest.write(chunk)) this.blocked = true;
  }

  /** Like Go's Close after the copy loop: flush what was written, then close the socket entirely, so the
   * other direction of the connection ends too. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.dest.destroyed) return;
    this.dest.end(() => this.dest.destroy());
  }

  private readonly uncork = (): void => {
    this.corked = false;
    if (!this.dest.destroyed) this.dest.uncork();
  };
}
