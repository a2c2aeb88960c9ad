// Durations and sizes as operators write them ("250us", "30s", "2m", "1.5GiB"). Parsing is exact:
// the decimal digits are multiplied by the unit in integer arithmetic and rounded to a double once.
// The zod schemas validate the text but keep it, so that the resolved scenario still reads "60s";
// the runner converts with parseDurationMs / parseSizeBytes.

import * as z from './zod.js';
import { describeValue, list } from './schema-fields.js';

/** A unit as an exact factor: `multiplier × 10^exponent` of the base unit (ms or bytes). */
interface UnitFactor {
  readonly multiplier: bigint;
  readonly exponent: number;
}

/** Duration units in milliseconds. */
const DURATION_UNITS: Readonly<Record<string, UnitFactor>> = {
  us: { multiplier: 1n, exponent: -3 },
  ms: { multiplier: 1n, exponent: 0 },
  s: { multiplier: 1n, exponent: 3 },
  m: { multiplier: 6n, exponent: 4 },
  h: { multiplier: 36n, exponent: 5 },
};

/** The order in which formatDurationMs breaks ties between equally short spellings. */
const DURATION_FORMAT_ORDER = ['ms', 's', 'us', 'm', 'h'] as const;

/** Size units in bytes: decimal (KB = 1000 B) and binary (KiB = 1024 B). */
const SIZE_UNITS: Readonly<Record<string, UnitFactor>> = {
  B: { multiplier: 1n, exponent: 0 },
  KB: { multiplier: 1n, exponent: 3 },
  KiB: { multiplier: 1024n, exponent: 0 },
  MB: { multiplier: 1n, exponent: 6 },
  MiB: { multiplier: 1024n ** 2n, exponent: 0 },
  GB: { multiplier: 1n, exponent: 9 },
  GiB: { multiplier: 1024n ** 3n, exponent: 0 },
  TB: { multiplier: 1n, exponent: 12 },
  TiB: { multiplier: 1024n ** 4n, exponent: 0 },
};

const DURATION_EXPECTED = 'expected a duration with a unit (us, ms, s, m, h), e.g. "30s"';
const SIZE_EXPECTED = 'expected a size with a unit (B, KB, KiB, MB, MiB, GB, GiB, TB, TiB), e.g. "512MiB"';

/** A quantity read exactly: `scaled × 10^exponent` base units. */
interface ExactQuantity {
  readonly scaled: bigint;
  readonly exponent: number;
}

type Reading = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly message: string };

const QUANTITY = /^(-?)([0-9]+)(?:\.([0-9]+))?\s*([A-Za-z]+)$/;

function readQuantity(text: string, units: Readonly<Record<string, UnitFactor>>, kind: string, expected: string) {
  const match = QUANTITY.exec(text.trim());
  const unit = match ? units[match[4]] : undefined;
  if (!match || !unit || !Object.hasOwn(units, match[4])) {
    return { ok: false, message: `${expected}, got ${describeValue(text)}` } as const;
  }
  if (match[1] === '-') return { ok: false, message: `expected a non-negative ${kind}, got ${describeValue(text)}` } as const;
  const fraction = match[3] ?? '';
  const quantity: ExactQuantity = {
    scaled: BigInt(match[2] + fraction) * unit.multiplier,
    exponent: unit.exponent - fraction.length,
  };
  return { ok: true, quantity } as const;
}

/** The double nearest to `scaled × 10^exponent` (JavaScript's decimal parsing rounds correctly). */
function nearestNumber({ scaled, exponent }: ExactQuantity): number {
  return Number(`${scaled}e${exponent}`);
}

function readDurationMs(text: string): Reading {
  const read = readQuantity(text, DURATION_UNITS, 'duration', DURATION_EXPECTED);
  if (!read.ok) return read;
  const value = nearestNumber(read.quantity);
  if (!Number.isFinite(value)) return { ok: false, message: `expected a finite duration, got ${describeValue(text)}` };
  return { ok: true, value };
}

function readSizeBytes(text: string): Reading {
  const read = readQuantity(text, SIZE_UNITS, 'size', SIZE_EXPECTED);
  if (!read.ok) return read;
  const { scaled, exponent } = read.quantity;
  const divisor = exponent < 0 ? 10n ** BigInt(-exponent) : 1n;
  if (scaled % divisor !== 0n) {
    return { ok: false, message: `expected a whole number of bytes, got ${describeValue(text)}` };
  }
  const value = nearestNumber(read.quantity);
  if (!Number.isSafeInteger(value)) {
    return { ok: false, message: `expected a size below 2^53 bytes, got ${describeValue(text)}` };
  }
  return { ok: true, value };
}

/** Milliseconds in a duration such as "0.1ms", "250us", "30s", "2m" or "1h"; throws a RangeError otherwise. */
export function parseDurationMs(text: string): number {
  const read = readDurationMs(text);
  if (!read.ok) throw new RangeError(read.message);
  return read.value;
}

