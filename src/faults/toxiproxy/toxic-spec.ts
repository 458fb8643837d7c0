import { badRequestBody, invalidStream, invalidToxicType, toxicAlreadyExists } from './errors.ts';
import {
  expectObject,
  field,
  type JsonObject,
  jsonKind,
  optInt,
  optNumber,
  optString,
} from './json-input.ts';
import { toxicKind } from './toxics/registry.ts';
import type { Attributes } from './toxics/stage.ts';

/** Upstream carries client → server bytes, downstream server → client. */
export type Direction = 'upstream' | 'downstream';

/** One toxic as configured through the API. Immutable: an update makes a new spec. */
export interface ToxicSpec {
  readonly name: string;
  readonly type: string;
  /** As the client sent it; Toxiproxy echoes the original spelling back. */
  readonly stream: string;
  readonly direction: Direction;
  readonly toxicity: number;
  readonly attributes: Attributes;
}

export interface ToxicJson {
  attributes: Attributes;
  name: string;
  type: string;
  stream: string;
  toxicity: number;
}

export const toxicJson = (spec: ToxicSpec): ToxicJson => ({
  attributes: spec.attributes,
  name: spec.name,
  type: spec.type,
  stream: spec.stream,
  toxicity: spec.toxicity,
});

export function parseDirection(stream: string): Direction | undefined {
  const lower = stream.toLowerCase();
  return lower === 'upstream' || lower === 'downstream' ? lower : undefined;
}

/** Validates a POST /proxies/{p}/toxics body in Toxiproxy's order: field types, stream, type, duplicate
 * name, then attributes. */
export function parseNewToxic(body: unknown, nameTaken: (name: string) => boolean): ToxicSpec {
  const obj = expectObject(body, 'toxics.ToxicWrapper');
  const where = 'ToxicWrapper';
  let name = optString(obj, 'name', where) ?? '';
  const type = optString(obj, 'type', where) ?? '';
  const stream = optString(obj, 'stream', where) ?? 'downstream';
  const toxicity = optNumber(obj, 'toxicity', where) ?? 1;
  const direction = parseDirection(stream);
  if (direction === undefined) throw invalidStream();
  if (name === '') name = `${type}_${stream}`;
  const kind = toxicKind(type);
  if (kind === undefined) throw invalidToxicType();
  if (nameTaken(name)) throw toxicAlreadyExists();
  const zeroes = Object.fromEntries(kind.attributes.map((key) => [key, 0]));
  const attributes = mergeAttributes(zeroes, kind.attributes, field(obj, 'attributes'), type);
  return { name, type, stream, direction, toxicity, attributes };
}

/** Applies a POST/PATCH /proxies/{p}/toxics/{t} body: only `attributes` (merged) and `toxicity` count. */
export function parseToxicUpdate(body: unknown, current: ToxicSpec): ToxicSpec {
  const obj = expectObject(body, 'struct { Attributes interface {}; Toxicity float32 }');
  const keys = toxicKind(current.type)?.attributes ?? Object.keys(current.attributes);
  const attributes = mergeAttributes(current.attributes, keys, field(obj, 'attributes'), current.type);
  const toxicity = optNumber(obj, 'toxicity', 'Toxicity') ?? current.toxicity;
  return { ...current, attributes, toxicity };
}

function mergeAttributes(
  base: Attributes,
  keys: readonly string[],
  given: unknown,
  type: string,
): Attributes {
  if (given === undefined || given === null) return { ...base };
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw badRequestBody(`json: cannot unmarshal ${jsonKind(given)} into Go value of type toxics.${type}`);
  }
  const merged: Record<string, number> = { ...base };
  for (const key of keys) {
    const value = optInt(given as JsonObject, key, type);
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}
