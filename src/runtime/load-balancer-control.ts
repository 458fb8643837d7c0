/** The load balancer at run time: app nodes taken out of the rotation and back, and how it sees each. */
import { connect } from 'node:net';

/** ready: in the rotation; drain: only users pinned to it; maint: out, its pinned users sent elsewhere. */
export type BackendState = 'ready' | 'drain' | 'maint';

/** The backend section every load balancer of the suite sends users to (infra/haproxy/config.ts). */
const BACKEND = 'apps';

/** Sends one command to HAProxy's admin socket (a unix socket's path) and returns its whole answer. */
function adminCommand(admin: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ path: admin });
    let answer = '';
    socket.setTimeout(2000, () =>
      socket.destroy(new Error(`HAProxy's admin socket at ${admin} did not answer`)),
    );
    socket.on('error', reject);
    socket.on('connect', () => socket.end(`${command}\n`));
    socket.on('data', (data) => {
      answer += data.toString();
    });
    socket.on('close', (failed) => {
      if (!failed) resolve(answer);
    });
  });
}

/**
 * Tells a running HAProxy, through its admin socket, to put a backend server in a state. HAProxy answers a
 * command with an empty line when it worked, and with why not otherwise.
 */
export async function setBackendState(admin: string, server: string, state: BackendState): Promise<void> {
  const answer = await adminCommand(admin, `set server ${BACKEND}/${server} state ${state}`);
  if (answer.trim() !== '') throw new Error(`HAProxy refused to set ${server} ${state}: ${answer.trim()}`);
}

/**
 * How HAProxy sees a backend server now, from `show stat`: UP, DOWN, MAINT, DRAIN, or a transition such as
 * "UP 1/2" (going down) and "DOWN 1/2" (coming up).
 */
export async function backendStatus(admin: string, server: string): Promise<string> {
  const [header = '', ...rows] = (await adminCommand(admin, 'show stat')).split('\n');
  const columns = header.replace(/^# /, '').split(',');
  const [proxy, name, status] = ['pxname', 'svname', 'status'].map((c) => columns.indexOf(c));
  for (const row of rows) {
    const cells = row.split(',');
    if (cells[proxy as number] === BACKEND && cells[name as number] === server)
      return cells[status as number] ?? '';
  }
  throw new Error(`HAProxy has no server ${BACKEND}/${server}`);
}
