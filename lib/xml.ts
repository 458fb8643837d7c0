/** Text made safe for XML: the configuration files the suite writes and the JUnit report. */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escapes a value for an XML attribute or text. */
export const xmlEscape = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
