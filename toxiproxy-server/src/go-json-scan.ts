/** The first JSON value of a request body, read as Go's json.Decoder reads it: bytes after that value are
 * never looked at, a syntax error carries Go's wording, and strings are decoded as Go decodes them. */

export type GoValue =
  | { readonly kind: 'object'; readonly entries: [string, GoValue][] }
  | { readonly kind: 'array'; readonly items: GoValue[] }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' };

/** Go's message for the body's syntax, e.g. `unexpected EOF` or `invalid character 'x' after array element`. */
export class GoSyntaxError extends Error {}

/** Go's scanner refuses deeper nesting. */
const MAX_DEPTH = 10000;

type Container =
  | { kind: 'object'; entries: [string, GoValue][]; key: string }
  | { kind: 'array'; items: GoValue[] };

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/** strconv.Quote's named escapes. */
const NAMED_ESCAPES: Record<number, string> = {
  7: 'a',
  8: 'b',
  12: 'f',
  10: 'n',
  13: 'r',
  9: 't',
  11: 'v',
  92: '\\',
};

/** A byte as Go's scanner quotes it in a message: the byte taken as a code point, escaped unless printable. */
function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  const named = NAMED_ESCAPES[c];
  if (named !== undefined) return `'\\${named}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  // Latin-1 controls, the no-break space and the soft hyphen are not printable for strconv.Quote.
  if ((c >= 0x80 && c <= 0xa0) || c === 0xad) return `'\\u${c.toString(16).padStart(4, '0')}'`;
  return `'${String.fromCharCode(c)}'`;
}

export function scanFirstValue(bytes: Uint8Array): GoValue {
  return new Scanner(bytes).firstValue();
}

class Scanner {
  private pos = 0;

  constructor(private readonly b: Uint8Array) {}

  firstValue(): GoValue {
    this.skipSpace();
    // Nothing but white space is io.EOF, as Go's decoder reports an empty body.
    if (this.pos >= this.b.length) throw new GoSyntaxError('EOF');
    const stack: Container[] = [];
    for (;;) {
      let done = this.beginValue(stack);
      while (done !== undefined) {
        const top = stack.at(-1);
        if (top === undefined) return done;
        if (top.kind === 'object') top.entries.push([top.key, done]);
        else top.items.push(done);
        done = this.afterElement(stack, top);
      }
    }
  }

  /** A scalar or an empty container, or undefined once a container is open and its first element is due. */
  private beginValue(stack: Container[]): GoValue | undefined {
    this.skipSpace();
    const c = this.next();
    if (c === 0x7b || c === 0x5b) {
      if (stack.length >= MAX_DEPTH) throw this.invalid(c, 'exceeded max depth');
      this.skipSpace();
      if (c === 0x5b) {
        if (this.peek() === 0x5d) return this.skip({ kind: 'array', items: [] });
        stack.push({ kind: 'array', items: [] });
        return undefined;
      }
      if (this.peek() === 0x7d) return this.skip({ kind: 'object', entries: [] });
      stack.push({ kind: 'object', entries: [], key: this.key() });
      return undefined;
    }
    if (c === 0x22) return { kind: 'string', value: this.string() };
    if (c === 0x2d || isDigit(c)) return { kind: 'number', text: this.number(c) };
    if (c === 0x74) return this.literal('true', { kind: 'bool', value: true });
    if (c === 0x66) return this.literal('false', { kind: 'bool', value: false });
    if (c === 0x6e) return this.literal('null', { kind: 'null' });
    throw this.invalid(c, 'looking for beginning of value');
  }

  /** After an element: the next one is due (undefined), or the container closed and is the finished value. */
  private afterElement(stack: Container[], top: Container): GoValue | undefined {
    this.skipSpace();
    const c = this.next();
    if (c === 0x2c) {
      if (top.kind === 'object') {
        this.skipSpace();
        top.key = this.key();
      }
      return undefined;
    }
    if (top.kind === 'object' && c === 0x7d) {
      stack.pop();
      return { kind: 'object', entries: top.entries };
    }
    if (top.kind === 'array' && c === 0x5d) {
      stack.pop();
      return { kind: 'array', items: top.items };
    }
    throw this.invalid(c, top.kind === 'object' ? 'after object key:value pair' : 'after array element');
  }

  /** An object key and its colon (white space before the key already skipped). */
  private key(): string {
    const c = this.next();
    if (c !== 0x22) throw this.invalid(c, 'looking for beginning of object key string');
    const key = this.string();
    this.skipSpace();
    const colon = this.next();
    if (colon !== 0x3a) throw this.invalid(colon, 'after object key');
    return key;
  }

  /** The rest of a string whose opening quote was read. */
  private string(): string {
    const start = this.pos;
    for (;;) {
      const c = this.next();
      if (c === 0x22) return decodeGoString(this.b.subarray(start, this.pos - 1));
      if (c < 0x20) throw this.invalid(c, 'in string literal');
      if (c !== 0x5c) continue;
      const e = this.next();
      if (e === 0x75) {
        for (let i = 0; i < 4; i++) {
          const h = this.next();
          if (!isHex(h)) throw this.invalid(h, 'in \\u hexadecimal character escape');
        }
      } else if (!'"\\/bfnrt'.includes(String.fromCharCode(e))) {
        throw this.invalid(e, 'in string escape code');
      }
    }
  }

  /** A number's text; at the end of the body a number that is complete ends there. */
  private number(first: number): string {
    const start = this.pos - 1;
    let c = first;
    if (c === 0x2d) {
      c = this.next();
      if (!isDigit(c)) throw this.invalid(c, 'in numeric literal');
    }
    if (c !== 0x30) while (isDigit(this.peek())) this.pos++;
    if (this.peek() === 0x2e) {
      this.pos++;
      const d = this.next();
      if (!isDigit(d)) throw this.invalid(d, 'after decimal point in numeric literal');
      while (isDigit(this.peek())) this.pos++;
    }
    const e = this.peek();
    if (e === 0x65 || e === 0x45) {
      this.pos++;
      let d = this.next();
      if (d === 0x2b || d === 0x2d) d = this.next();
      if (!isDigit(d)) throw this.invalid(d, 'in exponent of numeric literal');
      while (isDigit(this.peek())) this.pos++;
    }
    return new TextDecoder().decode(this.b.subarray(start, this.pos));
  }

  private literal(word: string, value: GoValue): GoValue {
    for (let i = 1; i < word.length; i++) {
      const c = this.next();
      const want = word[i] as string;
      if (c !== want.charCodeAt(0)) throw this.invalid(c, `in literal ${word} (expecting '${want}')`);
    }
    return value;
  }

  private skip(value: GoValue): GoValue {
    this.pos++;
    return value;
  }

  private skipSpace(): void {
    while (this.pos < this.b.length && isSpace(this.b[this.pos] as number)) this.pos++;
  }

  /** The next byte; -1 past the end, which no rule accepts. */
  private peek(): number {
    return this.pos < this.b.length ? (this.b[this.pos] as number) : -1;
  }

  /** The next byte, consumed; the body ending inside a value is Go's `unexpected EOF`. */
  private next(): number {
    if (this.pos >= this.b.length) throw new GoSyntaxError('unexpected EOF');
    return this.b[this.pos++] as number;
  }

  private invalid(c: number, context: string): GoSyntaxError {
    return new GoSyntaxError(`invalid character ${quoteChar(c)} ${context}`);
  }
}

const SIMPLE_ESCAPES: Record<number, string> = {
  34: '"',
  92: '\\',
  47: '/',
  98: '\b',
  102: '\f',
  110: '\n',
  114: '\r',
  116: '\t',
};

/** A string's content (already checked by the scanner) as Go unquotes it: each byte of invalid UTF-8 and
 * each unpaired surrogate escape becomes U+FFFD. */
function decodeGoString(b: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < b.length) {
    const c = b[i] as number;
    if (c === 0x5c) {
      const e = b[i + 1] as number;
      if (e !== 0x75) {
        out += SIMPLE_ESCAPES[e] ?? '';
        i += 2;
        continue;
      }
      const unit = hex4(b, i + 2);
      i += 6;
      if (unit < 0xd800 || unit > 0xdfff) {
        out += String.fromCharCode(unit);
      } else if (unit < 0xdc00 && b[i] === 0x5c && b[i + 1] === 0x75 && isLowSurrogate(hex4(b, i + 2))) {
        out += String.fromCharCode(unit, hex4(b, i + 2));
        i += 6;
      } else {
        out += '\uFFFD';
      }
      continue;
    }
    if (c < 0x80) {
      out += String.fromCharCode(c);
      i++;
      continue;
    }
    const [point, size] = decodeRune(b, i);
    out += String.fromCodePoint(point);
    i += size;
  }
  return out;
}

const isLowSurrogate = (unit: number): boolean => unit >= 0xdc00 && unit <= 0xdfff;

function hex4(b: Uint8Array, at: number): number {
  return Number.parseInt(String.fromCharCode(...b.subarray(at, at + 4)), 16);
}

/** Go's utf8.DecodeRune for a byte ≥ 0x80: the code point and its length, or U+FFFD and 1 when invalid. */
function decodeRune(b: Uint8Array, i: number): [number, number] {
  const c = b[i] as number;
  const [size, min, lo, hi] =
    c >= 0xc2 && c <= 0xdf
      ? [2, 0x80, 0x80, 0xbf]
      : c >= 0xe0 && c <= 0xef
        ? [3, 0x800, c === 0xe0 ? 0xa0 : 0x80, c === 0xed ? 0x9f : 0xbf]
        : c >= 0xf0 && c <= 0xf4
          ? [4, 0x10000, c === 0xf0 ? 0x90 : 0x80, c === 0xf4 ? 0x8f : 0xbf]
          : [0, 0, 0, 0];
  if (size === 0 || i + size > b.length) return [0xfffd, 1];
  const second = b[i + 1] as number;
  if (second < lo || second > hi) return [0xfffd, 1];
  let point = c & (0xff >> (size + 1));
  for (let k = 1; k < size; k++) {
    const cont = b[i + k] as number;
    if ((cont & 0xc0) !== 0x80) return [0xfffd, 1];
    point = (point << 6) | (cont & 0x3f);
  }
  return point < min ? [0xfffd, 1] : [point, size];
}
