/** Request bodies as Toxiproxy's handlers read them (`json.NewDecoder(body).Decode(&input)`): only the first
 * JSON value counts, and any error is a 400 "bad request body: …" in Go's words. */
import { badRequestBody } from './errors.ts';
import { decodeGo, type GoData, type GoStruct, type GoType } from './go-decode.ts';
import { GoSyntaxError, type GoValue, scanFirstValue } from './go-json-scan.ts';

export function readJson(body: Uint8Array): GoValue {
  try {
    return scanFirstValue(body);
  } catch (err) {
    if (err instanceof GoSyntaxError) throw badRequestBody(err.message);
    throw err;
  }
}

/** Decodes into `target`, or fails with the first type error. */
export function decodeInto<T extends GoData>(value: GoValue, type: GoType, target: T): T {
  const { result, error } = decodeGo(value, type, target);
  if (error !== undefined) throw badRequestBody(error);
  return result as T;
}

/** A decoded field known by its Go type: the accessors narrow it. */
export const str = (s: GoStruct, field: string): string => {
  const value = s[field];
  return typeof value === 'string' ? value : '';
};

export const int = (s: GoStruct, field: string): bigint => {
  const value = s[field];
  return typeof value === 'bigint' ? value : 0n;
};

export const num = (s: GoStruct, field: string): number => {
  const value = s[field];
  return typeof value === 'number' ? value : 0;
};

/** A bool, or undefined for a nil *bool. */
export const bool = (s: GoStruct, field: string): boolean | undefined => {
  const value = s[field];
  return typeof value === 'boolean' ? value : undefined;
};

export const sub = (s: GoStruct, field: string): GoStruct | undefined => {
  const value = s[field];
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
};
