/** strconv.ParseFloat(text, 32) for a JSON number, returned as the shortest decimal that reads back as that
 * float32 — the number Go prints for it (0.123456789 → 0.12345679, 16777217 → 16777216). Out of range is
 * undefined; underflow is zero, as in Go. */
export function parseFloat32(text: string): number | undefined {
  const single = roundToFloat32(text);
  return Number.isFinite(single) ? shortest(single) : undefined;
}

/** Rounds the decimal once to float32. Rounding it to a double first (Number) and then to float32 can go
 * the wrong way only when the double lands exactly halfway between two float32s (or on the overflow
 * threshold) although the decimal does not: then the exact decimal decides the side. */
export function roundToFloat32(text: string): number {
  const double = Number(text);
  const single = Math.fround(double);
  if (single === double || Number.isNaN(double)) return single;
  const magnitude = Math.abs(double);
  const [below, above] = neighbours(magnitude);
  if ((below + above) / 2 !== magnitude) return single;
  const side = compareExact(text.replace(/^-/, ''), magnitude);
  if (side === 0) return single;
  const chosen = side < 0 ? below : above === 2 ** 128 ? Number.POSITIVE_INFINITY : above;
  return double < 0 ? -chosen : chosen;
}

/** The float32s on either side of a positive double that is not one (2^128 stands above the largest). */
function neighbours(value: number): [number, number] {
  const bits = new Uint32Array(new Float32Array([value]).buffer);
  const single = Math.fround(value);
  const toward = single < value ? 1 : -1;
  bits[0] = (bits[0] as number) + toward;
  const other = new Float32Array(bits.buffer)[0] as number;
  const pair: [number, number] = single < value ? [single, other] : [other, single];
  if (pair[1] === Number.POSITIVE_INFINITY) pair[1] = 2 ** 128;
  return pair;
}

/** Sign of (decimal − double), both exact: the decimal as digits × 10^e, the double as m × 2^b. */
function compareExact(decimal: string, double: number): number {
  const match = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(decimal);
  if (match === null) throw new Error(`not a decimal number: ${decimal}`);
  const fraction = match[2] ?? '';
  let left = BigInt(`${match[1] ?? ''}${fraction}` || '0');
  let right = binarySignificand(double);
  const tens = Number(match[3] ?? '0') - fraction.length;
  const twos = binaryExponent(double);
  if (tens >= 0) left *= 10n ** BigInt(tens);
  else right *= 10n ** BigInt(-tens);
  if (twos >= 0) right *= 2n ** BigInt(twos);
  else left *= 2n ** BigInt(-twos);
  return left === right ? 0 : left < right ? -1 : 1;
}

/** A positive normal double is significand × 2^exponent with a 53-bit integer significand. */
function binaryExponent(double: number): number {
  const view = new DataView(new Float64Array([double]).buffer);
  return ((view.getUint32(4, true) >>> 20) & 0x7ff) - 1075;
}

function binarySignificand(double: number): bigint {
  const view = new DataView(new Float64Array([double]).buffer);
  return (view.getBigUint64(0, true) & ((1n << 52n) - 1n)) | (1n << 52n);
}

/** The fewest significant digits that read back as the same float32, as Go's 'g' with precision -1. */
function shortest(single: number): number {
  if (single === 0) return single;
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(single.toPrecision(digits));
    if (Math.fround(candidate) === single) return candidate;
  }
  return Number(single.toPrecision(9));
}
