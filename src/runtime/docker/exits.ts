/** Learning when a case's containers exit (a crash, or a fault's kill) from the engine's events. */
import type Docker from 'dockerode';
import { engineCall } from './engine-call.ts';

interface EngineEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
}

/**
 * Tells when containers exit, from one stream of engine events (filtered by a label) opened before any of
 * them starts. Not a `wait` per container: Podman 4.3 answers each open wait by polling, measured here at
 * 1.2 cores for six containers — more than the cluster under test used.
 */
export class ContainerExits {
  readonly #waiting = new Map<string, () => void>();
  readonly #died = new Set<string>();
  #socket: { ref(): void; unref(): void } | undefined;

  private constructor(readonly docker: Docker) {}

  static async open(docker: Docker, label: string): Promise<ContainerExits> {
    const exits = new ContainerExits(docker);
    const filters = JSON.stringify({ label: [label], type: ['container'] });
    // Bounded until the stream opens; the open stream itself is not (a quiet one is no hang).
    const stream = (await engineCall('opening its event stream', (o) =>
      docker.getEvents({ filters, ...o }),
    )) as NodeJS.ReadableStream & { socket?: { ref(): void; unref(): void } };
    let pending = '';
    stream.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines.filter((l) => l.trim())) exits.#seen(JSON.parse(line) as EngineEvent);
    });
    // The stream lives as long as the runner, but keeps it alive only while a container is awaited.
    exits.#socket = stream.socket;
    exits.#socket?.unref();
    return exits;
  }

  #seen(event: EngineEvent): void {
    if ((event.Action ?? event.status) !== 'die' || !event.id) return;
    this.#died.add(event.id);
    this.#waiting.get(event.id)?.();
  }

  /** Resolves with the container's exit code once it has exited (at once if it already has). */
  async exited(id: string): Promise<number> {
    if (!this.#died.has(id)) {
      this.#socket?.ref();
      await new Promise<void>((resolve) => this.#waiting.set(id, resolve));
    }
    this.#waiting.delete(id);
    this.#died.delete(id);
    if (this.#waiting.size === 0) this.#socket?.unref();
    return engineCall(`inspecting container ${id}`, (o) => this.docker.getContainer(id).inspect(o))
      .then((info) => info.State.ExitCode)
      .catch(() => -1);
  }
}
