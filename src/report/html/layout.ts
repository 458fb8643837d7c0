/** The HTML document shell: head, inline styles, body, embedded data and inline scripts. */
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

export function htmlDocument({ title, body, data, scripts }: DocumentParts): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing may be fetched: everything the page needs is in this file.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${esc(title)}</title>`,
    `<style>${STYLES}</style>`,
    // Without JavaScript the canvases stay empty: collapse them to their fallback text.
    '<noscript><style>.canvas-box { height: auto; } canvas { display: block; }</style></noscript>',
    '</head>',
    '<body>',
    `<div class="page">${body}</div>`,
    `<script type="application/json" id="report-data">${jsonForScript(data)}</script>`,
    ...scripts.map((s) => `<script>${scriptSource(s)}</script>`),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
