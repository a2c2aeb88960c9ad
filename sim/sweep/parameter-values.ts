// The values one sweep parameter takes: a list as written, a range `{from, to, step}` (both ends
// included when the step lands on them), or random samples (uniform or log-uniform between min and
// max, from a stream seeded by the sweep's sampleSeed and the parameter's path, so the same file
// draws the same values). Bounds may carry a unit (`10ms`, `64MiB`); the values then carry it too.

import seedrandom from 'seedrandom';
import { MAX_PARAMETER_VALUES, type ParameterSpec } from './sweep-file.js';

export type ParameterValue = unknown;

export type Expansion = { readonly ok: true; readonly values: readonly ParameterValue[] } | { readonly ok: false; readonly message: string };

interface Quantity {
  readonly value: number;
  readonly unit: string;
}

function readQuantity(bound: number | string): Quantity | undefined {
  if (typeof bound === 'number') return Number.isFinite(bound) ? { value: bound, unit: '' } : undefined;
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*([A-Za-z%]*)\s*$/.exec(bound);
  return match ? { value: Number(match[1]), unit: match[2] } : undefined;
}

/** Rounds away the binary noise of `from + i * step` (0.1 + 0.2) at 12 significant digits. */
function tidy(value: number): number {
  const rounded = Number(value.toPrecision(12));
  return rounded === 0 ? 0 : rounded;
}

function withUnit(value: number, unit: string): ParameterValue {
  return unit === '' ? value : `${value}${unit}`;
}

/** Reads bounds that must share one unit, or says why they cannot. */
function readBounds(bounds: Record<string, number | string>): { quantities: Record<string, number>; unit: string } | string {
  const quantities: Record<string, number> = {};
  let unit: string | undefined;
  for (const [key, bound] of Object.entries(bounds)) {
    const quantity = readQuantity(bound);
    if (quantity === undefined) return `${key}: expected a number or a number with a unit, got ${JSON.stringify(bound)}`;
    if (unit !== undefined && quantity.unit !== unit) {
      return `every bound needs the same unit, got "${unit}" and "${quantity.unit}" (write e.g. 10ms, 50ms, 10ms)`;
    }
    unit = quantity.unit;
    quantities[key] = quantity.value;
  }
  return { quantities, unit: unit ?? '' };
}

function rangeValues(spec: { from: number | string; to: number | string; step: number | string }): Expansion {
  const read = readBounds({ from: spec.from, to: spec.to, step: spec.step });
  if (typeof read === 'string') return { ok: false, message: read };
  const { from, to, step } = read.quantities;
  if (!(step > 0)) return { ok: false, message: `expected a step > 0, got ${spec.step}` };
  if (to < from) return { ok: false, message: `expected from <= to, got ${spec.from} > ${spec.to}` };
  const count = Math.floor((to - from) / step + 1e-9) + 1;
  if (count > MAX_PARAMETER_VALUES) {
    return { ok: false, message: `the range has ${count} values, more than ${MAX_PARAMETER_VALUES}: use a larger step` };
  }
  return { ok: true, values: Array.from({ length: count }, (_, i) => withUnit(tidy(from + i * step), read.unit)) };
}

function randomValues(
  spec: { random: 'uniform' | 'logUniform'; min: number | string; max: number | string; samples: number; integer: boolean },
  streamName: string,
): Expansion {
  const read = readBounds({ min: spec.min, max: spec.max });
  if (typeof read === 'string') return { ok: false, message: read };
  const { min, max } = read.quantities;
  if (max < min) return { ok: false, message: `expected min <= max, got ${spec.min} > ${spec.max}` };
  if (spec.random === 'logUniform' && !(min > 0)) return { ok: false, message: `logUniform needs min > 0, got ${spec.min}` };
  const next = seedrandom.alea(streamName);
  const draw = (u: number) =>
    spec.random === 'uniform' ? min + u * (max - min) : Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)));
  const values = Array.from({ length: spec.samples }, () => {
    const value = draw(next());
    return withUnit(spec.integer ? Math.round(value) : Number(value.toPrecision(6)), read.unit);
  });
  return { ok: true, values };
}

/** The values of one parameter; `sampleSeed` and `path` name the stream random samples come from. */
export function parameterValues(spec: ParameterSpec, path: string, sampleSeed: number): Expansion {
  if (Array.isArray(spec)) return { ok: true, values: spec };
  if ('random' in spec) return randomValues(spec, `${sampleSeed}/sweep/${path}`);
  return rangeValues(spec);
}
