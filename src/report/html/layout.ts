/** The HTML document shell: head, inline styles, body, embedded data and inline scripts. */
import { createHash } from 'node:crypto';
import { esc, jsonForScript, scriptSource } from './escape.ts';
import { STYLES } from './styles.ts';

export interface DocumentParts {
  title: string;
  body: string;
  /** Embedded as `<script type="application/json" id="report-data">`. */
  data: unknown;
  /** Inlined in this order after the data. */
  scripts: string[];
}

/** A CSP source allowing exactly one inline script, by the SHA-256 of its text. */
const hashOf = (script: string): string => `'sha256-${createHash('sha256').update(script).digest('base64')}'`;

export function htmlDocument({ title, body, data, scripts }: DocumentParts): string {
  const inline = scripts.map(scriptSource);
  // Only these scripts may run: an injected one, were escaping ever to fail, would not match a hash.
  const scriptSrc = inline.map(hashOf).join(' ');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing may be fetched: everything the page needs is in this file.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src ${scriptSrc}; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${esc(title)}</title>`,
    `<style>${STYLES}</style>`,
    // Without JavaScript the canvases stay empty: collapse them to their fallback text.
    '<noscript><style>.canvas-box { height: auto; } canvas { display: block; }</style></noscript>',
    '</head>',
    '<body>',
    `<div class="page">${body}</div>`,
    `<script type="application/json" id="report-data">${jsonForScript(data)}</script>`,
    ...inline.map((s) => `<script>${s}</script>`),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
