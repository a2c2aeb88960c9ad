// A rebalance job as an xstate v5 machine on the cluster's clock (DESIGN.md "Actors"; PINOT-REFERENCE.md
// "Rebalance"). Whatever the planner, a job loops: wait until the servers report what the ideal state
// asks (checked every externalViewCheckInterval, as Pinot checks every second), ask the planner for the
// next step from the current state, drain the step's hosts and wait for their in-flight queries, write
// the step into the ideal state, wait again for convergence, re-enable the drained hosts. No progress
// within the timeout fails the job, unless bestEfforts, which carries on. Because every step is
// recomputed from the cluster state, a job stopped anywhere and started again finishes the same way.

import { assign, createActor, setup, type Actor } from 'xstate';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { ServerIndex } from '../ids.js';
import type { Clock } from '../ports.js';
import { externalViewConverged, serverConverged, type RebalanceMove, type RebalancePlanner, type TargetAssignment } from './rebalance-view.js';

export interface RebalanceJobOptions {
  /** How often the job checks the external view and in-flight queries, in ms (Pinot: 1 s). */
  readonly checkIntervalMs: number;
  /** Fails the job when one wait lasts longer than this, in ms (Pinot: 1 h). */
  readonly noProgressTimeoutMs: number;
  /** Carry on past a wait that timed out instead of failing (Pinot's bestEfforts). */
  readonly bestEfforts: boolean;
  /** Bound on the steps of one job. */
  readonly maxSteps: number;
}

export const REBALANCE_JOB_DEFAULTS: RebalanceJobOptions = {
  checkIntervalMs: 1000,
  noProgressTimeoutMs: 3_600_000,
  bestEfforts: false,
  maxSteps: 100_000,
};

/** What a job needs from the runtime beyond the cluster state. */
export interface RebalanceHost {
  /** Queries a broker has sent to the server and not yet had answered. */
  inFlightQueries(server: ServerIndex): number;
  /** The job took a step, finished, failed or was stopped. */
  onJobEvent?(event: RebalanceJobEvent): void;
}

export type RebalanceJobEvent =
  | { readonly kind: 'step'; readonly atMs: number; readonly step: RebalanceMove }
  | { readonly kind: 'done' | 'failed' | 'stopped'; readonly atMs: number; readonly reason: string };

interface JobContext {
  readonly cluster: ClusterState;
  readonly target: TargetAssignment;
  readonly planner: RebalancePlanner;
  readonly clock: Clock;
  readonly host: RebalanceHost;
  readonly options: RebalanceJobOptions;
  step: RebalanceMove | null;
  waitSinceMs: number;
  steps: number;
  reason: string;
}

type JobInput = Omit<JobContext, 'step' | 'waitSinceMs' | 'steps' | 'reason'>;

const EMPTY_STEP: RebalanceMove = { kind: 'move', label: 'enable', drain: [], changes: [], enable: [] };

