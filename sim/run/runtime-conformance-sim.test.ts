// The engine conformance suite (runtime-conformance.ts) on the simulated runtime.
import { describeRuntimeConformance } from './runtime-conformance.js';
import { runScenario } from './run-scenario.js';

describeRuntimeConformance({ name: 'simulated', run: async (loaded) => runScenario(loaded.scenario) });
