import { connect } from 'node:net';
import { hostPort } from './host.ts';

/** ready: in the rotation; drain: only users pinned to it; maint: out, its pinned users sent elsewhere. */
export type BackendState = 'ready' | 'drain' | 'maint';

/** The backend section every load balancer of the suite sends users to (infra/haproxy/config.ts). */
const BACKEND = 'apps';

/**
 * Tells a running HAProxy, through its admin socket, to put a backend server in a state. HAProxy answers a
 * command with an empty line when it worked, and with why not otherwise.
 */
export function setBackendState(admin: string, server: string, state: BackendState): Promise<void> {
  const { host, port } = hostPort(admin);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let answer = '';
    socket.setTimeout(2000, () =>
      socket.destroy(new Error(`HAProxy's admin socket at ${admin} did not answer`)),
    );
    socket.on('error', reject);
    socket.on('connect', () => socket.end(`set server ${BACKEND}/${server} state ${state}\n`));
    socket.on('data', (data) => {
      answer += data.toString();
    });
    socket.on('close', (failed) => {
      if (failed) return;
      if (answer.trim() === '') resolve();
      else reject(new Error(`HAProxy refused to set ${server} ${state}: ${answer.trim()}`));
    });
  });
}
