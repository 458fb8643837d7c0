/** Reading a cart page the way a browser user sees it: its user, items and version. */
import type { Page } from 'playwright-core';
import type { CartView } from '../../model/op.ts';

/** What the cart page shows (`#user`, `#items li[data-item]`, `#version`), or null on any other page. */
export function readCartPage(page: Page): Promise<CartView | null> {
  return page.evaluate(() => {
    const user = document.querySelector('#user');
    const version = document.querySelector('#version');
    if (!user || !version) return null;
    const items = [...document.querySelectorAll('#items li[data-item]')].map(
      (li) => li.getAttribute('data-item') ?? '',
    );
    return { user: user.textContent?.trim() || null, items, version: Number(version.textContent?.trim()) };
  });
}
