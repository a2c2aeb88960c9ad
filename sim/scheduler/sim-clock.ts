// The Clock port over simulated ticks. Timers fire in the Delivery phase of the first tick at or
// after their due time (a timer never fires early, so code that re-arms a timer until a deadline has
// passed always makes progress), in the order they were set. Its shape is the one xstate v5 accepts
// as `clock`, so machines' delayed transitions run on simulated time.

import type { TimerId } from '../../engine/ids.js';
import type { Clock } from '../../engine/ports.js';
import { durationTicks, Phase, type ScheduledEvent, type Scheduler, ticksToMs } from './scheduler.js';

export class SimClock implements Clock {
  constructor(private readonly scheduler: Scheduler) {}

  now(): number {
    return ticksToMs(this.scheduler.now);
  }

  setTimeout(fn: () => void, delayMs: number): TimerId {
    return this.scheduler.at(this.scheduler.now + durationTicks(delayMs), Phase.Delivery, fn) as unknown as TimerId;
  }

  clearTimeout(id: TimerId): void {
    if (id) this.scheduler.cancel(id as unknown as ScheduledEvent);
  }
}