/** Milliseconds in `value` if it is a valid duration string, else undefined (for checks on unvalidated input). */
export function durationMsOrUndefined(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const read = readDurationMs(value);
  return read.ok ? read.value : undefined;
}

/** Bytes in a size such as "512B", "64KiB", "1.5GB"; throws a RangeError otherwise. */
export function parseSizeBytes(text: string): number {
  const read = readSizeBytes(text);
  if (!read.ok) throw new RangeError(read.message);
  return read.value;
}

/** A non-negative number written out without an exponent, e.g. 1e-7 as "0.0000001". */
function plainDecimal(value: number): string {
  const [mantissa, exponentText] = String(value).split('e');
  if (exponentText === undefined) return mantissa;
  const [whole, fraction = ''] = mantissa.split('.');
  const digits = whole + fraction;
  const point = whole.length + Number(exponentText);
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** `base` base units expressed in `unit` (possibly inexact: formatDurationMs checks the result). */
function inUnit(base: number, unit: UnitFactor): number {
  const multiplier = Number(unit.multiplier);
  return unit.exponent >= 0 ? base / (multiplier * 10 ** unit.exponent) : (base * 10 ** -unit.exponent) / multiplier;
}

/**
 * The shortest spelling of a duration that parses back to exactly `ms`: 60000 → "1m", 1500 → "1.5s",
 * 0.25 → "250us", 0.1 → "0.1ms". Equally short spellings prefer ms, then s, us, m, h.
 */
export function formatDurationMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`expected a finite non-negative duration in ms, got ${ms}`);
  let best = `${plainDecimal(ms)}ms`;
  for (const unit of DURATION_FORMAT_ORDER) {
    const candidate = `${plainDecimal(inUnit(ms, DURATION_UNITS[unit]))}${unit}`;
    if (candidate.length < best.length && parseDurationMs(candidate) === ms) best = candidate;
  }
  return best;
}

export interface DurationBounds {
  /** Inclusive lower bound, as a duration string, e.g. "0.1ms". */
  readonly min?: string;
  /** Strict lower bound, as a duration string: `{ exclusiveMin: "0s" }` means "> 0". */
  readonly exclusiveMin?: string;
}

/** The bounds as a reader sees them in the reference, e.g. "> 0s" or ">= 0.1ms". */
function boundsText({ min, exclusiveMin }: DurationBounds): string | undefined {
  if (exclusiveMin !== undefined) return `> ${exclusiveMin}`;
  if (min !== undefined) return `>= ${min}`;
  return undefined;
}

/** A duration string with a unit, optionally bounded below; the parsed value stays the string. */
export function duration(bounds: DurationBounds = {}) {
  const minMs = bounds.min === undefined ? undefined : parseDurationMs(bounds.min);
  const exclusiveMinMs = bounds.exclusiveMin === undefined ? undefined : parseDurationMs(bounds.exclusiveMin);
  const range = boundsText(bounds);
  return z
    .string({ error: (issue) => `${DURATION_EXPECTED}, got ${describeValue(issue.input)}` })
    .superRefine((value, ctx) => {
      const read = readDurationMs(value);
      if (!read.ok) {
        ctx.addIssue({ code: 'custom', message: read.message, input: value });
        return;
      }
      const tooSmall =
        (minMs !== undefined && read.value < minMs) || (exclusiveMinMs !== undefined && read.value <= exclusiveMinMs);
      if (tooSmall) ctx.addIssue({ code: 'custom', message: `expected a duration ${range}, got ${describeValue(value)}` });
    })
    .meta({ valueKind: 'duration', ...(range === undefined ? {} : { range }) });
}

/** A size string with a unit (bytes); the parsed value stays the string. */
export function size() {
  return z
    .string({ error: (issue) => `${SIZE_EXPECTED}, got ${describeValue(issue.input)}` })
    .superRefine((value, ctx) => {
      const read = readSizeBytes(value);
      if (!read.ok) ctx.addIssue({ code: 'custom', message: read.message, input: value });
    })
    .meta({ valueKind: 'size' });
}


/** Most quantiles a distribution may list (a percentile grid is 101). */
const MAX_QUANTILES = 1001;

/**
 * An empirical distribution as durations at evenly spaced probabilities 0, 1/(n - 1), ..., 1, each at
 * least the one before (at least two, at most MAX_QUANTILES).
 */
export function durationQuantiles() {
  return list(duration({ min: '0s' }), 2, 'expected a list of at least two durations')
    .max(MAX_QUANTILES, { error: `expected at most ${MAX_QUANTILES} quantiles` })
    .superRefine((quantiles, ctx) => {
      for (let i = 1; i < quantiles.length; i++) {
        const previousMs = durationMsOrUndefined(quantiles[i - 1]);
        const currentMs = durationMsOrUndefined(quantiles[i]);
        if (previousMs === undefined || currentMs === undefined || currentMs >= previousMs) continue;
        ctx.addIssue({ code: 'custom', path: [i], message: `expected a duration of at least the previous quantile (${quantiles[i - 1]}), got "${quantiles[i]}"` });
      }
    });
}
