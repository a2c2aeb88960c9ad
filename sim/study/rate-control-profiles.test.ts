// Issue 6: "C3 with rate control must not throttle a broker below its demand on any study profile."
// Runs every cell of the study's rate-control sweep (scenarios/adss-study-rate-control.sweep.yaml:
// each profile at each broker count, five seeds) with the same rates, brokers and fault, shortened
// to 6 s with the fault from 2 s to 5 s, and asserts that no broker was throttled: no request waited
// in a broker's rate-control backlog longer than one rate interval (summary.json's rateControl),
// and every query completed.

import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/load-scenario.js';
import { runScenario } from '../run/run-scenario.js';
import { loadSweepFile } from '../sweep/sweep-file.js';
import { planSweep } from '../sweep/sweep-plan.js';
import { studySweepFile } from './study-sweeps.js';

const SHORTER = ['duration=6s', 'faults.0.start=2s', 'faults.0.end=5s'];

describe('C3 rate control on every study profile', () => {
  const plan = planSweep(loadSweepFile(studySweepFile('rateControl')));

  it('covers every profile at every broker count, five seeds each', () => {
    expect(plan.scenarios).toHaveLength(5);
    expect(plan.seeds).toEqual([1, 2, 3, 4, 5]);
    expect(plan.cells).toHaveLength(5 * 2 * 5);
  });

  it('throttles no broker in any cell', () => {
    const throttled: string[] = [];
    for (const cell of plan.cells) {
      const file = plan.scenarios[cell.scenario].file;
      const scenario = parseScenario(plan.scenarioTexts[cell.scenario], file, [...cell.overrides, ...SHORTER]);
      expect(scenario.routing.selector).toBe('c3');
      const summary = runScenario(scenario).summary;
      const rateControl = summary.rateControl!;
      const longestWaitMs = Math.max(...rateControl.brokers.map((b) => b.longestWaitMs));
      if (rateControl.throttledBrokers > 0 || summary.outcomes.completed !== summary.arrivals) {
        throttled.push(`${file} ${cell.overrides.join(' ')}: ${rateControl.throttledBrokers} brokers, longest wait ${longestWaitMs} ms, ${summary.arrivals - summary.outcomes.completed} queries not completed`);
      }
    }
    expect(throttled).toEqual([]);
  }, 600_000);
});
