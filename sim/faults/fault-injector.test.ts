// Faults driven by their lifecycle machines on the simulated clock: when each impairment starts and
// ends, what it does to the server's executor, and what it logs.
import { describe, expect, it } from 'vitest';
import { asServer } from '../../engine/ids.js';
import { EventLog } from '../metrics/event-log.js';
import { SeededRngSource } from '../random/rng-source.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { SimClock } from '../scheduler/sim-clock.js';
import { FaultInjector, type FaultSpec, type FaultTarget } from './fault-injector.js';

/** Records what the faults do to it, with the simulated time in ms. */
function recordingExecutor(clock: SimClock, calls: string[]): FaultTarget {
  return {
    setProgressProbability: (p: number) => calls.push(`${clock.now()} p=${p}`),
    pauseFor: (ticks: number) => calls.push(`${clock.now()} pause ${ticks} ticks`),
    stop: () => calls.push(`${clock.now()} stop`),
    restart: () => calls.push(`${clock.now()} restart`),
  } as unknown as FaultTarget;
}

function inject(faults: FaultSpec[], untilMs: number) {
  const scheduler = new Scheduler();
  const clock = new SimClock(scheduler);
  const calls: string[] = [];
  const events = new EventLog();
  const injector = new FaultInjector(clock, [recordingExecutor(clock, calls), recordingExecutor(clock, calls)], events);
  const rngs = new SeededRngSource(7);
  faults.forEach((fault, i) => injector.inject(fault, i, rngs.stream(`fault/${i}`)));
  scheduler.runUntil(untilMs * 10);
  const kinds = Array.from({ length: events.length }, (_, row) => events.kindOf(row));
  return { calls, impairments: injector.impairments, kinds };
}

const server = asServer(1);
const pause = (mode: 'once' | 'periodic' | 'random', extra: Partial<FaultSpec> = {}): FaultSpec =>
  ({ kind: 'gcPause', server, mode, startMs: 1000, endMs: 3000, pauseMs: 150, everyMs: 500, meanIntervalMs: 400, ...extra }) as FaultSpec;

describe('FaultInjector', () => {
  it('stops a server at its start and restarts it at its end, one impairment', () => {
    const { calls, impairments, kinds } = inject([{ kind: 'serverStop', server, startMs: 1000, endMs: 1800 }], 5000);
    expect(calls).toEqual(['1000 stop', '1800 restart']);
    expect(impairments).toEqual([{ fault: 0, server, startMs: 1000, endMs: 1800 }]);
    expect(kinds).toEqual(['faultStart', 'faultEnd']);
  });

  it('slows a server for its window, then restores it', () => {
    const { calls, impairments, kinds } = inject([{ kind: 'slowServer', server, startMs: 1000, endMs: 2500, progressProbability: 0.4 }], 5000);
    expect(calls).toEqual(['1000 p=0.4', '2500 p=1']);
    expect(impairments).toEqual([{ fault: 0, server, startMs: 1000, endMs: 2500 }]);
    expect(kinds).toEqual(['faultStart', 'faultEnd']);
  });

  it('runs overlapping slow faults at the lowest probability among those active', () => {
    const { calls } = inject(
      [
        { kind: 'slowServer', server, startMs: 1000, endMs: 3000, progressProbability: 0.5 },
        { kind: 'slowServer', server, startMs: 2000, endMs: 2500, progressProbability: 0.2 },
      ],
      5000,
    );
    expect(calls).toEqual(['1000 p=0.5', '2000 p=0.2', '2500 p=0.5', '3000 p=1']);
  });

  it('pauses once, periodically within the window, or at random', () => {
    expect(inject([pause('once')], 5000).calls).toEqual(['1000 pause 1500 ticks']);
    const periodic = inject([pause('periodic')], 5000);
    expect(periodic.calls).toEqual([1000, 1500, 2000, 2500].map((ms) => `${ms} pause 1500 ticks`));
    expect(periodic.kinds).toHaveLength(8);
    const random = inject([pause('random')], 5000);
    const starts = random.impairments.map((i) => i.startMs);
    expect(starts.length).toBeGreaterThan(1);
    expect(starts.every((ms) => ms >= 1000 && ms < 3000)).toBe(true);
    // Pauses never overlap: each starts after the previous one ended.
    for (let i = 1; i < starts.length; i++) expect(starts[i]).toBeGreaterThanOrEqual(starts[i - 1] + 150);
  });

  it('a pause shorter than a tick still lasts one tick', () => {
    expect(inject([pause('once', { pauseMs: 0.04 })], 2000).calls).toEqual(['1000 pause 1 ticks']);
  });

  it('gives a time-varying rate the base rate or the multiple each interval, one half each, aligned to intervals', () => {
    const fault: FaultSpec = { kind: 'timeVaryingRate', server, startMs: 1000, endMs: 41_000, intervalMs: 20, rateMultiple: 0.25 };
    const { calls, impairments } = inject([fault], 50_000);
    let slowMs = 0;
    for (const impairment of impairments) {
      expect((impairment.startMs - 1000) % 20).toBe(0);
      expect(impairment.startMs).toBeGreaterThanOrEqual(1000);
      expect(impairment.endMs).toBeLessThanOrEqual(41_000);
      slowMs += impairment.endMs - impairment.startMs;
    }
    // 2000 intervals, each slow with probability 1/2: 1000 ± 22 (sd) of them, so 20 000 ± 450 ms.
    expect(Math.abs(slowMs - 20_000)).toBeLessThan(2_000);
    // Consecutive slow intervals merge: a stretch is followed by at least one fast interval.
    for (let i = 1; i < impairments.length; i++) expect(impairments[i].startMs).toBeGreaterThanOrEqual(impairments[i - 1].endMs + 20);
    expect(calls.filter((call) => call.endsWith('p=0.25'))).toHaveLength(impairments.length);
    expect(calls.at(-1)!.endsWith('p=1')).toBe(true);
  });
});
