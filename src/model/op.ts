/** One completed operation of one user, as written to `history.jsonl` (its fields are documented on the type below). */
export type Client = 'browser' | 'http';
export type OpKind = 'login' | 'add' | 'read' | 'logout';
/** ok: it happened; fail: it definitely did not happen; info: unknown (timeout, reset mid-request, 5xx). */
export type Outcome = 'ok' | 'fail' | 'info';

/** What a read (or a write's response) showed of the session. */
export interface CartView {
  user: string | null;
  items: string[];
  version: number;
}

export interface Op {
  user: string;
  client: Client;
  op: OpKind;
  /** Milliseconds since the start of the experiment's workload. */
  start: number;
  end: number;
  /**
   * Which node answered: HAProxy's `X-Served-By` (the server it sent the request to), else the app's `X-Node`
   * (a node reached directly); null when there was no response.
   */
  node: string | null;
  status: number | null;
  outcome: Outcome;
  /** Counts the user's logins: a new session starts a new epoch. */
  epoch: number;
  /** The item an `add` tried to append. */
  wrote?: string;
  read?: CartView;
  /** `no-session` marks a logged-in user the app did not recognise: the logout anomaly. */
  error?: string;
  /** A short hash of the session cookie, to tell sessions apart without storing them. */
  session?: string;
  /** True for the reads made after every fault was healed. */
  final?: boolean;
}

export const NO_SESSION = 'no-session';
