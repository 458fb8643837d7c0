import { badRequestBody } from './errors.ts';
import { goStrings } from './go-json.ts';

/** Reads request bodies the way Go's encoding/json does for Toxiproxy: null keeps the default, keys match
 * case-insensitively, unknown keys are ignored, a wrong type is a 400 naming the field. */
export type JsonObject = Record<string, unknown>;

export function parseJson(text: string): unknown {
  // Go's decoder reports an empty body as EOF.
  if (text.trim() === '') throw badRequestBody('EOF');
  try {
    return JSON.parse(text, goStrings);
  } catch (err) {
    throw badRequestBody((err as Error).message);
  }
}

export function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : typeof value;
}

export function expectObject(value: unknown, goType: string): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequestBody(`json: cannot unmarshal ${jsonKind(value)} into Go value of type ${goType}`);
  }
  return value as JsonObject;
}

export function expectArray(value: unknown, goType: string): unknown[] {
  if (!Array.isArray(value)) {
    throw badRequestBody(`json: cannot unmarshal ${jsonKind(value)} into Go value of type ${goType}`);
  }
  return value;
}

/** The value under `key`, preferring an exact match, then a case-insensitive one, as Go does. */
export function field(obj: JsonObject, key: string): unknown {
  if (Object.hasOwn(obj, key)) return obj[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return obj[k];
  return undefined;
}

function mismatch(value: unknown, where: string, goType: string): Error {
  return badRequestBody(
    `json: cannot unmarshal ${jsonKind(value)} into Go struct field ${where} of type ${goType}`,
  );
}

type JsonType = { string: string; boolean: boolean; number: number };
const GO_TYPES: Record<keyof JsonType, string> = { string: 'string', boolean: 'bool', number: 'float32' };

/** An optional field of one JSON type: absent or null gives undefined, another type a Go-worded 400. */
function optional<K extends keyof JsonType>(
  obj: JsonObject,
  key: string,
  where: string,
  type: K,
): JsonType[K] | undefined {
  const value = field(obj, key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== type) throw mismatch(value, `${where}.${key}`, GO_TYPES[type]);
  return value as JsonType[K];
}

export const optString = (obj: JsonObject, key: string, where: string): string | undefined =>
  optional(obj, key, where, 'string');
export const optBool = (obj: JsonObject, key: string, where: string): boolean | undefined =>
  optional(obj, key, where, 'boolean');
export const optNumber = (obj: JsonObject, key: string, where: string): number | undefined =>
  optional(obj, key, where, 'number');

export function optInt(obj: JsonObject, key: string, where: string): number | undefined {
  const value = field(obj, key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw mismatch(value, `${where}.${key}`, 'int64');
  if (!Number.isSafeInteger(value)) {
    throw badRequestBody(
      `json: cannot unmarshal number ${value} into Go struct field ${where}.${key} of type int64`,
    );
  }
  return value;
}
