// Which tick's Server phase has begun, shared by all simulated executors of one scheduler (seed 004
// section 4.3, DESIGN.md "The discrete-time scheduler"). A submission or fault that arrives after the
// Server phase of tick t has begun (a zero-latency reaction to a completion) can no longer affect the
// threads' step at t, so both executors apply it from t+1. Each executor marks the tick whenever it
// acts in the Server phase (a literal step, a planned completion); a Server-phase event of another
// component that submits before any executor acted at that tick is not recognised.

import type { Scheduler, Tick } from '../scheduler/scheduler.js';

export interface ServerPhaseMark {
  /** The latest tick whose Server phase has begun, as far as executors have seen. */
  tick: Tick;
}

const marks = new WeakMap<Scheduler, ServerPhaseMark>();

export function serverPhaseMark(scheduler: Scheduler): ServerPhaseMark {
  let mark = marks.get(scheduler);
  if (mark === undefined) {
    mark = { tick: -1 };
    marks.set(scheduler, mark);
  }
  return mark;
}

/** The first tick whose Server phase has not begun: where a submission or a fault takes effect. */
export function effectiveTick(scheduler: Scheduler, mark: ServerPhaseMark): Tick {
  const now = scheduler.now;
  return mark.tick === now ? now + 1 : now;
}
