// The input limits: each refused at its place with the limit named, and validation time linear in
// the input's size (a mapping of many keys used to take quadratic time in yaml's duplicate check and
// in locating each unknown key).

import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from './load-scenario.js';
import { SCENARIO_LIMITS } from './input-limits.js';
import { formatScenarioError } from './scenario-error.js';

const CLASSES = `workload:
  classes:
    - name: a
      qps: 10
      segmentCost: { distribution: fixed, median: 1ms }
`;

function problems(text: string): string[] {
  try {
    parseScenario(text, 's.yaml');
  } catch (error) {
    if (error instanceof ScenarioError) return formatScenarioError(error).split('\n');
    throw error;
  }
  return [];
}

/** Milliseconds `parse` takes on a scenario with `n` unknown top-level keys, the fastest of three. */
function parseMs(n: number): number {
  const text = `${CLASSES}${Array.from({ length: n }, (_, i) => `key${i}: 1`).join('\n')}\n`;
  let fastest = Infinity;
  for (let run = 0; run < 3; run++) {
    const started = process.hrtime.bigint();
    expect(() => parseScenario(text, 's.yaml')).toThrow(ScenarioError);
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - started) / 1e6);
  }
  return fastest;
}

describe('scenario input limits', () => {
  it('refuses a duplicate key, a list too long, nesting too deep and too many aliases, each at its place', () => {
    expect(problems(`${CLASSES}seed: 1\nseed: 2\n`)).toEqual(['s.yaml:7:1: duplicate key "seed": each key may appear once in a mapping']);
    const long = `${CLASSES}faults: [${Array(SCENARIO_LIMITS.entries + 1).fill('x').join(',')}]\n`;
    expect(problems(long)).toEqual([`s.yaml:6:9: this list has ${SCENARIO_LIMITS.entries + 1} entries; at most ${SCENARIO_LIMITS.entries} are allowed`]);
    const deep = `${CLASSES}description: ${'['.repeat(40)}${']'.repeat(40)}\n`;
    expect(problems(deep)).toEqual([`s.yaml:6:${13 + SCENARIO_LIMITS.depth}: lists and mappings nest more than ${SCENARIO_LIMITS.depth} deep; a scenario needs far fewer`]);
    const aliases = `x: &x 1\n${CLASSES}faults: [${Array(SCENARIO_LIMITS.aliases + 1).fill('*x').join(', ')}]\n`;
    expect(problems(aliases)[0]).toBe(`s.yaml:7:${10 + 4 * SCENARIO_LIMITS.aliases}: more than ${SCENARIO_LIMITS.aliases} aliases; at most ${SCENARIO_LIMITS.aliases} are allowed`);
  });

  it('prints the first problems and counts the rest', () => {
    const printed = problems(`${CLASSES}${Array.from({ length: 120 }, (_, i) => `k${i}: 1`).join('\n')}\n`);
    expect(printed).toHaveLength(SCENARIO_LIMITS.printedProblems + 1);
    expect(printed.at(-1)).toBe(`s.yaml: and 70 more problems (120 in all; the first ${SCENARIO_LIMITS.printedProblems} are shown)`);
  });

  it('validates in time linear in the number of keys (4x the keys take well under 16x the time)', () => {
    parseMs(2_000);
    const small = parseMs(5_000);
    const large = parseMs(20_000);
    expect(large / small).toBeLessThan(8);
  });
});
