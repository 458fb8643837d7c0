/** HTTP to an app as one user with its cookies: how HTTP users, check-app and the tests all reach apps. */
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { answeringNode } from '../../model/app.ts';
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

/** The headers of an answer, read as fetch's Headers would be (names are case-insensitive). */
export class AnswerHeaders {
  constructor(readonly raw: IncomingMessage['headers']) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }

  getSetCookie(): string[] {
    return this.raw['set-cookie'] ?? [];
  }
}

/** An answer whose status and headers arrived; its body is read by `text()`, under the request's deadline. */
export interface Answer {
  status: number;
  headers: AnswerHeaders;
  text(): Promise<string>;
}

/** An answer, read to the end. */
export interface Reply {
  status: number;
  headers: AnswerHeaders;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  /** Which node answered (see answeringNode). */
  node: string | null;
  /** From sending the request to the end of the body. */
  ms: number;
}

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * Connections are kept between requests, as a browser does. An idle one is closed after IDLE_MS, before
 * any server here closes it (Node's apps after 5 s, HAProxy after 10 s), so a request never goes out on a
 * connection the server is closing. node:http rather than fetch: it costs a third of fetch's CPU per
 * request, and the HTTP users make thousands of requests a second in the same thread.
 */
const IDLE_MS = 4000;
const connections = new Agent({ keepAlive: true, timeout: IDLE_MS });

/** What a request that ran out of time fails with (errorName reports it as "timeout"). */
const timedOut = (ms: number): Error =>
  Object.assign(new Error(`no whole answer within ${ms} ms`), { name: 'TimeoutError' });

/** The body parsed as JSON, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A request's method, headers and body: JSON or a form, GET without a body and POST with one unless told. */
export function encodeRequest(options: RequestOptions): {
  method: string;
  headers: Record<string, string>;
  body?: string;
} {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const method = options.method ?? (body === undefined ? 'GET' : 'POST');
  return body === undefined ? { method, headers } : { method, headers, body };
}

/** The body of `res` as text; rejects when the connection fails (or is destroyed at the deadline) first. */
function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      text += chunk;
    });
    res.once('end', () => resolve(text));
    res.once('error', reject);
    res.once('close', () => {
      if (!res.complete) reject(res.errored ?? new Error('the connection closed before the answer ended'));
    });
  });
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

  /**
   * Resolves as soon as the status and headers arrive; the body is left for `text()`. Past the deadline the
   * connection is destroyed, so the server sees the user give up before the user's next request.
   */
  send(path: string, options: RequestOptions = {}): Promise<Answer> {
    const { method, headers, body } = encodeRequest(options);
    const cookie = this.jar.header();
    if (cookie) headers.cookie = cookie;
    const ms = options.timeoutMs ?? this.timeoutMs;
    return new Promise((resolve, reject) => {
      const req = httpRequest(this.baseUrl + path, { method, headers, agent: connections });
      let expired: Error | undefined;
      const deadline = setTimeout(() => {
        expired = timedOut(ms);
        req.destroy(expired);
      }, ms);
      req.once('error', (error) => {
        clearTimeout(deadline);
        reject(error);
      });
      req.once('response', (res) => {
        this.jar.store(res.headers['set-cookie'] ?? []);
        const text = readBody(res)
          .catch((error: unknown) => Promise.reject(expired ?? error))
          .finally(() => clearTimeout(deadline));
        text.catch(() => {}); // a body nobody reads must not become an unhandled rejection
        resolve({ status: res.statusCode ?? 0, headers: new AnswerHeaders(res.headers), text: () => text });
      });
      req.end(body);
    });
  }

  async request(path: string, options: RequestOptions = {}): Promise<Reply> {
    const start = performance.now();
    const answer = await this.send(path, options);
    const text = await answer.text();
    return {
      status: answer.status,
      headers: answer.headers,
      text,
      json: parseJson(text),
      node: answeringNode((name) => answer.headers.get(name)),
      ms: performance.now() - start,
    };
  }
}
