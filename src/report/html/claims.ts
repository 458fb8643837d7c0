/** The claims table: what people say about session strategies, and what this run measured of each. */
import type { Claim } from '../../model/claim.ts';
import { esc } from './escape.ts';
import { badge } from './format.ts';

const STYLE = { confirmed: 'pass', refuted: 'fail', 'not measured': 'unknown' } as const;

function row(claim: Claim, idOf: (dir: string) => string | undefined): string {
  const links = claim.cases
    .map((dir) => {
      const id = idOf(dir);
      return id ? `<a href="#${esc(id)}">${esc(dir)}</a>` : esc(dir);
    })
    .join(', ');
  return [
    `<tr><th scope="row">${esc(claim.statement)}<div class="note">${esc(claim.rule)}</div></th>`,
    `<td>${badge(STYLE[claim.status], claim.status)}</td>`,
    `<td>${esc(claim.figure || '–')}</td><td class="cases">${links || '–'}</td></tr>`,
  ].join('');
}

export function claimsSection(
  claims: Claim[] | undefined,
  idOf: (dir: string) => string | undefined,
): string {
  if (!claims || claims.length === 0) return '';
  const measured = claims.filter((c) => c.status !== 'not measured').length;
  return [
    '<section class="experiment" id="claims">',
    `<h2>Claims, measured <span class="note">${measured} of ${claims.length} measured in this run</span></h2>`,
    '<div class="table-wrap"><table class="matrix claims"><thead><tr><th>claim (and the rule that decides it)</th><th>this run</th><th>figure</th><th>cases</th></tr></thead><tbody>',
    claims.map((c) => row(c, idOf)).join(''),
    '</tbody></table></div>',
    '</section>',
  ].join('');
}
