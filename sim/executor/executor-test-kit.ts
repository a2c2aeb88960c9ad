// Test support for the simulated executors (seed 004 section 4.3): drives one server's pool through a
// schedule of submissions, pauses and progress-probability changes in either scheduler mode, and
// records completion ticks and what the pool reports at probe ticks.

import type { SlowdownMode } from './progress-draws.js';
import { asBroker, asClass, asQuery, asSegment, asServer } from '../../engine/ids.js';
import type { ServerTask } from '../../engine/ports.js';
import { SeededRngSource } from '../random/rng-source.js';
import { Phase, Scheduler, type SchedulerMode, type Tick } from '../scheduler/scheduler.js';
import { createExecutor, type SimulatedExecutor } from './simulated-executor.js';

export interface Submission {
  /** Submitted in the Delivery phase of this tick. */
  readonly tick: Tick;
  /** Work of each item, in ticks. */
  readonly work: readonly number[];
  /** Submitted when this task is done: synchronously from onTaskDone, or by a Delivery event at once. */
  readonly followUp?: { readonly work: readonly number[]; readonly how: 'sync' | 'delivery' };
}

export type Fault =
  | { readonly tick: Tick; readonly kind: 'pause'; readonly durationTicks: number }
  | { readonly tick: Tick; readonly kind: 'slow'; readonly p: number }
  | { readonly tick: Tick; readonly kind: 'cancel'; readonly task: number };

export interface Observation {
  readonly tick: Tick;
  readonly phase: 'delivery' | 'sample';
  readonly queueDepth: number;
  readonly busyThreads: number;
  readonly inFlight: number;
  readonly paused: boolean;
}

export interface PoolRun {
  /** Completion tick per task, tasks (follow-ups included) in the order they were submitted. */
  readonly doneTick: Tick[];
  readonly submitTick: Tick[];
  /** The service time each task reported, in ms. */
  readonly serviceMs: number[];
  /** onTaskDone calls per task. */
  readonly doneCalls: number[];
  readonly observations: Observation[];
  readonly executor: SimulatedExecutor;
  /** Per cancelled task, the CPU it had used when cancelled (its items are CPU-bound: 1e5 ns a tick). */
  readonly cancelledCpuNs: Map<number, number>;
  /** Every read issued, as "task/item@startTick", in the order issued. */
  readonly readsIssued: string[];
  /** The tick at which each read was issued (the scheduler's clock when the executor asked). */
  readonly readsIssuedAtTick: Tick[];
}

export interface PoolSetup {
  readonly mode: SchedulerMode;
  readonly threads: number;
  readonly submissions: readonly Submission[];
  readonly faults?: readonly Fault[];
  /** Ticks at which to observe the pool, in the Delivery phase (after that tick's submissions) and the Sample phase. */
  readonly probeTicks?: readonly Tick[];
  readonly seed?: number;
  readonly slowdown?: SlowdownMode;
  /** Read ticks of a task's item (by task number and item index); left out, items read nothing. */
  readonly reads?: (task: number, item: number) => number;
  readonly endTick: Tick;
}

export function taskOf(id: number, items: number): ServerTask {
  return {
    queryId: asQuery(id),
    classIndex: asClass(0),
    broker: asBroker(0),
    server: asServer(0),
    slot: 0,
    segments: Array.from({ length: items }, (_, i) => asSegment(i)),
  };
}

export function runPool(setup: PoolSetup): PoolRun {
  const scheduler = new Scheduler(setup.mode);
  const rng = new SeededRngSource(setup.seed ?? 1).stream('progress');
  const works: (readonly number[])[] = [];
  const followUps: (Submission['followUp'] | undefined)[] = [];
  const doneTick: Tick[] = [];
  const submitTick: Tick[] = [];
  const serviceMs: number[] = [];
  const doneCalls: number[] = [];
  const observations: Observation[] = [];
  const cancelledCpuNs = new Map<number, number>();
  const readsIssued: string[] = [];
  const readsIssuedAtTick: Tick[] = [];
  const reads = setup.reads;
  const submit = (work: readonly number[], followUp: Submission['followUp'] | undefined): void => {
    const id = works.length;
    works.push(work);
    followUps.push(followUp);
    doneTick.push(-1);
    doneCalls.push(0);
    submitTick.push(scheduler.now);
    executor.submit(taskOf(id, work.length));
  };
  const executor = createExecutor({
    scheduler,
    rng,
    threads: setup.threads,
    slowdown: setup.slowdown,
    workTicks: (task, i) => works[task.queryId][i],
    ...(reads === undefined
      ? {}
      : {
          itemReads: {
            readTicks: (task: ServerTask, i: number, startTick: Tick) => {
              readsIssued.push(`${task.queryId}/${i}@${startTick}`);
              readsIssuedAtTick.push(scheduler.now);
              return reads(task.queryId, i);
            },
          },
        }),
    sink: {
      onTaskDone: (task, serviceTimeMs) => {
        // Service time: from the task's first item starting to its last completing, so within the
        // time since submission, and at least the largest item's work.
        const sinceSubmitMs = (scheduler.now - submitTick[task.queryId]) / 10;
        const largestWorkMs = Math.max(...works[task.queryId]) / 10;
        if (!(serviceTimeMs <= sinceSubmitMs + 1e-9 && serviceTimeMs >= largestWorkMs - 1e-9)) {
          throw new Error(`task ${task.queryId}: service time ${serviceTimeMs} ms, not within [${largestWorkMs}, ${sinceSubmitMs}] ms`);
        }
        serviceMs[task.queryId] = serviceTimeMs;
        doneTick[task.queryId] = scheduler.now;
        doneCalls[task.queryId]++;
        const next = followUps[task.queryId];
        if (next === undefined) return;
        if (next.how === 'sync') submit(next.work, undefined);
        else scheduler.at(scheduler.now, Phase.Delivery, () => submit(next.work, undefined));
      },
    },
  });
  for (const s of setup.submissions) scheduler.at(s.tick, Phase.Delivery, () => submit(s.work, s.followUp));
  for (const f of setup.faults ?? []) {
    scheduler.at(f.tick, Phase.Delivery, () => {
      if (f.kind === 'pause') executor.pauseFor(f.durationTicks);
      else if (f.kind === 'slow') executor.setProgressProbability(f.p);
      else for (const c of executor.cancel(asQuery(f.task))) cancelledCpuNs.set(c.task.queryId, c.usage.cpuNs);
    });
  }
  const observe = (tick: Tick, phase: Observation['phase']) => (): void => {
    observations.push({
      tick,
      phase,
      queueDepth: executor.queueDepth(),
      busyThreads: executor.busyThreads(),
      inFlight: executor.inFlightTasks(),
      paused: executor.isPaused(),
    });
  };
  for (const tick of setup.probeTicks ?? []) {
    scheduler.at(tick, Phase.Delivery, observe(tick, 'delivery'));
    scheduler.at(tick, Phase.Sample, observe(tick, 'sample'));
  }
  scheduler.runUntil(setup.endTick);
  return { doneTick, submitTick, serviceMs, doneCalls, observations, executor, cancelledCpuNs, readsIssued, readsIssuedAtTick };
}
