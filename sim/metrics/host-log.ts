// One row per server per sampling interval for the cluster state (issue 7, "Results"): what each host
// was doing (serving, drained by a rebalance, down, downloading segments) and how many segments it
// held and served. Declared once in HOST_TABLE (see columnar-table.ts); written to hosts.arrow by
// runs with a zone drain or a rebalance.

import { ColumnarTable, integer, stored, type TableDecl, ticksAsMs } from './columnar-table.js';

/** A host's state at a sample, most severe first: down beats drained beats downloading. */
export const HOST_STATES = ['serving', 'downloading', 'draining', 'down', 'idle'] as const;
export type HostState = (typeof HOST_STATES)[number];

export const HOST_STATE_CODE: Readonly<Record<HostState, number>> = Object.fromEntries(
  HOST_STATES.map((name, code) => [name, code]),
) as Record<HostState, number>;

export interface HostRecord {
  tick: number;
  server: number;
  state: number;
  segmentsHeld: number;
  segmentsServing: number;
}

export const HOST_TABLE = {
  file: 'hosts.arrow',
  columns: {
    tMs: ticksAsMs((h) => h.tick, 'Time of the sample, in ms.'),
    server: stored('int32', (h) => h.server, { as: 'dictionary', names: 'servers' }, 'Server name.'),
    state: stored(
      'int8',
      (h) => h.state,
      { as: 'dictionary', names: HOST_STATES },
      'down: not running (zone drain); draining: its queries disabled by a rebalance step; downloading: loading segments the ideal state gave it; serving: takes queries for what it holds; idle: holds nothing.',
    ),
    segmentsHeld: integer('uint32', (h) => h.segmentsHeld, 'Segments the ideal state assigns to the server.'),
    segmentsServing: integer('uint32', (h) => h.segmentsServing, 'Segments brokers route to the server (ONLINE in ideal state and external view, server taking queries).'),
  },
} as const satisfies TableDecl<HostRecord>;

export class HostLog {
  readonly table = new ColumnarTable<HostRecord>(HOST_TABLE);

  add(record: HostRecord): void {
    this.table.add(record);
  }

  get length(): number {
    return this.table.length;
  }
}
