/** The Go types the API's request bodies (proxies, toxics, their attributes) are read into, and the decoding
 * that fills them as the real server decodes them, its type errors included. */
import { parseFloat32 } from './go-float32.ts';
import type { GoValue } from './go-json-scan.ts';

/** Decodes a scanned JSON value into a Go-shaped target as encoding/json's Unmarshal does for Toxiproxy's
 * request types: keys apply in order (the last one wins), match exactly or else ASCII case-insensitively,
 * unknown keys are skipped, `null` leaves a value alone (and clears a pointer), and a value of the wrong
 * type leaves its field alone, is remembered (the first one only) and decoding goes on. */

/** The Go types Toxiproxy decodes into. `name` is what errors print; a struct's `structName` is its bare
 * name ('' for an anonymous struct), which errors print before the field path. */
export type GoType =
  | { readonly kind: 'string' | 'bool' | 'float32' }
  | { readonly kind: 'int'; readonly name: 'int' | 'int64' }
  | { readonly kind: 'pointer'; readonly elem: GoType }
  | {
      readonly kind: 'struct';
      readonly name: string;
      readonly structName: string;
      readonly fields: Readonly<Record<string, GoType>>;
    }
  | { readonly kind: 'slice'; readonly name: string; readonly elem: GoType };

/** A Go value: int types as bigint (all of int64 fits), float32 as the number Go prints for it, a nil
 * pointer or slice as null. */
export type GoData = string | boolean | number | bigint | null | GoStruct | GoData[];
export interface GoStruct {
  [field: string]: GoData;
}

export const STRING: GoType = { kind: 'string' };
export const BOOL: GoType = { kind: 'bool' };
export const FLOAT32: GoType = { kind: 'float32' };
export const INT64: GoType = { kind: 'int', name: 'int64' };

export function struct(name: string, structName: string, fields: Record<string, GoType>): GoType {
  return { kind: 'struct', name, structName, fields };
}

export const pointer = (elem: GoType): GoType => ({ kind: 'pointer', elem });
export const slice = (elem: GoType): GoType => ({ kind: 'slice', name: `[]${typeName(elem)}`, elem });

interface Context {
  /** The struct whose field is being decoded (its bare name), and the field path from the top. */
  struct: string | undefined;
  path: string[];
  error: string | undefined;
}

/** Decodes `value` into `target` (structs are changed in place) and returns the result with the first type
 * error, if any: the result keeps every field that could be read, as Go's does. */
export function decodeGo(value: GoValue, type: GoType, target: GoData): { result: GoData; error?: string } {
  const ctx: Context = { struct: undefined, path: [], error: undefined };
  const result = decode(value, type, target, ctx);
  return ctx.error === undefined ? { result } : { result, error: ctx.error };
}

export function zero(type: GoType): GoData {
  switch (type.kind) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'float32':
      return 0;
    case 'int':
      return 0n;
    case 'struct':
      return Object.fromEntries(Object.entries(type.fields).map(([k, t]) => [k, zero(t)]));
    default:
      return null;
  }
}

function decode(value: GoValue, type: GoType, current: GoData, ctx: Context): GoData {
  if (value.kind === 'null') return type.kind === 'pointer' || type.kind === 'slice' ? null : current;
  switch (type.kind) {
    case 'pointer':
      return decode(value, type.elem, current ?? zero(type.elem), ctx);
    case 'struct':
      if (value.kind !== 'object') return mismatch(ctx, value.kind, type, current);
      decodeFields(value.entries, type, current as GoStruct, ctx);
      return current;
    case 'slice': {
      if (value.kind !== 'array') return mismatch(ctx, value.kind, type, current);
      const before = Array.isArray(current) ? current : [];
      return value.items.map((item, i) => decode(item, type.elem, before[i] ?? zero(type.elem), ctx));
    }
    case 'string':
      return value.kind === 'string' ? value.value : mismatch(ctx, value.kind, type, current);
    case 'bool':
      return value.kind === 'bool' ? value.value : mismatch(ctx, value.kind, type, current);
    case 'int': {
      if (value.kind !== 'number') return mismatch(ctx, value.kind, type, current);
      const int = parseInt64(value.text);
      return int ?? mismatch(ctx, `number ${value.text}`, type, current);
    }
    case 'float32': {
      if (value.kind !== 'number') return mismatch(ctx, value.kind, type, current);
      const float = parseFloat32(value.text);
      return float ?? mismatch(ctx, `number ${value.text}`, type, current);
    }
  }
}

function decodeFields(
  entries: readonly [string, GoValue][],
  type: Extract<GoType, { kind: 'struct' }>,
  target: GoStruct,
  ctx: Context,
): void {
  for (const [key, value] of entries) {
    const field = fieldFor(type, key);
    if (field === undefined) continue;
    const outer = ctx.struct;
    ctx.struct = type.structName;
    ctx.path.push(field);
    target[field] = decode(value, type.fields[field] as GoType, target[field] ?? null, ctx);
    ctx.path.pop();
    ctx.struct = outer;
  }
}

/** Go matches the exact name first, then folds ASCII letters only. */
function fieldFor(type: Extract<GoType, { kind: 'struct' }>, key: string): string | undefined {
  if (Object.hasOwn(type.fields, key)) return key;
  const folded = asciiUpper(key);
  return Object.keys(type.fields).find((name) => asciiUpper(name) === folded);
}

const asciiUpper = (s: string): string => s.replace(/[a-z]+/g, (m) => m.toUpperCase());

function typeName(type: GoType): string {
  switch (type.kind) {
    case 'pointer':
      return typeName(type.elem);
    case 'int':
    case 'struct':
    case 'slice':
      return type.name;
    default:
      return type.kind;
  }
}

/** Go's UnmarshalTypeError, remembered if it is the first; the value keeps what it held. */
function mismatch(ctx: Context, what: string, type: GoType, current: GoData): GoData {
  if (ctx.error !== undefined) return current;
  const into =
    ctx.struct === undefined && ctx.path.length === 0
      ? 'Go value'
      : `Go struct field ${ctx.struct ?? ''}.${ctx.path.join('.')}`;
  ctx.error = `json: cannot unmarshal ${what} into ${into} of type ${typeName(type)}`;
  return current;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(text, 10, 64): only plain integer literals, in range. */
function parseInt64(text: string): bigint | undefined {
  if (!/^-?\d+$/.test(text)) return undefined;
  const value = BigInt(text);
  return value < INT64_MIN || value > INT64_MAX ? undefined : value;
}
