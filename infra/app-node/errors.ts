/** 404s and the error handler: store failures → 503, client errors → 4xx, anything else → 500 (logged). */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type Problem, sendProblem } from './http.ts';
import { type Log, StoreUnavailableError } from './stores/common.ts';

export function notFound(node: string): RequestHandler {
  return (req, res) => {
    const message = `Nothing at ${req.path}.`;
    sendProblem(req, res, node, { status: 404, code: 'not-found', title: 'Not found', message });
  };
}

function clientErrorStatus(err: unknown): number | null {
  if (typeof err !== 'object' || err === null || !('status' in err)) return null;
  const status = Number(err.status);
  return status >= 400 && status < 500 ? status : null;
}

function problemFor(err: unknown): Problem {
  if (err instanceof StoreUnavailableError) {
    const message = 'The session store is unavailable. Your session may still exist; try again shortly.';
    return { status: 503, code: 'store-unavailable', title: 'Unavailable', message };
  }
  const status = clientErrorStatus(err);
  if (status !== null) {
    return {
      status,
      code: 'bad-request',
      title: 'Bad request',
      message: 'The request could not be understood.',
    };
  }
  return {
    status: 500,
    code: 'internal-error',
    title: 'Error',
    message: 'Something went wrong on this node.',
  };
}

export function errorHandler(node: string, log: Log) {
  let lastStoreError = '';
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      log(`error after the response started on ${req.method} ${req.path}: ${String(err)}`);
      next(err);
      return;
    }
    // Nothing of a failed request is kept: without this, express-session would set a cookie for, and try to
    // save, a session that a failed regenerate() left behind, after the error response was written.
    Reflect.deleteProperty(req, 'session');
    const problem = problemFor(err);
    // Once per distinct cause, not per request: an outage would otherwise flood the log.
    const cause = err instanceof Error ? err.message : String(err);
    if (problem.status === 503 && cause !== lastStoreError) {
      lastStoreError = cause;
      log(`store unavailable on ${req.method} ${req.path}: ${cause}`);
    }
    if (problem.status === 500) {
      log(
        `error on ${req.method} ${req.path}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
    }
    sendProblem(req, res, node, problem);
  };
}
