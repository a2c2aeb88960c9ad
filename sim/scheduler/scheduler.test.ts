import { createActor, createMachine } from 'xstate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Phase, Scheduler } from './scheduler.js';
import { SimClock } from './sim-clock.js';

describe('Scheduler', () => {
  it('runs events by tick, then phase, then scheduling order', () => {
    const scheduler = new Scheduler();
    const order: string[] = [];
    scheduler.at(5, Phase.Sample, () => order.push('5 sample'));
    scheduler.at(5, Phase.Delivery, () => order.push('5 delivery a'));
    scheduler.at(5, Phase.Arrival, () => order.push('5 arrival'));
    scheduler.at(5, Phase.Delivery, () => order.push('5 delivery b'));
    scheduler.at(2, Phase.Server, () => order.push('2 server'));
    scheduler.runUntil(10);
    expect(order).toEqual(['2 server', '5 arrival', '5 delivery a', '5 delivery b', '5 sample']);
    expect(scheduler.now).toBe(10);
  });

  it('runs a zero-latency delivery sent from the server phase before the next server event', () => {
    const scheduler = new Scheduler();
    const order: string[] = [];
    scheduler.at(3, Phase.Server, () => {
      order.push('completion 1');
      scheduler.at(3, Phase.Delivery, () => order.push('reply 1'));
    });
    scheduler.at(3, Phase.Server, () => order.push('completion 2'));
    scheduler.runUntil(3);
    expect(order).toEqual(['completion 1', 'reply 1', 'completion 2']);
  });

  it('never runs a cancelled event and refuses to schedule in the past', () => {
    const scheduler = new Scheduler();
    let ran = false;
    const event = scheduler.at(4, Phase.Delivery, () => (ran = true));
    scheduler.cancel(event);
    scheduler.runUntil(10);
    expect(ran).toBe(false);
    expect(() => scheduler.at(9, Phase.Delivery, () => {})).toThrow(/past/);
  });

  it('fast and literal modes run the same events in the same order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(200), fc.integer({ min: 0, max: 3 })), { maxLength: 60 }), (plan) => {
        const trace = (mode: 'fast' | 'literal') => {
          const scheduler = new Scheduler(mode);
          const seen: string[] = [];
          plan.forEach(([tick, phase], i) => scheduler.at(tick, phase, () => seen.push(`${scheduler.now}:${i}`)));
          scheduler.runUntil(250);
          return seen;
        };
        expect(trace('literal')).toEqual(trace('fast'));
      }),
    );
  });

  it('calls steppers once per tick in literal mode, after deliveries and before sampling', () => {
    const scheduler = new Scheduler('literal');
    const order: string[] = [];
    scheduler.addStepper({ step: (tick) => tick < 2 && order.push(`step ${tick}`) });
    scheduler.at(1, Phase.Sample, () => order.push('sample 1'));
    scheduler.at(1, Phase.Delivery, () => order.push('delivery 1'));
    scheduler.runUntil(3);
    expect(order).toEqual(['step 0', 'delivery 1', 'step 1', 'sample 1']);
  });
});

describe('SimClock', () => {
  it('reads simulated time in ms and fires a timer at the first 0.1 ms tick at or after its due time', () => {
    const scheduler = new Scheduler();
    const clock = new SimClock(scheduler);
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 2.54);
    clock.setTimeout(() => fired.push(clock.now()), 0.3);
    clock.setTimeout(() => fired.push(clock.now()), 0.01);
    const cancelled = clock.setTimeout(() => fired.push(-1), 1);
    clock.clearTimeout(cancelled);
    scheduler.runUntil(100);
    expect(fired).toEqual([0.1, 0.3, 2.6]);
    expect(clock.now()).toBe(10);
  });

  it("drives xstate's delayed transitions on simulated time", () => {
    const scheduler = new Scheduler();
    const clock = new SimClock(scheduler);
    const machine = createMachine({
      initial: 'idle',
      states: { idle: { after: { 1500: 'paused' } }, paused: { after: { 200: 'done' } }, done: { type: 'final' } },
    });
    const actor = createActor(machine, { clock }).start();
    scheduler.runUntil(14_999);
    expect(actor.getSnapshot().value).toBe('idle');
    scheduler.runUntil(15_000);
    expect(actor.getSnapshot().value).toBe('paused');
    scheduler.runUntil(17_000);
    expect(actor.getSnapshot().status).toBe('done');
  });
});
