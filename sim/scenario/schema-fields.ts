// Leaf schemas for scenario files whose every error message says what was expected and what the
// file held ("expected an integer from 1 to 1024, got 0"), so that an operator can fix a file from
// the message alone. The loader prefixes each message with the key path and the file position.

import * as z from './zod.js';

/** How a value the file held reads in an error message: strings quoted, collections by kind. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** An error customizer that always answers `<expected>, got <value>`. */
export function expecting(expected: string) {
  return (issue: { input?: unknown }) => `${expected}, got ${describeValue(issue.input)}`;
}

export interface IntegerBounds {
  readonly min: number;
  readonly max?: number;
}

/** A whole number within inclusive bounds. */
export function integer({ min, max }: IntegerBounds) {
  const expected =
    max === undefined ? `expected an integer >= ${min}` : `expected an integer from ${min} to ${max}`;
  const error = expecting(expected);
  const base = z.number({ error }).int({ error }).min(min, { error });
  return max === undefined ? base : base.max(max, { error });
}

export interface NumberBounds {
  readonly min?: number;
  readonly exclusiveMin?: number;
  readonly max?: number;
}

/** The range of a number as the error message and the reference state it, e.g. " in (0, 1]". */
function rangeText({ min, exclusiveMin, max }: NumberBounds): string {
  if (exclusiveMin !== undefined && max !== undefined) return ` in (${exclusiveMin}, ${max}]`;
  if (min !== undefined && max !== undefined) return ` in [${min}, ${max}]`;
  if (exclusiveMin !== undefined) return ` > ${exclusiveMin}`;
  if (min !== undefined) return ` >= ${min}`;
  if (max !== undefined) return ` <= ${max}`;
  return '';
}

/** A finite number; `exclusiveMin` is a strict lower bound, `min` and `max` inclusive ones. */
export function decimal(bounds: NumberBounds) {
  const error = expecting(`expected a number${rangeText(bounds)}`);
  let schema = z.number({ error });
  if (bounds.exclusiveMin !== undefined) schema = schema.gt(bounds.exclusiveMin, { error });
  if (bounds.min !== undefined) schema = schema.min(bounds.min, { error });
  if (bounds.max !== undefined) schema = schema.max(bounds.max, { error });
  return schema;
}

/** One of a fixed list of words; the loader adds a did-you-mean to a near miss. */
export function choice<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: expecting(`expected one of ${values.join(', ')}`) });
}

/** A name made of letters, digits, `_`, `.` and `-`, usable in file names and metric labels. */
export function identifier() {
  const error = expecting('expected a name of letters, digits, "_", "." and "-"');
  return z.string({ error }).regex(/^[A-Za-z0-9_.-]+$/, { error });
}

/** Free text. */
export function text() {
  return z.string({ error: expecting('expected text') });
}

/** A mapping with a fixed set of keys: any other key is an error (reported with a did-you-mean). */
export function section<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'invalid_type' ? `expected a mapping, got ${describeValue(issue.input)}` : undefined,
  });
}

/** A list with at least `min` elements; `expected` says so, e.g. "expected a list of faults". */
export function list<T extends z.ZodType>(element: T, min: number, expected: string) {
  const error = expecting(expected);
  return z.array(element, { error }).min(min, { error });
}
