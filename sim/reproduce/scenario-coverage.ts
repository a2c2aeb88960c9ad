// Which shipped scenarios the paper reproduction runs, and why the others are not in it (issue 10: "runs
// every scenario or sweep that reproduces a seed experiment, whatever the other issues have added").
// Every scenario file in scenarios/ has an entry (a test holds the list to the folder, so a scenario
// added later must be placed here): a paper experiment the issues name is reproduced (a base scenario
// of one of the plan's sweeps, which the same test checks) or left out with the reason the report
// prints; anything else says why it is not a paper experiment.

export type ScenarioCoverage =
  /** Run by the plan: `issue` names it as a paper experiment. */
  | { readonly kind: 'reproduced'; readonly issue: number }
  /** A paper experiment the plan does not run, and why. */
  | { readonly kind: 'leftOut'; readonly issue: number; readonly why: string }
  /** Not an experiment of a seed paper: an example, a benchmark, a real-mode check or another paper's comparison. */
  | { readonly kind: 'notAPaperExperiment'; readonly why: string };

const reproduced = (issue: number): ScenarioCoverage => ({ kind: 'reproduced', issue });
const leftOut = (issue: number, why: string): ScenarioCoverage => ({ kind: 'leftOut', issue, why });
const other = (why: string): ScenarioCoverage => ({ kind: 'notAPaperExperiment', why });

const REAL_MODE = other('a real-runtime check (issue 11): it measures the twin against itself, not a paper');

export const SCENARIO_COVERAGE: Readonly<Record<string, ScenarioCoverage>> = {
  'adss-1500qps.yaml': reproduced(2),
  'adss-300qps.yaml': reproduced(2),
  'adss-30qps.yaml': reproduced(2),
  'adss-6000qps.yaml': leftOut(2, 'a Table 2 profile left out to bound the run time (3x to 5x as long as the others); it is in `twin study`'),
  'adss-hybrid-workload.yaml': leftOut(2, 'a Table 2 profile left out to bound the run time (3x to 5x as long as the others); it is in `twin study`'),
  'replica-group-r3.yaml': reproduced(2),
  'cold-start-slow-server.yaml': reproduced(2),
  'adss-softmax.yaml': reproduced(2),
  'c3-time-varying.yaml': other('C3 (the absim simulator of Suresh et al.) against Pinot\'s selectors; not a seed experiment'),
  'default.yaml': other('the example `npm start` runs'),
  'gc-storm.yaml': other('a documented example of GC pauses under ADSS; the seeds give no figure for it'),
  'bench-large.yaml': other("the simulator's speed benchmark"),
  'linkedin-scale.yaml': other("the simulator's production-scale benchmark"),
  'imported-events.yaml': other('the example of importing a production event log'),
  'mz-drain-before-after.yaml': reproduced(7),
  'churn-year.yaml': reproduced(7),
  'rebalance-scale-out.yaml': leftOut(7, 'seed 004 section 3.3 states the rebalance\'s safety conditions, not a measured figure to hold the scale-out against'),
  'qwi-budget-enforcement.yaml': reproduced(8),
  'qwi-noisy-neighbour.yaml': reproduced(8),
  'qwi-skewed-placement.yaml': reproduced(8),
  'qwi-sampling-period.yaml': reproduced(8),
  'gc-heap-storm.yaml': leftOut(8, 'seed 004 does not measure it: the issue asks for the behaviour (pauses reach the brokers, routing reacts), not a paper figure'),
  'qwi-controller-outage.yaml': leftOut(8, "the seed's words (hosts keep enforcing cached budgets) hold by construction; checked by sim/run/qwi-scenarios.test.ts, no figure to measure"),
  'qwi-token-bucket.yaml': other("seed 003's older per-tenant token buckets beside QWI; the seed gives no figure for it"),
  'real-budget.yaml': REAL_MODE,
  'real-gc-pause.yaml': REAL_MODE,
  'real-server-stop.yaml': REAL_MODE,
  'real-slow-server.yaml': REAL_MODE,
  'real-smoke.yaml': REAL_MODE,
  'real-cache.yaml': REAL_MODE,
  'real-zone-drain.yaml': REAL_MODE,
  'real-rebalance.yaml': REAL_MODE,
  'cache-datanode-hdd.yaml': reproduced(9),
  'cache-quota-tenants.yaml': reproduced(9),
  'cache-soft-affinity.yaml': reproduced(9),
  'cache-page-size.yaml': reproduced(9),
  'cache-tiered-storage.yaml': reproduced(9),
  'partition-aware-routing.yaml': reproduced(7),
  'cache-cluster-tiered.yaml': other('the cache inside the cluster under ADSS (issue 9); the seeds give no figure for this combination'),
  'cache-zipf-replay.yaml': other('the base of the miss-ratio curve (cache-miss-ratio.sweep.yaml), checked against libCacheSim, not a paper'),
};

/** The paper experiments the plan leaves out, with why. */
export function leftOutExperiments(): { scenario: string; issue: number; why: string }[] {
  return Object.entries(SCENARIO_COVERAGE).flatMap(([scenario, c]) => (c.kind === 'leftOut' ? [{ scenario, issue: c.issue, why: c.why }] : []));
}