const rebalanceJob = setup({
  types: { context: {} as JobContext, input: {} as JobInput, events: {} as { type: 'stop' } },
  actions: {
    startWait: assign({ waitSinceMs: ({ context }) => context.clock.now() }),
    plan: assign(({ context }) => {
      if (context.steps >= context.options.maxSteps) return { step: null, reason: `more than ${context.options.maxSteps} steps` };
      const next = context.planner.nextStep(context.cluster, context.target);
      if (next.kind === 'move') return { step: next, steps: context.steps + 1 };
      return { step: null, reason: next.kind === 'done' ? 'at target' : next.reason };
    }),
    // The writes below are assign actions on purpose: xstate v5 runs custom actions after the whole
    // macrostep, so the guards of the eventless transitions that follow would not see them.
    drain: assign(({ context }) => {
      for (const server of context.step!.drain) context.cluster.setQueryable(server, false);
      return {};
    }),
    write: assign(({ context }) => {
      const step = context.step!;
      for (const { segment, servers } of step.changes) context.cluster.idealState.assign(segment, servers, 'ONLINE');
      context.host.onJobEvent?.({ kind: 'step', atMs: context.clock.now(), step });
      return {};
    }),
    enable: assign(({ context }) => {
      for (const server of context.step!.enable) context.cluster.setQueryable(server, true);
      return {};
    }),
    // Seed 004 Algorithm 4 re-enables each drained host once its own downloads are done, not when the
    // whole step is: a host that only drops segments serves again at once.
    enableConverged: assign(({ context }) => {
      for (const server of context.step!.enable) {
        if (!context.cluster.isQueryable(server) && serverConverged(context.cluster, server)) context.cluster.setQueryable(server, true);
      }
      return {};
    }),
    timedOut: assign({ reason: ({ context }) => `no progress for ${context.options.noProgressTimeoutMs} ms` }),
    reportDone: ({ context }) => context.host.onJobEvent?.({ kind: 'done', atMs: context.clock.now(), reason: context.reason }),
    reportFailed: ({ context }) => context.host.onJobEvent?.({ kind: 'failed', atMs: context.clock.now(), reason: context.reason }),
    reportStopped: ({ context }) => context.host.onJobEvent?.({ kind: 'stopped', atMs: context.clock.now(), reason: 'stopped' }),
  },
  guards: {
    converged: ({ context }) => externalViewConverged(context.cluster),
    drainedIdle: ({ context }) => context.step!.drain.every((server) => context.host.inFlightQueries(server) === 0),
    waitedTooLong: ({ context }) => context.clock.now() - context.waitSinceMs >= context.options.noProgressTimeoutMs,
    bestEfforts: ({ context }) => context.options.bestEfforts,
    atTarget: ({ context }) => context.step === null && context.reason === 'at target',
    noStep: ({ context }) => context.step === null,
  },
  delays: {
    checkInterval: ({ context }) => context.options.checkIntervalMs,
  },
}).createMachine({
  id: 'rebalanceJob',
  context: ({ input }) => ({ ...input, step: EMPTY_STEP, waitSinceMs: input.clock.now(), steps: 0, reason: '' }),
  initial: 'converging',
  on: { stop: '.stopped' },
  states: {
    converging: {
      entry: 'enableConverged',
      always: [
        { guard: 'converged', target: 'enabling' },
        { guard: 'waitedTooLong', target: 'givingUp' },
      ],
      after: { checkInterval: { target: 'converging', reenter: true } },
    },
    givingUp: {
      entry: 'timedOut',
      always: [{ guard: 'bestEfforts', target: 'enabling' }, { target: 'failed' }],
    },
    enabling: {
      entry: 'enable',
      always: 'planning',
    },
    planning: {
      entry: 'plan',
      always: [{ guard: 'atTarget', target: 'done' }, { guard: 'noStep', target: 'failed' }, { target: 'draining' }],
    },
    draining: {
      entry: ['drain', 'startWait'],
      initial: 'checking',
      states: {
        checking: {
          always: [
            { guard: 'drainedIdle', target: '#rebalanceJob.writing' },
            { guard: 'waitedTooLong', target: '#rebalanceJob.writing' },
          ],
          after: { checkInterval: { target: 'checking', reenter: true } },
        },
      },
    },
    writing: {
      entry: ['write', 'startWait'],
      always: 'converging',
    },
    done: { type: 'final', entry: 'reportDone' },
    failed: { type: 'final', entry: 'reportFailed' },
    stopped: { type: 'final', entry: 'reportStopped' },
  },
});

export type RebalanceJobState = 'converging' | 'givingUp' | 'enabling' | 'planning' | 'draining' | 'writing' | 'done' | 'failed' | 'stopped';

/** A running job: its state, and a way to kill it (the cluster keeps whatever it wrote). */
export class RebalanceJob {
  private readonly actor: Actor<typeof rebalanceJob>;

  constructor(input: JobInput) {
    this.actor = createActor(rebalanceJob, { input, clock: input.clock });
  }

  start(): this {
    this.actor.start();
    return this;
  }

  stop(): void {
    if (!this.finished) this.actor.send({ type: 'stop' });
  }

  get state(): RebalanceJobState {
    const value = this.actor.getSnapshot().value;
    return (typeof value === 'string' ? value : Object.keys(value)[0]) as RebalanceJobState;
  }

  get finished(): boolean {
    return this.actor.getSnapshot().status === 'done';
  }

  get stepsTaken(): number {
    return this.actor.getSnapshot().context.steps;
  }
}
