/** Go's json.Marshal escapes these for HTML safety: `<`, `>`, `&`, and the JavaScript line separators. */
const HTML_UNSAFE = /[<>&\u2028\u2029]/g;

/** A surrogate without its pair (String#toWellFormed is Node 20; the containers run Debian's Node 18). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const unicodeEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Strings as Go holds them, read or written: a lone surrogate (not UTF-8 at all) becomes U+FFFD. */
export const goStrings = (_key: string, value: unknown): unknown =>
  typeof value === 'string' ? value.replace(LONE_SURROGATE, '\uFFFD') : value;

/** JSON text as the real server's encoder writes it. */
export const goJson = (value: unknown): string =>
  JSON.stringify(value, goStrings).replace(HTML_UNSAFE, unicodeEscape);
