import { CookieJar } from './cookie-jar.ts';

export interface RequestOptions {
  method?: string;
  /** Sent as a JSON body. */
  json?: unknown;
  /** Sent as a form body. */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** Abort when the whole answer has not arrived by then. */
  timeoutMs?: number;
}

/** An answer, read to the end. */
export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  /** The `X-Node` header: which node answered. */
  node: string | null;
  /** From sending the request to the end of the body. */
  ms: number;
}

const DEFAULT_TIMEOUT_MS = 5000;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * One user of an app speaking HTTP: keeps its cookies, never follows redirects (a redirect is part of what
 * the app answered). The workload's HTTP users, `check-app` and the tests all talk to apps through this.
 */
export class AppClient {
  constructor(
    readonly baseUrl: string,
    readonly jar = new CookieJar(),
    readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  /** The same user (same cookies) talking to another address, e.g. one node directly. */
  on(baseUrl: string): AppClient {
    return new AppClient(baseUrl, this.jar, this.timeoutMs);
  }

  /** Resolves as soon as the status and headers arrive; the body is left unread. */
  async send(path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    }
    const cookie = this.jar.header();
    if (cookie) headers.cookie = cookie;
    const response = await fetch(this.baseUrl + path, {
      method: options.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs),
    });
    this.jar.store(response.headers.getSetCookie());
    return response;
  }

  async request(path: string, options: RequestOptions = {}): Promise<Reply> {
    const start = performance.now();
    const response = await this.send(path, options);
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      json: parseJson(text),
      node: response.headers.get('x-node'),
      ms: performance.now() - start,
    };
  }
}
