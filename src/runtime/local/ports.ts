/** Reserving ports for services, so no other runner or outgoing connection takes one meanwhile. */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { HOST } from '../host.ts';
import { InfrastructureError } from '../runtime.ts';
import { claimOwner, portsDir } from './owner.ts';

/**
 * Ports for services that must be told their port before they start (HAProxy, Redis…). A port the
 * kernel hands out for `listen(0)` comes from the ephemeral range, where any outgoing connection may take
 * it again the moment it is released; so ports are drawn below that range, reserved in the state folder
 * (so two runners never pick the same one) and checked free by binding them. A reservation lasts until the
 * runner exits; the reaper frees those of dead runners.
 */
const FLOOR = 20_000;

function ephemeralStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    return Number(low) || 32_768;
  } catch {
    return 32_768;
  }
}

const canBind = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });

function reserve(port: number): boolean {
  try {
    writeFileSync(join(portsDir(), String(port)), claimOwner(), { flag: 'wx' });
    return true;
  } catch {
    return false;
  }
}

const held = new Set<number>();

/** A free port on 127.0.0.1 outside the ephemeral range, reserved for this runner. */
export async function reservePort(): Promise<number> {
  mkdirSync(portsDir(), { recursive: true });
  const ceiling = Math.max(FLOOR + 1000, ephemeralStart());
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const port = FLOOR + Math.floor(Math.random() * (ceiling - FLOOR));
    if (held.has(port) || !reserve(port)) continue;
    if (await canBind(port)) {
      held.add(port);
      return port;
    }
    rmSync(join(portsDir(), String(port)), { force: true });
  }
  throw new InfrastructureError(`no free port found on ${HOST} between ${FLOOR} and ${ceiling}`);
}

/** Gives reserved ports back (the exit hook and the reaper release the rest). */
export function releasePorts(ports: Iterable<number>): void {
  for (const port of ports) {
    if (!held.delete(port)) continue;
    rmSync(join(portsDir(), String(port)), { force: true });
  }
}
