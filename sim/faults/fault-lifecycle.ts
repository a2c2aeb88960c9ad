// The lifecycle of an injected fault as an xstate v5 machine running on the simulated clock
// (DESIGN.md "Actors": lifecycles are state machines; their delayed transitions run on the Clock
// port). One machine serves every fault kind: it waits until the next impairment starts, stays
// impaired for its length, and repeats until the fault's schedule has no further impairment.
//   slow server:           one impairment, [start, end)
//   GC pause, once:        one impairment, [start, start + pause)
//   GC pause, periodic:    an impairment every `every` from start until end
//   GC pause, random:      impairments with exponential gaps of mean `meanInterval` until end

import { assign, createActor, setup } from 'xstate';
import type { Clock } from '../../engine/ports.js';

/** What the machine drives: the fault's schedule and its effect on the server. */
export interface FaultHooks {
  /** Start of the next impairment at or after `fromMs` and its length, or null when there is none. */
  nextImpairment(fromMs: number): { readonly startMs: number; readonly lengthMs: number } | null;
  beginImpairment(lengthMs: number): void;
  endImpairment(): void;
}

interface LifecycleContext {
  readonly hooks: FaultHooks;
  readonly clock: Clock;
  nextStartMs: number;
  lengthMs: number;
  done: boolean;
}

const faultLifecycle = setup({
  types: {
    context: {} as LifecycleContext,
    input: {} as { hooks: FaultHooks; clock: Clock },
  },
  actions: {
    planNext: assign(({ context }) => {
      const next = context.hooks.nextImpairment(context.clock.now());
      return next === null
        ? { done: true }
        : { nextStartMs: next.startMs, lengthMs: next.lengthMs, done: false };
    }),
    begin: ({ context }) => context.hooks.beginImpairment(context.lengthMs),
    end: ({ context }) => context.hooks.endImpairment(),
  },
  guards: {
    noMoreImpairments: ({ context }) => context.done,
  },
  delays: {
    untilStart: ({ context }) => Math.max(0, context.nextStartMs - context.clock.now()),
    impairmentLength: ({ context }) => context.lengthMs,
  },
}).createMachine({
  id: 'faultLifecycle',
  context: ({ input }) => ({ hooks: input.hooks, clock: input.clock, nextStartMs: 0, lengthMs: 0, done: false }),
  initial: 'waiting',
  states: {
    waiting: {
      entry: 'planNext',
      always: { guard: 'noMoreImpairments', target: 'over' },
      after: { untilStart: 'impaired' },
    },
    impaired: {
      entry: 'begin',
      exit: 'end',
      after: { impairmentLength: 'waiting' },
    },
    over: { type: 'final' },
  },
});

/** Starts a fault's lifecycle on the given clock. */
export function startFaultLifecycle(hooks: FaultHooks, clock: Clock): void {
  createActor(faultLifecycle, { input: { hooks, clock }, clock }).start();
}
