// The engine conformance suite (runtime-conformance.ts) on the real runtime: server and pool threads,
// real segments of 2000 rows, the wall clock.
import { describeRuntimeConformance } from './runtime-conformance.js';
import { runRealScenario, type RealRunOutput } from './run-real-scenario.js';

describeRuntimeConformance({
  name: 'real',
  run: (loaded) => runRealScenario(loaded, { rowsPerSegment: 2000, vieweeIds: 10_000 }),
  backAtMs: (output, server) => (output as RealRunOutput).real.restarts?.find((r) => r.server === server)?.readyMs ?? null,
});
