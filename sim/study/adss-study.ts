// The twin's version of seed 004 section 4.3's simulation study (Table 2): every workload profile run
// once per selector, with the same seed, so every selector sees identical arrivals and costs; plus the
// softmax-versus-hybrid comparison and the replica-group degradation figure of section 4.4.

import type { SelectorKind } from '../../engine/routing/server-selector.js';
import type { Summary } from '../metrics/summary.js';
import { loadScenarioFile } from '../scenario/load-scenario.js';
import { shippedScenario } from '../scenario/shipped-scenarios.js';
import { runScenario } from '../run/run-scenario.js';

export const STUDY_PROFILES = [
  { file: shippedScenario('adss-1500qps.yaml'), label: '1500 QPS @ 1.35 ms' },
  { file: shippedScenario('adss-300qps.yaml'), label: '300 QPS @ 20 ms' },
  { file: shippedScenario('adss-30qps.yaml'), label: '30 QPS @ 200 ms' },
  { file: shippedScenario('adss-6000qps.yaml'), label: '6000 QPS @ 1 ms' },
  { file: shippedScenario('adss-hybrid-workload.yaml'), label: 'hybrid 3-tier' },
] as const;

export const STUDY_SELECTORS: readonly SelectorKind[] = ['round-robin', 'in-flight', 'latency-ema', 'hybrid', 'softmax', 'c3', 'random'];

export const REPLICA_GROUP_FILE = shippedScenario('replica-group-r3.yaml');
export const COLD_START_FILE = shippedScenario('cold-start-slow-server.yaml');

/** The figures of one run that the study reports. */
export interface StudyCell {
  readonly profile: string;
  readonly selector: SelectorKind;
  readonly diversionMs: number | null;
  readonly recoveryMs: number | null;
  /** The slow server's share of its mirror set's requests during the fault, as a multiple of fair. */
  readonly shareDuringFault: number | null;
  readonly oscillation: number | null;
  readonly degradedFraction: number | null;
  readonly p99DuringFaultMs: number | null;
  readonly p99Ms: number | null;
}

export interface StudyResults {
  readonly cells: readonly StudyCell[];
  readonly replicaGroup: { readonly withoutAdss: StudyCell; readonly withAdss: StudyCell };
  readonly coldStart: { readonly withoutPrior: StudyCell; readonly withPrior: StudyCell };
  /** C3 with its cubic rate control, per profile. */
  readonly rateControl: readonly StudyCell[];
  /** The three-tier workload with statistics per server (Pinot) and per class and server (seed 004). */
  readonly statsScope: readonly { readonly selector: SelectorKind; readonly perServer: StudyCell; readonly perClass: StudyCell }[];
}

export const THREE_TIER_FILE = shippedScenario('adss-hybrid-workload.yaml');

/** Runs the whole study; `onRun` hears of each run as it starts. */
export function runAdssStudy(onRun: (label: string) => void = () => {}): StudyResults {
  const cells: StudyCell[] = [];
  for (const profile of STUDY_PROFILES) {
    for (const selector of STUDY_SELECTORS) {
      onRun(`${profile.label} / ${selector}`);
      cells.push(runCell(profile.file, profile.label, selector));
    }
  }
  onRun('replica groups, R = 3');
  const withoutAdss = runCell(REPLICA_GROUP_FILE, 'replica groups R=3', 'round-robin');
  const withAdss = runCell(REPLICA_GROUP_FILE, 'replica groups R=3', 'hybrid');
  onRun('cold start with a slow server');
  const withoutPrior = runCell(COLD_START_FILE, 'cold start', 'hybrid', ['routing.adaptive.latencyPrior=0ms']);
  const withPrior = runCell(COLD_START_FILE, 'cold start', 'hybrid', ['routing.adaptive.latencyPrior=1ms']);
  const statsScope = (['hybrid', 'softmax'] as const).map((selector) => {
    onRun(`three tiers, statistics per class / ${selector}`);
    return {
      selector,
      perServer: runCell(THREE_TIER_FILE, 'hybrid 3-tier', selector, ['routing.statsScope=server']),
      perClass: runCell(THREE_TIER_FILE, 'hybrid 3-tier', selector, ['routing.statsScope=classAndServer']),
    };
  });
  const rateControl = STUDY_PROFILES.map((profile) => {
    onRun(`${profile.label} / c3 with rate control`);
    return runCell(profile.file, profile.label, 'c3', ['routing.c3.rateControl=true']);
  });
  return { cells, replicaGroup: { withoutAdss, withAdss }, coldStart: { withoutPrior, withPrior }, rateControl, statsScope };
}

function runCell(file: string, profile: string, selector: SelectorKind, overrides: readonly string[] = []): StudyCell {
  const scenario = loadScenarioFile(file, [`routing.selector=${selector}`, ...overrides]);
  return cellOf(profile, selector, runScenario(scenario).summary);
}

export function cellOf(profile: string, selector: SelectorKind, summary: Summary): StudyCell {
  const adss = summary.adss;
  return {
    profile,
    selector,
    diversionMs: adss.diversionMs,
    recoveryMs: adss.recoveryMs,
    shareDuringFault: adss.faults[0]?.shareDuringFault ?? null,
    oscillation: adss.oscillation,
    degradedFraction: adss.degradedFraction,
    p99DuringFaultMs: adss.tailLatencyDuringFaultMs,
    p99Ms: summary.latencyMs.all.p99,
  };
}
