/** The app contract (docs/your-app.md, "The app contract") as the built-in adapter: its JSON API, 401 for no session. */
import type { AppAdapter, SessionView } from '../../model/adapter.ts';

const JSON_ACCEPT = { accept: 'application/json' };

/** The cart of a JSON answer (`{"user","items","version"}`), or undefined when it is not one. */
function cartView(json: unknown): SessionView | undefined {
  const cart = json as Partial<SessionView> | null;
  if (typeof cart !== 'object' || cart === null || !Array.isArray(cart.items)) return undefined;
  const user = typeof cart.user === 'string' ? cart.user : null;
  return { user, items: cart.items.map(String), version: Number(cart.version ?? 0) };
}

export const contractAdapter: AppAdapter = {
  login: (app, username, password) =>
    app.send({ method: 'POST', path: '/login', json: { username, password }, headers: JSON_ACCEPT }),
  add: (app, item) =>
    app.send({ method: 'POST', path: '/api/cart/items', json: { item }, headers: JSON_ACCEPT }),
  read: (app) => app.send({ path: '/api/cart', headers: JSON_ACCEPT }),
  logout: (app) => app.send({ method: 'POST', path: '/logout', json: {}, headers: JSON_ACCEPT }),
  noSession: (answer) => answer.status === 401,
  view: (answer) => (answer.status === 200 ? cartView(answer.json) : undefined),
};
