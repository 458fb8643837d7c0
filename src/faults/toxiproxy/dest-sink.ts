import type { Socket } from 'node:net';
import type { Sink } from './toxics/stage.ts';

/** The end of a link's chain: writes to the destination socket and remembers when it pushes back. */
export class DestSink implements Sink {
  /** The socket's buffer is full; the link stops reading its source until 'drain'. */
  blocked = false;
  private ended = false;

  constructor(private readonly dest: Socket) {}

  write(chunk: Buffer, _stamp: number): void {
    if (this.ended || this.dest.destroyed) return;
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
}
