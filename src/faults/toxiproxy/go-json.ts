/** Go's json.Marshal escapes these for HTML safety: `<`, `>`, `&`, and the JavaScript line separators. */
const HTML_UNSAFE = /[<>&\u2028\u2029]/g;

const unicodeEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** A string as Go holds it: a lone surrogate (not UTF-8 at all) becomes U+FFFD. */
const wellFormed = (_key: string, value: unknown): unknown =>
  typeof value === 'string' ? (value as string & { toWellFormed(): string }).toWellFormed() : value;

/** JSON text as the real server's encoder writes it. */
export const goJson = (value: unknown): string =>
  JSON.stringify(value, wellFormed).replace(HTML_UNSAFE, unicodeEscape);
