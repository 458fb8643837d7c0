/** Test helpers: HTML pages read as written (elements, attributes, texts, escapes included). */
import { parse } from 'node-html-parser';

export type Attrs = Record<string, string>;

/** Attributes of every `<tag>` element in `html`. */
export const tags = (html: string, tag: string): Attrs[] =>
  parse(html)
    .querySelectorAll(tag)
    .map((el) => Object.fromEntries(Object.entries(el.rawAttributes).map(([k, v]) => [k.toLowerCase(), v])));

/** The inner HTML of the element with this id. */
export const textById = (html: string, id: string): string | undefined =>
  parse(html).querySelector(`#${id}`)?.innerHTML;

/** The outer HTML of the `<tag>` with this id. */
export const elementById = (html: string, tag: string, id: string): string | undefined =>
  parse(html).querySelector(`${tag}#${id}`)?.outerHTML;
