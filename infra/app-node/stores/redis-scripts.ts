/**
 * Session writes Redis runs as one script, so that no other request's save can fall between a read and a
 * write: an item appended to the stored session (SESSION_WRITES=atomic, the fix for lost updates), and a
 * whole-session save that returns what it replaced (APP_LOG_OVERWRITES=1, the ground truth of lost updates).
 */
import type { Cart } from '../cart.ts';

/** Runs a Lua script on the primary: `EVAL script 1 key ...args`. */
export type Evaluate = (script: string, key: string, args: string[]) => Promise<unknown>;

// cjson turns an empty Lua table into {}, so items is only encoded once it holds the new item.
const APPEND_ITEM = `
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local s = cjson.decode(raw)
if type(s.items) ~= 'table' then s.items = {} end
table.insert(s.items, ARGV[1])
s.version = (tonumber(s.version) or 0) + 1
local saved = cjson.encode(s)
redis.call('SET', KEYS[1], saved, 'KEEPTTL')
return saved`;

const SWAP = `
local old = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return old`;

interface Stored {
  user?: unknown;
  items?: unknown;
  version?: unknown;
}

const itemsOf = (stored: Stored | null): string[] =>
  Array.isArray(stored?.items) ? stored.items.filter((i): i is string => typeof i === 'string') : [];

/** Appends `item` to the stored session in one step; null when the session is not in the store. */
export async function appendItem(evaluate: Evaluate, key: string, item: string): Promise<Cart | null> {
  const saved = await evaluate(APPEND_ITEM, key, [item]);
  if (typeof saved !== 'string') return null;
  const stored = JSON.parse(saved) as Stored;
  const user = typeof stored.user === 'string' ? stored.user : null;
  return { user, items: itemsOf(stored), version: Number(stored.version) || 0 };
}

/**
 * Saves a whole session and returns the items of the stored one it dropped: the ones this request's copy
 * did not have because another request saved them after this one read the session.
 */
export async function saveReturningDropped(
  evaluate: Evaluate,
  key: string,
  json: string,
  ttlS: number,
): Promise<string[]> {
  const old = await evaluate(SWAP, key, [json, String(ttlS)]);
  if (typeof old !== 'string') return [];
  const kept = new Set(itemsOf(JSON.parse(json) as Stored));
  return itemsOf(JSON.parse(old) as Stored).filter((item) => !kept.has(item));
}
