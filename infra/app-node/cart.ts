/** The session's shape and pure helpers over it. */

declare module 'express-session' {
  interface SessionData {
    user: string;
    items: string[];
    version: number;
  }
}

export interface Cart {
  /** null when the session lost its user but kept its cart: a partial session, shown as it is. */
  user: string | null;
  items: string[];
  version: number;
}

/** What the app reads from and writes to the session (express-session's `req.session`). */
export interface CartFields {
  user?: string | undefined;
  items?: string[] | undefined;
  version?: number | undefined;
}

export const MAX_TEXT_LENGTH = 200;

export function newCart(user: string): Cart {
  return { user, items: [], version: 0 };
}

/** The cart in a session, or null when the session holds no cart at all (= no session). */
export function cartOf(session: CartFields | undefined): Cart | null {
  if (session === undefined) return null;
  const user = typeof session.user === 'string' && session.user !== '' ? session.user : null;
  if (user === null && !Array.isArray(session.items) && session.version === undefined) return null;
  const items = Array.isArray(session.items) ? session.items.filter((i) => typeof i === 'string') : [];
  const version = Number.isInteger(session.version) ? Number(session.version) : 0;
  return { user, items, version };
}

export function addItem(cart: Cart, item: string): Cart {
  return { user: cart.user, items: [...cart.items, item], version: cart.version + 1 };
}

export function writeCart(session: CartFields, cart: Cart): void {
  session.user = cart.user ?? undefined;
  session.items = cart.items;
  session.version = cart.version;
}

/** A trimmed non-empty string of at most MAX_TEXT_LENGTH characters, or null. */
export function cleanText(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  return text === '' || text.length > MAX_TEXT_LENGTH ? null : text;
}
