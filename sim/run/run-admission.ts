// Whether a loaded scenario may run on this machine (issue 5, "Refuse what cannot run"): its estimate
// against the memory this process may use, refused as bad input at the keys responsible, and the
// line a long run starts with. `twin run` and `twin validate` both apply it, so a scenario validate
// accepts is one run will start.

import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { estimateRun, formatBytes, refusals, roughCount, type MachineBudget, type RunEstimate } from './run-estimate.js';
import type { LoadedScenario } from '../scenario/load-scenario.js';
import { ScenarioError } from '../scenario/scenario-error.js';
import { pathText } from '../scenario/zod-issues.js';
import type { TableFormat } from '../sweep/sweep-directory.js';

/** Runs estimated to take longer than this start with a line saying roughly how long. */
const ANNOUNCE_AFTER_SECONDS = 30;

/** The memory a run may use here: the JavaScript heap's limit (the records live in it), within the machine's memory. */
export function machineBudget(): MachineBudget {
  return { memoryBytes: Math.min(getHeapStatistics().heap_size_limit, totalmem()) };
}

/** The scenario's estimate (its tables written in `format`); throws a ScenarioError at the responsible keys when it cannot run here. */
export function admitScenario(loaded: LoadedScenario, budget: MachineBudget = machineBudget(), format: TableFormat = 'arrow'): RunEstimate {
  const estimate = estimateRun(loaded.scenario, format);
  const refused = refusals(loaded.scenario, estimate, budget);
  if (refused.length === 0) return estimate;
  throw new ScenarioError(
    refused.flatMap((refusal) =>
      refusal.paths.map((path, index) =>
        loaded.locate(
          path,
          index === 0
            ? `${pathText(path)}: refused before running: ${refusal.message}; lower ${refusal.paths.map(pathText).join(' or ')}`
            : `${pathText(path)}: one of the keys behind the refusal above`,
        ),
      ),
    ),
  );
}

/** Roughly how long, for runs long enough to say so; undefined for short ones. */
export function durationNotice(estimate: RunEstimate): string | undefined {
  if (estimate.wallSeconds < ANNOUNCE_AFTER_SECONDS) return undefined;
  const minutes = estimate.wallSeconds / 60;
  const rough = minutes < 90 ? `${Math.max(1, Math.round(minutes))} minutes` : `${(minutes / 60).toFixed(1)} hours`;
  return `this run will take roughly ${rough} (about ${roughCount(estimate.arrivals)} queries, ${formatBytes(estimate.memoryBytes)} of memory); Ctrl-C stops it`;
}
