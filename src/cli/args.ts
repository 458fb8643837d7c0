/** Command-line parsing shared by the commands: bad input is a UsageError (exit 2) naming the command. */
import { type ParseArgsConfig, parseArgs } from 'node:util';

/** Bad command-line input: exit code 2, nothing started. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, with its errors turned into UsageErrors that name the command. */
export function parse<O extends Options>(
  command: string,
  argv: string[],
  options: O,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError(
      `${command}: ${(error as Error).message.replace(/\. To specify.*$/s, '')}; see 'session-chaos help'`,
    );
  }
}

export function positiveInteger(flag: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(
      `${flag} ${JSON.stringify(value)}: must be a whole number ≥ ${min}, e.g. ${flag} ${Math.max(min, 3)}`,
    );
  return n;
}

export function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T))
    throw new UsageError(`${flag} ${JSON.stringify(value)}: use one of ${allowed.join(', ')}`);
  return value as T;
}

export function portNumber(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(port >= 0 && port <= 65535))
    throw new UsageError(
      `${flag} ${JSON.stringify(value)}: use a port number from 0 to 65535 (0 picks a free one)`,
    );
  return port;
}

/** `--strategy a,b --strategy c` → [a, b, c]. */
export const commaList = (values: string[] | undefined): string[] =>
  (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
