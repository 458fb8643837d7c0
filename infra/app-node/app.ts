/** createApp(config, store) → the Express app speaking the app contract (docs/your-app.md, "The app contract"). */
import express, { type Express, type Request, type RequestHandler } from 'express';
import session from 'express-session';
import { addItem, type Cart, cleanText, newCart, writeCart } from './cart.ts';
import type { Config } from './config.ts';
import { errorHandler, notFound } from './errors.ts';
import {
  cartJson,
  currentCart,
  destroySession,
  field,
  regenerateSession,
  saveSession,
  sendProblem,
  wantsJson,
} from './http.ts';
import { Misbehaving } from './misbehavior.ts';
import { cartPage, loginPage } from './pages.ts';
import type { AppendItem, SessionStore } from './store.ts';
import type { Log } from './stores/common.ts';

const EXPIRED = '/login?expired=1';
const COOKIE = { httpOnly: true, sameSite: 'lax', path: '/', secure: false } as const;

/** APP_NO_NODE_HEADER=1 leaves X-Node out: an app that never says which node it is (the suite learns it from HAProxy). */
function nodeHeader(node: string, send = process.env.APP_NO_NODE_HEADER !== '1'): RequestHandler {
  return (_req, res, next) => {
    if (send) res.setHeader('X-Node', node);
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}

function requestLogger(log: Log): RequestHandler {
  return (req, res, next) => {
    const start = performance.now();
    res.on('finish', () => {
      log(`${req.method} ${req.originalUrl} ${res.statusCode} ${(performance.now() - start).toFixed(1)}ms`);
    });
    next();
  };
}

function sessions(config: Config, store: session.Store): RequestHandler {
  return session({
    name: 'sid',
    secret: config.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    unset: 'keep',
    cookie: COOKIE,
  });
}

const bodies = [express.urlencoded({ extended: false, limit: '16kb' }), express.json({ limit: '16kb' })];

function login(node: string, paddingKb: number): RequestHandler {
  return async (req, res) => {
    const username = cleanText(field(req, 'username'));
    const password = cleanText(field(req, 'password'));
    if (username === null || password === null) {
      const error = 'Username and password are required.';
      res.status(400);
      if (wantsJson(req)) res.json({ error: 'missing-credentials' });
      else res.type('html').send(loginPage({ node, error, username: username ?? '' }));
      return;
    }
    await regenerateSession(req);
    const cart = newCart(username);
    writeCart(req.session, cart);
    if (paddingKb > 0) Object.assign(req.session, { padding: 'x'.repeat(paddingKb * 1024) });
    await saveSession(req);
    if (wantsJson(req)) res.json(cartJson(cart, node));
    else res.redirect(303, '/cart');
  };
}

/**
 * What a node needs to answer: its id, whether it is asked to misbehave (see misbehavior.ts), and how it
 * saves an added item (express-session's whole-session save unless the store appends atomically).
 */
interface Node {
  id: string;
  misbehaving: Misbehaving;
  appendItem?: AppendItem | undefined;
}

/** The cart to answer with: the session's own, unless the node misbehaves (an older cart, no user, no session). */
function served({ misbehaving }: Node, cart: Cart | null): Cart | null {
  if (cart === null) return null;
  const last = cart.items.at(-1);
  if (last !== undefined && misbehaving.now('stale-cart', { user: cart.user, item: last }))
    return { ...cart, items: cart.items.slice(0, -1), version: cart.version - 1 };
  if (misbehaving.now('drop-user', { user: cart.user })) return { ...cart, user: null };
  if (misbehaving.now('forget-session', { user: cart.user })) return null;
  return cart;
}

/**
 * Adds an item and answers with the cart as saved (null: the session left the store meanwhile), unless the
 * node misbehaves by dropping the write (and answering as if it had not).
 */
async function saveItem(node: Node, req: Request, cart: Cart, item: string): Promise<Cart | null> {
  const updated = addItem(cart, item);
  if (node.misbehaving.now('drop-write', { user: cart.user, item })) return updated;
  // req.session stays as loaded, so express-session does not save it over the appended item.
  if (node.appendItem) return node.appendItem(req.sessionID, item);
  writeCart(req.session, updated);
  await saveSession(req);
  return updated;
}

function showCart(node: Node): RequestHandler {
  return (req, res) => {
    const cart = served(node, currentCart(req));
    if (cart === null) res.redirect(303, EXPIRED);
    else res.type('html').send(cartPage(cart, node.id));
  };
}

function addFromForm(node: Node): RequestHandler {
  return async (req, res) => {
    const cart = currentCart(req);
    if (cart === null) return res.redirect(303, EXPIRED);
    const item = cleanText(field(req, 'item'));
    if (item === null) {
      const message = 'Item is required (1-200 characters).';
      return sendProblem(req, res, node.id, {
        status: 400,
        code: 'missing-item',
        title: 'Bad request',
        message,
      });
    }
    const saved = await saveItem(node, req, cart, item);
    res.redirect(303, saved === null ? EXPIRED : '/cart');
  };
}

function readApiCart(node: Node): RequestHandler {
  return (req, res) => {
    const cart = served(node, currentCart(req));
    if (cart === null) res.status(401).json({ error: 'no-session' });
    else res.json(cartJson(cart, node.id));
  };
}

function addFromApi(node: Node): RequestHandler {
  return async (req, res) => {
    const cart = currentCart(req);
    if (cart === null) return res.status(401).json({ error: 'no-session' });
    const item = cleanText(field(req, 'item'));
    if (item === null) return res.status(400).json({ error: 'missing-item' });
    const saved = await saveItem(node, req, cart, item);
    if (saved === null) res.status(401).json({ error: 'no-session' });
    else res.json(cartJson(saved, node.id));
  };
}

const logout: RequestHandler = async (req, res) => {
  if (currentCart(req) !== null) await destroySession(req);
  res.clearCookie('sid', COOKIE);
  if (wantsJson(req)) res.json({ ok: true });
  else res.redirect(303, '/login');
};

export function createApp(config: Config, sessionStore: SessionStore, log: Log = console.log): Express {
  const node = config.nodeId;
  const misbehaving = new Misbehaving(config.misbehavior, log);
  const self: Node = { id: node, misbehaving, appendItem: sessionStore.appendItem };
  const withSession = sessions(config, sessionStore.store);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(nodeHeader(node));
  if (config.logRequests) app.use(requestLogger(log));
  app.get('/healthz', (_req, res) => res.json({ node }));
  app.get('/', (_req, res) => res.redirect(303, '/cart'));
  app.get('/login', (req, res) =>
    res.type('html').send(loginPage({ node, expired: req.query.expired === '1' })),
  );
  app.post('/login', bodies, withSession, login(node, config.sessionPaddingKb));
  app.get('/cart', withSession, showCart(self));
  app.post('/cart/items', bodies, withSession, addFromForm(self));
  app.get('/api/cart', withSession, readApiCart(self));
  app.post('/api/cart/items', bodies, withSession, addFromApi(self));
  app.post('/logout', bodies, withSession, logout);
  app.use(notFound(node));
  app.use(errorHandler(node, log));
  return app;
}
