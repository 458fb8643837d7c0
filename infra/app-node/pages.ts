/** Pure HTML rendering. Every value that came from outside goes through escapeHtml. */
import escapeHtml from 'escape-html';
import type { Cart } from './cart.ts';

const STYLE = `
body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#222}
header{display:flex;justify-content:space-between;align-items:baseline;border-bottom:1px solid #ddd}
header small{color:#666}
code{background:#f3f3f3;padding:0 .3rem;border-radius:3px}
form{margin:1rem 0}
label{display:block;margin:.5rem 0}
input{padding:.3rem;font-size:1rem}
button{padding:.35rem .9rem;font-size:1rem;cursor:pointer}
.notice{background:#fff4d6;border:1px solid #e6c75c;padding:.5rem .8rem;border-radius:4px}
.error{background:#fde2e2;border:1px solid #e08b8b;padding:.5rem .8rem;border-radius:4px}
#items li{font-family:monospace}
`;

function layout(title: string, node: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(node)}</title><style>${STYLE}</style></head>
<body>
<header><h1>${escapeHtml(title)}</h1><small>served by node <code id="node">${escapeHtml(node)}</code></small></header>
<main>
${body}
</main>
</body>
</html>
`;
}

export interface LoginPageOptions {
  node: string;
  expired?: boolean;
  error?: string;
  username?: string;
}

export function loginPage(options: LoginPageOptions): string {
  const notice = options.expired
    ? '<p class="notice" id="expired">Your session expired or was not found on this server. Please log in again.</p>'
    : '';
  const error = options.error ? `<p class="error" id="error">${escapeHtml(options.error)}</p>` : '';
  const body = `${notice}${error}
<form id="login-form" method="post" action="/login">
<label>Username <input name="username" autocomplete="username" value="${escapeHtml(options.username ?? '')}" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Log in</button>
</form>
<p><small>Any non-empty username and password will do.</small></p>`;
  return layout('Log in', options.node, body);
}

function itemList(items: readonly string[]): string {
  const lis = items.map((item) => `<li data-item="${escapeHtml(item)}">${escapeHtml(item)}</li>`);
  const empty = items.length === 0 ? '<p id="empty">Your cart is empty.</p>\n' : '';
  return `${empty}<ul id="items">${lis.join('')}</ul>`;
}

export function cartPage(cart: Cart, node: string): string {
  const body = `<p>Logged in as <strong id="user">${escapeHtml(cart.user ?? '')}</strong>
· cart version <strong id="version">${cart.version}</strong></p>
${itemList(cart.items)}
<form id="add-form" method="post" action="/cart/items">
<label>Item <input name="item" required maxlength="200"></label>
<button type="submit">Add to cart</button>
</form>
<form id="logout-form" method="post" action="/logout"><button type="submit">Log out</button></form>`;
  return layout('Cart', node, body);
}

export interface ErrorPageOptions {
  node: string;
  status: number;
  title: string;
  message: string;
}

export function errorPage(options: ErrorPageOptions): string {
  const body = `<p class="error" id="error" data-status="${options.status}">${escapeHtml(options.message)}</p>
<p><a href="/cart">Back to the cart</a> · <a href="/login">Log in</a></p>`;
  return layout(`${options.status} ${options.title}`, options.node, body);
}
