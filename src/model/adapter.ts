/**
 * How the suite speaks to an app: log in, add one item to the session, read the items back, log out, and
 * tell "no session" from a session. The app contract is the built-in adapter; a user writes one for an app
 * whose routes, fields, cookie or JSON differ (docs/your-app.md, "An adapter"), and imports these types as
 * `session-chaos/adapter`.
 */

/** A request an adapter sends; relative to the app's (or load balancer's) address. */
export interface AppRequest {
  /** GET without a body, POST with one, unless given. */
  method?: string;
  /** e.g. `/api/basket`, with its query string if any. */
  path: string;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  /** Sent as application/json. */
  json?: unknown;
  headers?: Record<string, string>;
}

/**
 * The app's answer, read to the end. HTTP users do not follow redirects (a 303 is what the app answered);
 * browser users send from the page with fetch, which follows them as a browser does.
 */
export interface AppAnswer {
  status: number;
  /** A response header by name (any case), or null. */
  header(name: string): string | null;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  /** Where the answer came from: the request's address, or for a browser user the page's after redirects. */
  url: string;
}

/** One user's connection to the app: its cookies are kept between requests, as a browser keeps them. */
export interface AppSession {
  send(request: AppRequest): Promise<AppAnswer>;
}

/** What an answer shows of the session. */
export interface SessionView {
  /** The items in the order they were added. */
  items: string[];
  /** Whose session it is, when the app says. */
  user?: string | null;
  /** A counter the app bumps on every change, when it keeps one. */
  version?: number;
}

/**
 * An app's adapter. Each action sends what the app needs (one request or several, e.g. fetching a CSRF
 * token first) and returns the answer that tells how it went; `noSession` and `view` read answers.
 */
export interface AppAdapter {
  login(app: AppSession, user: string, password: string): Promise<AppAnswer>;
  add(app: AppSession, item: string): Promise<AppAnswer>;
  read(app: AppSession): Promise<AppAnswer>;
  logout(app: AppSession): Promise<AppAnswer>;
  /** True when the answer says the user has no session (was logged out), e.g. a 401 or a redirect to a login page. */
  noSession(answer: AppAnswer): boolean;
  /** The session the answer shows, or undefined when it shows none (e.g. an add that answers 204). */
  view(answer: AppAnswer): SessionView | undefined;
}

/** A user's adapter module as the runner and the users' threads are told of it. */
export interface AdapterFile {
  /** Its absolute path. */
  path: string;
  /** How the user named it (the option's value, or the experiment's field), for messages. */
  name: string;
}

export const ADAPTER_FUNCTIONS = ['login', 'add', 'read', 'logout', 'noSession', 'view'] as const;

/** An adapter's own code threw (not a request that failed): the case cannot be judged, and says whose code it was. */
export class AdapterError extends Error {
  override name = 'AdapterError';
}
