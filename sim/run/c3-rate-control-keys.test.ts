// The C3 rate control's constants as scenario keys (routing.c3.*, issue 6): absim master's values by
// default, each key reaching the limiter, and out-of-range values refused as scenario errors.

import { describe, expect, it } from 'vitest';
import { C3_RATE_CONTROL_DEFAULTS } from '../../engine/routing/c3-rate-control.js';
import { formatScenarioError, parseScenario, ScenarioError } from '../scenario/load-scenario.js';
import { compileScenario } from './compile-scenario.js';

const SCENARIO = `
name: c3-keys
duration: 1s
cluster: { brokers: 1, numReplicaGroups: 2, numInstancesPerReplicaGroup: 1, segments: 2 }
routing: { selector: c3 }
workload:
  classes: [{ name: q, qps: 10, segmentCost: { distribution: fixed, median: 1ms } }]
`;

const compiled = (overrides: string[]) => compileScenario(parseScenario(SCENARIO, 'c3-keys.yaml', overrides)).selectorParams.c3RateControl;

describe('C3 rate-control keys', () => {
  it('are off without rateControl, and default to absim master\'s values with it', () => {
    expect(compiled([])).toBeNull();
    expect(compiled(['routing.c3.rateControl=true'])).toEqual(C3_RATE_CONTROL_DEFAULTS);
  });

  it('reach the limiter, the interval in ms', () => {
    const keys = [
      'rateInterval=10ms',
      'initialRate=7',
      'initialTokens=3',
      'maxTokens=40',
      'initialReceiveRate=12',
      'initialRmax=20',
      'receiveRateWeight=0.5',
      'cubicBeta=0.3',
      'cubicC=0.00001',
      'cubicSmax=4',
      'hysteresisFactor=1',
    ].map((key) => `routing.c3.${key}`);
    expect(compiled(['routing.c3.rateControl=true', ...keys])).toEqual({
      rateIntervalMs: 10,
      initialRate: 7,
      initialTokens: 3,
      maxTokens: 40,
      initialReceiveRate: 12,
      initialRateAtDecrease: 20,
      receiveRateWeight: 0.5,
      beta: 0.3,
      cubicC: 0.00001,
      maxStep: 4,
      hysteresisIntervals: 1,
    });
  });

  it('refuses values out of range, naming the key', () => {
    for (const [override, key] of [
      ['routing.c3.cubicBeta=1', 'cubicBeta'],
      ['routing.c3.maxTokens=0.5', 'maxTokens'],
      ['routing.c3.initialTokens=60', 'initialTokens'],
      ['routing.c3.rateInterval=0ms', 'rateInterval'],
    ]) {
      let message = '';
      try {
        parseScenario(SCENARIO, 'c3-keys.yaml', [override]);
      } catch (error) {
        if (!(error instanceof ScenarioError)) throw error;
        message = formatScenarioError(error);
      }
      expect(message, override).toContain(key);
    }
  });
});
