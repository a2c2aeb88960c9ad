// Durations and sizes: exact parsing, errors that say what was expected, and the shortest exact
// formatting, checked on examples and as a round-trip property.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { duration, formatDurationMs, parseDurationMs, parseSizeBytes, size } from './units.js';

describe('parseDurationMs', () => {
  it.each([
    ['0.1ms', 0.1],
    ['250us', 0.25],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1.1s', 1100],
    ['0.00001m', 0.6],
    ['0s', 0],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it('rejects a number without a unit', () => {
    expect(() => parseDurationMs('30')).toThrow('expected a duration with a unit (us, ms, s, m, h), e.g. "30s", got "30"');
  });

  it('rejects a negative duration', () => {
    expect(() => parseDurationMs('-5s')).toThrow('expected a non-negative duration, got "-5s"');
  });

  it.each(['5 sec', 's', '1e3s', '.5s', '5d', '5constructor', ''])('rejects %j', (text) => {
    expect(() => parseDurationMs(text)).toThrow(RangeError);
  });
});

describe('formatDurationMs', () => {
  it.each([
    [0, '0s'],
    [0.1, '0.1ms'],
    [0.25, '250us'],
    [1500, '1.5s'],
    [60_000, '1m'],
    [90_000, '90s'],
    [3_600_000, '1h'],
    [1e-7, '0.0000001ms'],
  ])('writes %d ms as %s', (ms, text) => {
    expect(formatDurationMs(ms)).toBe(text);
  });

  it('rejects a negative or infinite duration', () => {
    expect(() => formatDurationMs(-1)).toThrow(RangeError);
    expect(() => formatDurationMs(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  const durationText = fc
    .tuple(
      fc.bigInt({ min: 0n, max: 10n ** 12n }),
      fc.integer({ min: 0, max: 6 }),
      fc.constantFrom('us', 'ms', 's', 'm', 'h'),
    )
    .map(([digits, decimals, unit]) => {
      const padded = digits.toString().padStart(decimals + 1, '0');
      const whole = padded.slice(0, padded.length - decimals);
      return decimals === 0 ? `${whole}${unit}` : `${whole}.${padded.slice(-decimals)}${unit}`;
    });

  it('round-trips every parsed duration exactly', () => {
    fc.assert(
      fc.property(durationText, (text) => {
        const ms = parseDurationMs(text);
        expect(parseDurationMs(formatDurationMs(ms))).toBe(ms);
      }),
    );
  });

  it('round-trips any non-negative double', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e12, noNaN: true, noDefaultInfinity: true }), (ms) => {
        expect(parseDurationMs(formatDurationMs(ms))).toBe(ms);
      }),
    );
  });
});

describe('parseSizeBytes', () => {
  it.each([
    ['512B', 512],
    ['1KB', 1000],
    ['1KiB', 1024],
    ['1.5MiB', 1_572_864],
    ['2GB', 2e9],
    ['1GiB', 2 ** 30],
    ['1TB', 1e12],
    ['1TiB', 2 ** 40],
  ])('reads %s as %d bytes', (text, bytes) => {
    expect(parseSizeBytes(text)).toBe(bytes);
  });

  it('rejects sizes without a unit, negative sizes and fractions of a byte', () => {
    expect(() => parseSizeBytes('512')).toThrow('expected a size with a unit');
    expect(() => parseSizeBytes('-1KB')).toThrow('expected a non-negative size, got "-1KB"');
    expect(() => parseSizeBytes('0.5B')).toThrow('expected a whole number of bytes, got "0.5B"');
    expect(() => parseSizeBytes('1.0001KB')).toThrow('expected a whole number of bytes');
  });
});

describe('zod schemas', () => {
  it('keep the text and check the bounds of a duration', () => {
    expect(duration({ exclusiveMin: '0s' }).parse('60s')).toBe('60s');
    expect(duration({ exclusiveMin: '0s' }).safeParse('0ms').error?.issues[0].message).toBe(
      'expected a duration > 0s, got "0ms"',
    );
    expect(duration({ min: '0.1ms' }).safeParse('50us').error?.issues[0].message).toBe(
      'expected a duration >= 0.1ms, got "50us"',
    );
    expect(duration().safeParse(30).error?.issues[0].message).toBe(
      'expected a duration with a unit (us, ms, s, m, h), e.g. "30s", got 30',
    );
  });

  it('keep the text of a size', () => {
    expect(size().parse('64KiB')).toBe('64KiB');
    expect(size().safeParse('64K').success).toBe(false);
  });
});
