/** Small request/response helpers shared by the routes. */
import type { Request, Response } from 'express';
import { type Cart, cartOf } from './cart.ts';
import { errorPage } from './pages.ts';

/** A field of a parsed form or JSON body, or undefined. */
export function field(req: Request, name: string): unknown {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null) return undefined;
  return (body as Record<string, unknown>)[name];
}

/** JSON when the client sent JSON or asks for JSON rather than HTML. */
export function wantsJson(req: Request): boolean {
  return Boolean(req.is('application/json')) || req.accepts(['html', 'json']) === 'json';
}

/** The API answers JSON always; other paths answer as the client prefers. */
export function answersJson(req: Request): boolean {
  return req.path.startsWith('/api/') || wantsJson(req);
}

export function cartJson(cart: Cart, node: string): Cart & { node: string } {
  return { user: cart.user, items: cart.items, version: cart.version, node };
}

export function currentCart(req: Request): Cart | null {
  return cartOf(req.session);
}

function settle(resolve: () => void, reject: (err: unknown) => void): (err?: unknown) => void {
  return (err) => (err ? reject(err) : resolve());
}

export function regenerateSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate(settle(resolve, reject)));
}

/** Writes the session to the store; resolves only once the store has it. */
export function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save(settle(resolve, reject)));
}

export function destroySession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy(settle(resolve, reject)));
}

export interface Problem {
  status: number;
  code: string;
  title: string;
  message: string;
}

export function sendProblem(req: Request, res: Response, node: string, problem: Problem): void {
  res.status(problem.status);
  if (answersJson(req)) {
    res.json({ error: problem.code });
    return;
  }
  res
    .type('html')
    .send(errorPage({ node, status: problem.status, title: problem.title, message: problem.message }));
}
