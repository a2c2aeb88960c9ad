// Tests of the brokers' statistics layout: a selection's candidates side by side, dense slots that
// grow for servers the order did not know.

import { describe, expect, it } from 'vitest';
import { asServer, type ServerIndex } from '../ids.js';
import { ServerSlots } from './server-slots.js';

const servers = (...indices: number[]): ServerIndex[] => indices.map(asServer);

describe('ServerSlots', () => {
  it('puts the servers of each unit side by side, then the servers no unit names', () => {
    // Two replica groups of three: mirror server sets {0, 3}, {1, 4}, {2, 5}; server 6 serves nothing.
    const slots = ServerSlots.inUnitOrder([servers(0, 3), servers(1, 4), servers(2, 5)], 7);
    expect([0, 3, 1, 4, 2, 5, 6].map((s) => slots.slotOf(asServer(s)))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(slots.size).toBe(7);
  });

  it('gives a server it did not know the next free slot, however high its index', () => {
    const slots = ServerSlots.inUnitOrder([servers(1, 0)], 2);
    expect(slots.slotOf(asServer(40))).toBe(2);
    expect(slots.slotOf(asServer(7))).toBe(3);
    expect(slots.slotOf(asServer(40))).toBe(2);
    expect(slots.slotOf(asServer(1))).toBe(0);
    expect(slots.size).toBe(4);
  });

  it('in order of first use by default', () => {
    const slots = new ServerSlots();
    expect(servers(9, 2, 9, 5).map((s) => slots.slotOf(s))).toEqual([0, 1, 0, 2]);
  });
});
