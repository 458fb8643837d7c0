/** Small checks of untyped input that throw ExperimentError naming the path, the bad value and the fix. */
import { ExperimentError } from './errors.ts';

export type Json = Record<string, unknown>;

export const show = (value: unknown): string =>
  value === undefined
    ? 'nothing'
    : typeof value === 'string'
      ? JSON.stringify(value)
      : (JSON.stringify(value) ?? String(value));

export class Validator {
  constructor(readonly source: string) {}

  fail(path: string, problem: string): never {
    throw new ExperimentError(this.source, path, problem);
  }

  object(value: unknown, path: string): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail(path, `expected an object, got ${show(value)}`);
    return value as Json;
  }

  array(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) this.fail(path, `expected a list, got ${show(value)}`);
    return value;
  }

  string(value: unknown, path: string, fix: string): string {
    if (typeof value !== 'string' || value.trim() === '')
      this.fail(path, `expected a non-empty string, got ${show(value)}; ${fix}`);
    return value;
  }

  integer(value: unknown, path: string, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      this.fail(path, `expected a whole number from ${min} to ${max}, got ${show(value)}`);
    return value;
  }

  number(value: unknown, path: string, min: number): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min)
      this.fail(path, `expected a number ≥ ${min}, got ${show(value)}`);
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[], what: string): T {
    if (typeof value !== 'string' || !allowed.includes(value as T))
      this.fail(path, `${show(value)} is not ${what}; use one of: ${allowed.join(', ')}`);
    return value as T;
  }

  /** Rejects keys the schema does not know, which are usually typos. */
  onlyKeys(object: Json, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(object)) {
      if (!allowed.includes(key))
        this.fail(path ? `${path}.${key}` : key, `unknown field; the fields here are: ${allowed.join(', ')}`);
    }
  }
}
