/** Go's json.Marshal escapes these for HTML safety: `<`, `>`, `&`, and the JavaScript line separators. */
const HTML_UNSAFE = /[<>&\u2028\u2029]/g;

/** A surrogate without its pair (String#toWellFormed is Node 20; the containers run Debian's Node 18). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const unicodeEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Strings as Go holds them: a lone surrogate (not UTF-8 at all) becomes U+FFFD. */
const goString = (s: string): string =>
  JSON.stringify(s.replace(LONE_SURROGATE, '\uFFFD')).replace(HTML_UNSAFE, unicodeEscape);

const hasToJson = (value: object): value is { toJSON(): unknown } =>
  typeof (value as { toJSON?: unknown }).toJSON === 'function';

/** JSON text as the real server's encoder writes it: also bigints (Go's int64, exactly), -0 (a float32
 * toxicity keeps its sign) and Maps (keys in their order, as Go sorts its maps). Undefined fields are left
 * out, as JSON.stringify does. */
export function goJson(value: unknown): string {
  return write(value) ?? 'null';
}

function write(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return goString(value);
    case 'bigint':
      return value.toString();
    case 'number':
      return Object.is(value, -0) ? '-0' : JSON.stringify(value);
    case 'boolean':
      return String(value);
    case 'object':
      return writeObject(value);
    default:
      return undefined;
  }
}

function writeObject(value: object): string | undefined {
  if (hasToJson(value)) return write(value.toJSON());
  if (Array.isArray(value)) return `[${value.map((item: unknown) => write(item) ?? 'null').join(',')}]`;
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  const fields: string[] = [];
  for (const [key, item] of entries) {
    const text = write(item);
    if (text !== undefined) fields.push(`${goString(String(key))}:${text}`);
  }
  return `{${fields.join(',')}}`;
}
