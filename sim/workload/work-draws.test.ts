// Common random numbers: the keyed draws are uniform and independent of their neighbours, and two
// runs that differ only in the selector see identical arrivals and identical work per (query, segment).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileScenario } from '../run/compile-scenario.js';
import { simulate } from '../run/simulation.js';
import { parseScenario } from '../scenario/load-scenario.js';
import { WorkDraws } from './work-draws.js';

describe('WorkDraws', () => {
  it('gives uniform numbers: 64 bins of 256 000 draws within chi-square bounds', () => {
    const draws = new WorkDraws(42);
    const bins = new Float64Array(64);
    let n = 0;
    for (let query = 0; query < 4000; query++) {
      for (let segment = 0; segment < 16; segment++) {
        const key = draws.key(query, segment);
        for (let index = 0; index < 4; index++) {
          bins[Math.floor(draws.uniform32(key, index) * 64)]++;
          n++;
        }
      }
    }
    const expected = n / 64;
    let chiSquare = 0;
    for (const count of bins) chiSquare += (count - expected) ** 2 / expected;
    // 63 degrees of freedom: the 0.999 quantile is about 103.4.
    expect(chiSquare).toBeLessThan(103.4);
  });

  it('draws neighbouring keys and indexes independently (correlations near 0)', () => {
    const draws = new WorkDraws(7);
    const n = 50_000;
    const correlation = (xs: Float64Array, ys: Float64Array): number => {
      let sx = 0;
      let sy = 0;
      let sxy = 0;
      let sxx = 0;
      let syy = 0;
      for (let i = 0; i < xs.length; i++) {
        sx += xs[i];
        sy += ys[i];
        sxy += xs[i] * ys[i];
        sxx += xs[i] * xs[i];
        syy += ys[i] * ys[i];
      }
      const cov = sxy / xs.length - (sx / xs.length) * (sy / xs.length);
      return cov / Math.sqrt((sxx / xs.length - (sx / xs.length) ** 2) * (syy / xs.length - (sy / xs.length) ** 2));
    };
    const neighbours: [string, (i: number) => [number, number]][] = [
      ['next query', (i) => [draws.uniform32(draws.key(i, 3), 0), draws.uniform32(draws.key(i + 1, 3), 0)]],
      ['next segment', (i) => [draws.uniform32(draws.key(i, 3), 0), draws.uniform32(draws.key(i, 4), 0)]],
      ['next index', (i) => [draws.uniform32(draws.key(i, 3), 0), draws.uniform32(draws.key(i, 3), 1)]],
      ['other seed', (i) => [draws.uniform32(draws.key(i, 3), 0), new WorkDraws(8).uniform32(new WorkDraws(8).key(i, 3), 0)]],
    ];
    for (const [name, pair] of neighbours) {
      const xs = new Float64Array(n);
      const ys = new Float64Array(n);
      for (let i = 0; i < n; i++) [xs[i], ys[i]] = pair(i);
      // Independent: the sample correlation has a standard deviation of 1/sqrt(n) ≈ 0.0045.
      expect(Math.abs(correlation(xs, ys)), name).toBeLessThan(0.025);
    }
  });

  it('is a pure function of the key', () => {
    const a = new WorkDraws(3);
    const b = new WorkDraws(3);
    expect(a.uniform53(a.key(12, 5), 0)).toBe(b.uniform53(b.key(12, 5), 0));
    expect(a.uniform53(a.key(12, 5), 0)).not.toBe(a.uniform53(a.key(12, 6), 0));
    // Both halves of a seed above 2^32 count.
    expect(new WorkDraws(2 ** 40).key(0, 0)).not.toBe(new WorkDraws(0).key(0, 0));
  });

  it('gives the same key whatever was asked before (its query part is kept for the last query only)', () => {
    const pair = fc.tuple(fc.oneof(fc.nat(5), fc.constant(2 ** 40 + 1)), fc.nat(2 ** 32 - 1));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.array(pair, { maxLength: 30 }), (seed, pairs) => {
        const draws = new WorkDraws(seed);
        for (const [query, segment] of pairs) expect(draws.key(query, segment)).toBe(new WorkDraws(seed).key(query, segment));
      }),
    );
  });
});

const SCENARIO = `
name: crn
seed: 3
duration: 3s
cluster:
  brokers: 2
  numReplicaGroups: 3
  numInstancesPerReplicaGroup: 2
  segments: 6
  server:
    threads: 2
routing:
  instanceSelectorType: mirrorServerSet
workload:
  classes:
    - name: short
      qps: 300
      segmentCost: { distribution: exponential, median: 1ms }
    - name: long
      qps: 40
      segmentsPerQuery: 3
      segmentCost: { distribution: lognormal, median: 5ms, p99: 20ms }
faults:
  - { kind: slowServer, server: server-1-0, start: 1s, end: 2s, progressProbability: 0.3 }
`;

describe('common random numbers across policies', () => {
  it('gives two selectors identical arrivals and identical work per (query, segment)', () => {
    const runWith = (selector: string) => {
      const work = new Map<string, number>();
      const servers = new Map<string, number>();
      const spec = compileScenario(parseScenario(SCENARIO, 'crn.yaml', [`routing.selector=${selector}`]));
      const result = simulate(spec, {
        onWork: (task, itemIndex, ticks) => {
          const key = `${task.queryId}/${task.segments[itemIndex]}`;
          work.set(key, ticks);
          servers.set(key, task.server);
        },
      });
      return { work, servers, arrivals: result.arrivals };
    };
    const roundRobin = runWith('round-robin');
    const hybrid = runWith('hybrid');
    expect(hybrid.arrivals).toBe(roundRobin.arrivals);
    expect(hybrid.work.size).toBeGreaterThan(5000);
    // Every (query, segment) both runs executed cost the same; the servers that ran them differ.
    let compared = 0;
    let moved = 0;
    for (const [key, ticks] of hybrid.work) {
      const other = roundRobin.work.get(key);
      if (other === undefined) continue;
      compared++;
      expect(ticks, key).toBe(other);
      if (hybrid.servers.get(key) !== roundRobin.servers.get(key)) moved++;
    }
    expect(compared).toBeGreaterThan(0.99 * hybrid.work.size);
    expect(moved).toBeGreaterThan(compared / 10);
  });
});
