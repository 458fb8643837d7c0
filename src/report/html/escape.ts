/** Escaping for the three places text goes into the report: HTML text/attributes, inline JSON, inline scripts. */
import escapeHtml from 'escape-html';

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export const esc = (value: unknown): string => escapeHtml(String(value ?? ''));

/** JSON that is safe inside `<script type="application/json">`: no `<`, `>`, `&` or JS line separators. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * JavaScript source made safe to sit between `<script>` and `</script>`: a `</script` inside it cannot end
 * the element early, and source-map comments (which would make devtools fetch a file) are dropped.
 */
export function scriptSource(source: string): string {
  return source
    .replace(/^\s*\/\/[#@] sourceMappingURL=.*$/gm, '')
    .replace(/<\/(script)/gi, '<\\/$1')
    .replace(/<!--/g, '\\x3C!--');
}

/** A relative URL from a relative path: every segment percent-encoded, so it can never become absolute. */
export function relativeHref(path: string): string {
  return path
    .split('/')
    .filter((segment) => segment !== '')
    .map(encodeURIComponent)
    .join('/');
}

/** A readable fragment id: lowercase letters, digits and dashes. */
export function slug(value: string): string {
  const s = value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s === '' ? 'x' : s;
}
