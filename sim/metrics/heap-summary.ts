// The summary's per-server heap figures (issue 8, "Heap and GC": the pauses reach the brokers' latency
// statistics and Adaptive Server Selection reacts to them): collections and pause time, and per load
// phase (the stretches between the times at which a class's query rate changes) the server's pause
// time and its share of its mirror set's requests, as a multiple of the fair share (1 / mirror set
// size): a server in a GC storm whose share falls below 1 is being routed around.

import { TICKS_PER_MS } from '../scheduler/scheduler.js';
import type { HeapLog } from './heap-log.js';
import { roundFigure } from './latency-stats.js';
import type { SeriesColumns } from './series-log.js';

export interface HeapPhase {
  startMs: number;
  endMs: number;
  /** Pause time of the server's collections in the phase, ms. */
  pauseMs: number;
  /** The server's share of its mirror set's requests in the phase, as a multiple of fair; null when unmeasurable. */
  requestShare: number | null;
}

export interface HeapServerSummary {
  server: string;
  minorCollections: number;
  majorCollections: number;
  pauseMs: number;
  phases: HeapPhase[];
}

export interface HeapSummaryInput {
  readonly serverNames: readonly string[];
  readonly mirrorSets: readonly (readonly number[])[];
  readonly heaps: HeapLog;
  readonly series: SeriesColumns;
  /** Phase boundaries in ms, ascending, from 0 to the run's end. */
  readonly phaseBoundsMs: readonly number[];
}

/** The load phases of a run: 0, every time at which a class's rate changes within the run, and its end. */
export function loadPhaseBounds(rateChangesMs: readonly number[], durationMs: number): number[] {
  return [...new Set([0, ...rateChangesMs.filter((at) => at > 0 && at < durationMs), durationMs])].sort((a, b) => a - b);
}

export function summarizeHeaps(input: HeapSummaryInput): HeapServerSummary[] {
  const phases = input.phaseBoundsMs.length - 1;
  const phaseOf = (tick: number): number => {
    const ms = tick / TICKS_PER_MS;
    let phase = 0;
    while (phase < phases - 1 && ms > input.phaseBoundsMs[phase + 1]) phase++;
    return phase;
  };
  const table = input.heaps.table;
  const tick = table.column('tMs');
  const server = table.column('server');
  const minor = table.column('minorCollections');
  const major = table.column('majorCollections');
  const pause = table.column('pauseMs');
  const totals = input.serverNames.map(() => ({ minor: 0, major: 0, pauseMs: new Float64Array(phases), seen: false }));
  for (let row = 0; row < tick.length; row++) {
    const total = totals[server[row]];
    total.seen = true;
    total.minor += minor[row];
    total.major += major[row];
    total.pauseMs[phaseOf(tick[row])] += pause[row];
  }
  const received = input.serverNames.map(() => new Float64Array(phases));
  const series = input.series;
  for (let row = 0; row < series.tick.length; row++) received[series.server[row]][phaseOf(series.tick[row])] += series.requestsReceived[row];
  return input.serverNames.flatMap((name, s) => {
    const total = totals[s];
    if (!total.seen) return [];
    const mirrorSet = input.mirrorSets.find((set) => set.includes(s));
    return [
      {
        server: name,
        minorCollections: total.minor,
        majorCollections: total.major,
        pauseMs: roundFigure(total.pauseMs.reduce((a, b) => a + b, 0)),
        phases: Array.from({ length: phases }, (_, p) => {
          const all = mirrorSet === undefined ? 0 : mirrorSet.reduce((sum, member) => sum + received[member][p], 0);
          return {
            startMs: input.phaseBoundsMs[p],
            endMs: input.phaseBoundsMs[p + 1],
            pauseMs: roundFigure(total.pauseMs[p]),
            requestShare: mirrorSet === undefined || mirrorSet.length < 2 || all === 0 ? null : roundFigure((received[s][p] / all) * mirrorSet.length),
          };
        }),
      },
    ];
  });
}
