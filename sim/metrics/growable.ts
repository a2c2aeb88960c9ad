// Growable typed-array columns for the run's logs (DESIGN.md, "What a run produces"). The logs are
// written on the simulator's hot path, one row per query, sample or event: columns of typed arrays
// that double when full keep an append at amortised O(1) with no per-row object to collect.

export type NumericArray =
  | Int8Array
  | Uint8Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float64Array;

type NumericArrayConstructor<T extends NumericArray> = new (length: number) => T;

/** Rows a fresh log makes room for before its first doubling. */
export const INITIAL_CAPACITY_ROWS = 1024;

/** A copy of `array` with room for at least `minLength` elements: double, or more if that is short. */
export function grown<T extends NumericArray>(array: T, minLength: number): T {
  const Ctor = array.constructor as NumericArrayConstructor<T>;
  const next = new Ctor(Math.max(minLength, array.length * 2, INITIAL_CAPACITY_ROWS));
  next.set(array);
  return next;
}
