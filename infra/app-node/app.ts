/** createApp(config, store) → the Express app speaking the app contract (see DESIGN.md). */
import express, { type Express, type RequestHandler } from 'express';
import session from 'express-session';
import { addItem, cleanText, newCart, writeCart } from './cart.ts';
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
import { cartPage, loginPage } from './pages.ts';
import type { Log } from './store.ts';

const EXPIRED = '/login?expired=1';
const COOKIE = { httpOnly: true, sameSite: 'lax', path: '/', secure: false } as const;

function nodeHeader(node: string): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('X-Node', node);
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

function login(node: string): RequestHandler {
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
    await saveSession(req);
    if (wantsJson(req)) res.json(cartJson(cart, node));
    else res.redirect(303, '/cart');
  };
}

function showCart(node: string): RequestHandler {
  return (req, res) => {
    const cart = currentCart(req);
    if (cart === null) res.redirect(303, EXPIRED);
    else res.type('html').send(cartPage(cart, node));
  };
}

function addFromForm(node: string): RequestHandler {
  return async (req, res) => {
    const cart = currentCart(req);
    if (cart === null) return res.redirect(303, EXPIRED);
    const item = cleanText(field(req, 'item'));
    if (item === null) {
      const message = 'Item is required (1-200 characters).';
      return sendProblem(req, res, node, {
        status: 400,
        code: 'missing-item',
        title: 'Bad request',
        message,
      });
    }
    writeCart(req.session, addItem(cart, item));
    await saveSession(req);
    res.redirect(303, '/cart');
  };
}

function readApiCart(node: string): RequestHandler {
  return (req, res) => {
    const cart = currentCart(req);
    if (cart === null) res.status(401).json({ error: 'no-session' });
    else res.json(cartJson(cart, node));
  };
}

function addFromApi(node: string): RequestHandler {
  return async (req, res) => {
    const cart = currentCart(req);
    if (cart === null) return res.status(401).json({ error: 'no-session' });
    const item = cleanText(field(req, 'item'));
    if (item === null) return res.status(400).json({ error: 'missing-item' });
    const updated = addItem(cart, item);
    writeCart(req.session, updated);
    await saveSession(req);
    res.json(cartJson(updated, node));
  };
}

const logout: RequestHandler = async (req, res) => {
  if (currentCart(req) !== null) await destroySession(req);
  res.clearCookie('sid', COOKIE);
  if (wantsJson(req)) res.json({ ok: true });
  else res.redirect(303, '/login');
};

export function createApp(config: Config, store: session.Store, log: Log = console.log): Express {
  const node = config.nodeId;
  const withSession = sessions(config, store);
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
  app.post('/login', bodies, withSession, login(node));
  app.get('/cart', withSession, showCart(node));
  app.post('/cart/items', bodies, withSession, addFromForm(node));
  app.get('/api/cart', withSession, readApiCart(node));
  app.post('/api/cart/items', bodies, withSession, addFromApi(node));
  app.post('/logout', bodies, withSession, logout);
  app.use(notFound(node));
  app.use(errorHandler(node, log));
  return app;
}
