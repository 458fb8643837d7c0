/** The HTTP API's routes: paths with `:name` segments, a handler per method, and what a handler answers. */
import type { IncomingHttpHeaders } from 'node:http';
export type Params = Readonly<Record<string, string>>;

/** What a handler answers: a JSON value, raw text, or nothing (204). */
export interface Reply {
  status: number;
  json?: unknown;
  text?: string;
  /** Bytes as they are (binary or compressed), for an answer that is not text. */
  data?: Buffer;
  contentType?: string;
  headers?: Readonly<Record<string, string>>;
}

/** `body` is the request's bytes: Go reads them as bytes too (invalid UTF-8 included). */
export type Handler = (params: Params, body: Buffer, headers: IncomingHttpHeaders) => Promise<Reply>;

export interface Route {
  /** Segments; one starting with ':' captures a non-empty path segment. */
  readonly path: string;
  readonly methods: Readonly<Partial<Record<string, Handler>>>;
}

export interface RouteMatch {
  route: Route;
  params: Params;
}

/** The route of a decoded path (see request-path.ts), with its named segments. */
export function matchRoute(routes: readonly Route[], pathname: string): RouteMatch | undefined {
  const parts = pathname.split('/').slice(1);
  for (const route of routes) {
    const params = matchPath(route.path.split('/').slice(1), parts);
    if (params !== undefined) return { route, params };
  }
  return undefined;
}

function matchPath(pattern: string[], parts: string[]): Params | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i] as string;
    const got = parts[i] as string;
    if (want.startsWith(':')) {
      if (got === '') return undefined;
      params[want.slice(1)] = got;
    } else if (want !== got) return undefined;
  }
  return params;
}

export const json = (status: number, value: unknown): Reply => ({ status, json: value });
/** 204 once `work` is done. */
export async function noContent(work?: unknown): Promise<Reply> {
  await work;
  return { status: 204 };
}
