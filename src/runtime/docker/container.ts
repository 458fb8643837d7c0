/** One service as a container: started, logged, watched until it ends; killed, paused, stopped by faults. */
import { createWriteStream } from 'node:fs';
import type Docker from 'dockerode';
import { treeMemoryMb } from '../local/process.ts';
import type { ServiceHandle } from '../placement.ts';
import { type Abortable, EngineHungError, engineCall, unlessHung } from './engine-call.ts';
import type { ContainerExits } from './exits.ts';

/** How a container's exit code reads: 128 + n is signal n, as a shell says it. */
function describeExit(code: number): string {
  const signals: Record<number, string> = { 137: 'SIGKILL', 143: 'SIGTERM', 130: 'SIGINT' };
  return signals[code] ? `was killed by ${signals[code]}` : `exited with code ${code}`;
}

const live = new Set<string>();

/** Names of the containers this runner started and has not removed: the exit hook removes them. */
export const liveContainers = (): string[] => [...live];

/** A started container: its output appended to a log file, its end watched, faults as engine operations. */
export class ContainerHandle implements ServiceHandle {
  #exited: Promise<void> = Promise.resolve();
  #exit: string | null = null;
  #paused = false;
  #pid = 0;

  private constructor(
    readonly container: Docker.Container,
    readonly name: string,
  ) {}

  #watch(exits: ContainerExits): void {
    this.#exited = exits.exited(this.container.id).then((code) => {
      this.#exit ??= describeExit(code);
    });
  }

  /** Creates and starts it; it counts as ours (removed on exit) from before it exists. */
  static async start(
    docker: Docker,
    exits: ContainerExits,
    options: Docker.ContainerCreateOptions & { name: string },
    logFile: string,
  ): Promise<ContainerHandle> {
    live.add(options.name);
    const container = await engineCall(`creating container ${options.name}`, (o) =>
      docker.createContainer({ ...options, ...o }),
    );
    const handle = new ContainerHandle(container, options.name);
    handle.#watch(exits);
    await engineCall(`starting container ${options.name}`, (o) => container.start(o));
    // Not awaited: an engine may hold the answer until the container writes its first line.
    void container
      .logs({ follow: true, stdout: true, stderr: true })
      .then((logs) => {
        const out = createWriteStream(logFile, { flags: 'a' });
        docker.modem.demuxStream(logs, out, out);
        logs.on('end', () => out.end());
      })
      .catch(() => undefined);
    handle.#pid = (
      await engineCall(`inspecting container ${options.name}`, (o) => container.inspect(o))
    ).State.Pid;
    return handle;
  }

  #call<T>(doing: string, call: (options: Abortable) => Promise<T>): Promise<T> {
    return engineCall(`${doing} container ${this.name}`, call);
  }

  get exited(): Promise<void> {
    return this.#exited;
  }

  get exit(): string | null {
    return this.#exit;
  }

  get pid(): number | null {
    return this.#pid > 0 ? this.#pid : null;
  }

  /** As the engine sees it. */
  async paused(): Promise<boolean | null> {
    const state = await this.#call('inspecting', (o) => this.container.inspect(o)).catch(() => null);
    return state === null ? null : state.State.Paused;
  }

  async kill(): Promise<void> {
    if (this.#exit !== null) return;
    await this.#call('killing', (o) => this.container.kill({ signal: 'SIGKILL', ...o })).catch(unlessHung);
    await this.exited;
  }

  async pause(): Promise<void> {
    if (this.#exit !== null || this.#paused) return;
    await this.#call('pausing', (o) => this.container.pause(o));
    this.#paused = true;
  }

  async resume(): Promise<void> {
    if (!this.#paused) return;
    await this.#call('unpausing', (o) => this.container.unpause(o));
    this.#paused = false;
  }

  /** A paused container is woken first, so it can exit on its SIGTERM. */
  async stop(graceMs = 1500): Promise<void> {
    if (this.#exit === null) {
      await this.resume().catch(unlessHung);
      const t = Math.max(1, Math.ceil(graceMs / 1000));
      await this.#call('stopping', (o) => this.container.stop({ t, ...o })).catch(unlessHung);
      await this.exited;
    }
  }

  /** Removes the stopped container (its log file stays); one a hung engine kept is left to the exit hook. */
  async remove(): Promise<void> {
    const removed = await this.#call('removing', (o) =>
      this.container.remove({ force: true, v: true, ...o }),
    ).then(
      () => true,
      (error: unknown) => !(error instanceof EngineHungError),
    );
    if (removed) live.delete(this.name);
  }

  /** From /proc, when the engine runs on this machine (its processes are ours to see); else null. */
  memoryMb(): number | null {
    if (this.#pid <= 0) return null;
    const mb = treeMemoryMb(this.#pid);
    return mb > 0 ? mb : null;
  }
}
