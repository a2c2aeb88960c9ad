// The Clock port over simulated ticks. Timers fire in the Delivery phase of their due tick, in the
// order they were set; a delay is rounded to the nearest tick. Its shape is the one xstate v5 accepts
// as `clock`, so machines' delayed transitions run on simulated time.

import type { TimerId } from '../../engine/ids.js';
import type { Clock } from '../../engine/ports.js';
import { msToTicks, Phase, type ScheduledEvent, type Scheduler, ticksToMs } from './scheduler.js';

export class SimClock implements Clock {
  constructor(private readonly scheduler: Scheduler) {}

  now(): number {
    return ticksToMs(this.scheduler.now);
  }

  setTimeout(fn: () => void, delayMs: number): TimerId {
    const delayTicks = Math.max(0, msToTicks(delayMs));
    return this.scheduler.at(this.scheduler.now + delayTicks, Phase.Delivery, fn) as unknown as TimerId;
  }

  clearTimeout(id: TimerId): void {
    if (id) this.scheduler.cancel(id as unknown as ScheduledEvent);
  }
}
