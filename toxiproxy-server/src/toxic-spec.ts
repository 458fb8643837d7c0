/** Toxics as the HTTP API knows them: their settings (name, type, stream, toxicity, attributes), read and
 * checked from a request body in the real server's order, and their JSON. */
import { badRequestBody, invalidStream, invalidToxicType, toxicAlreadyExists } from './errors.ts';
import { decodeGo, FLOAT32, type GoStruct, type GoType, pointer, STRING, struct, zero } from './go-decode.ts';
import type { GoValue } from './go-json-scan.ts';
import { decodeInto, int, num, str } from './json-input.ts';
import { toxicKind } from './toxics/registry.ts';
import type { Attributes, ToxicKind } from './toxics/stage.ts';

/** Upstream carries client → server bytes, downstream server → client. */
export type Direction = 'upstream' | 'downstream';

/** One toxic as configured through the API. Immutable: an update makes a new spec. */
export interface ToxicSpec {
  readonly name: string;
  readonly type: string;
  /** As the client sent it; Toxiproxy echoes the original spelling back. */
  readonly stream: string;
  readonly direction: Direction;
  /** A float32 in Toxiproxy: held as the number it prints (0.123456789 is 0.12345679). */
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

/** toxics.ToxicWrapper, whose `attributes` holds a NoopToxic until the type is known. */
const WRAPPER = struct('toxics.ToxicWrapper', 'ToxicWrapper', {
  attributes: pointer(struct('toxics.NoopToxic', 'NoopToxic', {})),
  name: STRING,
  type: STRING,
  stream: STRING,
  toxicity: FLOAT32,
});

/** The Go struct of a toxic type's attributes (`toxics.LatencyToxic`). */
const attributesType = (kind: ToxicKind): GoType =>
  struct(
    `toxics.${kind.goName}`,
    kind.goName,
    Object.fromEntries(kind.attributes.map((key) => [key, { kind: 'int', name: kind.goInt }])),
  );

/** What Toxiproxy decodes an update into: the live attributes and a copy of the toxicity. */
const updateType = (kind: ToxicKind): GoType =>
  struct(
    'struct { Attributes interface {} "json:\\"attributes\\""; Toxicity float32 "json:\\"toxicity\\"" }',
    '',
    {
      attributes: pointer(attributesType(kind)),
      toxicity: FLOAT32,
    },
  );

const attributesOf = (kind: ToxicKind, decoded: GoStruct): Attributes =>
  Object.fromEntries(kind.attributes.map((key) => [key, int(decoded, key)]));

/** Validates a POST /proxies/{p}/toxics body in Toxiproxy's order: the wrapper's fields (with `attributes`
 * only checked to be an object), stream, type, duplicate name, then a second decode of the same value for
 * the attributes of that type. */
export function parseNewToxic(body: GoValue, nameTaken: (name: string) => boolean): ToxicSpec {
  const wrapper = decodeInto<GoStruct>(body, WRAPPER, {
    attributes: {},
    name: '',
    type: '',
    stream: 'downstream',
    toxicity: 1,
  });
  const type = str(wrapper, 'type');
  const stream = str(wrapper, 'stream');
  const direction = parseDirection(stream);
  if (direction === undefined) throw invalidStream();
  const name = str(wrapper, 'name') || `${type}_${stream}`;
  const kind = toxicKind(type);
  if (kind === undefined) throw invalidToxicType();
  if (nameTaken(name)) throw toxicAlreadyExists();
  // Decoded in place, so a later `"attributes": null` leaves what an earlier key set.
  const attrs = zero(attributesType(kind)) as GoStruct;
  decodeInto<GoStruct>(body, struct('', '', { attributes: pointer(attributesType(kind)) }), {
    attributes: attrs,
  });
  const toxicity = num(wrapper, 'toxicity');
  return { name, type, stream, direction, toxicity, attributes: attributesOf(kind, attrs) };
}

/** Applies a POST/PATCH /proxies/{p}/toxics/{t} body: only `attributes` (merged) and `toxicity` count.
 * As in Toxiproxy, which decodes into the live toxic, a body with a type error still changes every
 * attribute read before or after it (`partial`, then a 400), but never the toxicity. */
export function parseToxicUpdate(
  body: GoValue,
  current: ToxicSpec,
): { spec: ToxicSpec; partial?: ReturnType<typeof badRequestBody> } {
  const kind = toxicKind(current.type);
  if (kind === undefined) return { spec: current };
  const attrs: GoStruct = { ...current.attributes };
  const { result, error } = decodeGo(body, updateType(kind), {
    attributes: attrs,
    toxicity: current.toxicity,
  });
  const attributes = attributesOf(kind, attrs);
  if (error !== undefined) return { spec: { ...current, attributes }, partial: badRequestBody(error) };
  return { spec: { ...current, attributes, toxicity: num(result as GoStruct, 'toxicity') } };
}
