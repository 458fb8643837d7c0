/** Small real TCP peers for the data-path tests. Everything opened here is closed by `closeAllNet`. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { createInterface } from 'node:readline';

const sockets = new Set<Socket>();
const servers = new Set<Server>();

export const now = (): number => performance.now();
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function track(socket: Socket): Socket {
  sockets.add(socket);
  socket.on('error', () => {});
  socket.once('close', () => sockets.delete(socket));
  return socket;
}

export interface Upstream {
  port: number;
  /** Accepted sockets, in order, with what each received. */
  accepted: Recorder[];
  close(): Promise<void>;
}

/** A TCP server on 127.0.0.1 and a free port; `onConnection` defaults to echoing everything back. */
export async function startUpstream(
  onConnection: (socket: Socket) => void = (s) => s.pipe(s),
): Promise<Upstream> {
  const accepted: Recorder[] = [];
  const server = createServer((socket) => {
    accepted.push(new Recorder(track(socket)));
    onConnection(socket);
  });
  servers.add(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    accepted,
    close: () => closeServer(server),
  };
}

/** A free port nobody listens on (for "unreachable upstream"). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function closeServer(server: Server): Promise<void> {
  servers.delete(server);
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function closeAllNet(): Promise<void> {
  for (const socket of sockets) socket.destroy();
  await Promise.all([...servers].map(closeServer));
}

export function connectTo(port: number, host = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = track(connect({ port, host, noDelay: true }));
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Connects and reports whether the port accepted the connection. */
export async function canConnect(port: number): Promise<boolean> {
  try {
    (await connectTo(port)).destroy();
    return true;
  } catch {
    return false;
  }
}

/** Everything a socket received, when, and how it ended. */
export class Recorder {
  readonly chunks: { at: number; data: Buffer }[] = [];
  total = 0;
  endedAt: number | undefined;
  closedAt: number | undefined;
  error: NodeJS.ErrnoException | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(readonly socket: Socket) {
    socket.on('data', (data: Buffer) => {
      this.chunks.push({ at: now(), data });
      this.total += data.length;
      this.notify();
    });
    socket.on('end', () => this.mark('endedAt'));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.error = err;
      this.notify();
    });
    socket.on('close', () => this.mark('closedAt'));
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks.map((c) => c.data));
  }

  /** Resolves with the time the first `n` bytes had all arrived. */
  async bytesBy(n: number, timeoutMs: number): Promise<number> {
    await this.until(() => this.total >= n, timeoutMs, `${n} bytes (got ${this.total})`);
    let seen = 0;
    for (const chunk of this.chunks) {
      seen += chunk.data.length;
      if (seen >= n) return chunk.at;
    }
    return now();
  }

  async closed(timeoutMs: number): Promise<number> {
    await this.until(() => this.closedAt !== undefined, timeoutMs, 'the socket to close');
    return this.closedAt as number;
  }

  until(ready: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const check = (): void => {
        if (!ready()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  private mark(key: 'endedAt' | 'closedAt'): void {
    this[key] ??= now();
    this.notify();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** An open client connection plus its recorder. */
export interface Client {
  socket: Socket;
  rec: Recorder;
}

export async function openClient(port: number): Promise<Client> {
  const socket = await connectTo(port);
  return { socket, rec: new Recorder(socket) };
}

/** A client recorded from its first moment, for a proxy that drops clients at once: a reset that lands
 * before the connect completes on this side is the recorder's error, not a thrown one. */
export function dialClient(port: number): Client {
  const socket = track(connect({ port, host: '127.0.0.1', noDelay: true }));
  return { socket, rec: new Recorder(socket) };
}

/** Writes `payload` and resolves with the ms until as many more bytes came back. */
export async function roundTrip(client: Client, payload: Buffer | string, timeoutMs = 5000): Promise<number> {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const target = client.rec.total + data.length;
  const start = now();
  client.socket.write(data);
  return (await client.rec.bytesBy(target, timeoutMs)) - start;
}

/** A listener whose accept queue is full and whose process is stopped: a dial to it hangs in SYN-SENT,
 * as a dial to a blackholed address does. `resume` lets it accept again; `received` is what its
 * connections have sent it since (as text). */
export async function stalledListener(): Promise<{
  port: number;
  close(): void;
  resume(): void;
  received(): string;
}> {
  const script =
    "const s=require('net').createServer(c=>c.on('data',d=>process.stdout.write(JSON.stringify(String(d))+'\\n'))).listen({port:0,host:'127.0.0.1',backlog:1},()=>console.log(s.address().port))";
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [line] = (await once(lines, 'line')) as [string];
  let received = '';
  lines.on('line', (data: string) => {
    received += JSON.parse(data) as string;
  });
  const port = Number(line);
  child.kill('SIGSTOP');
  // backlog 1 holds two established connections; a third SYN is dropped.
  for (let i = 0; i < 2; i++) await connectTo(port);
  return {
    port,
    close: () => child.kill('SIGKILL'),
    resume: () => child.kill('SIGCONT'),
    received: () => received,
  };
}

/** Local sockets in SYN-SENT towards `port`, from the kernel's table. */
export function dialsPending(port: number): number {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const rows = readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1);
  return rows.filter((row) => {
    const [, , remote, state] = row.trim().split(/\s+/);
    return state === '02' && remote?.endsWith(hexPort) === true;
  }).length;
}
