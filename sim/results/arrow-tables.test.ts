import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { EventLog } from '../metrics/event-log.js';
import { OUTCOMES, QueryLog } from '../metrics/query-log.js';
import { SeriesLog } from '../metrics/series-log.js';
import { eventsToArrow, queriesToArrow, seriesToArrow } from './arrow-tables.js';
import { EVENT_COLUMNS, QUERY_COLUMNS, SERIES_COLUMNS } from './results-reference.js';
import { eventRow, queryRow, seriesRow } from '../metrics/log-test-kit.js';

const CLASSES = ['dashboard', 'report'];
const SERVERS = ['Server_0', 'Server_1', 'Server_2'];

function queryLog(rows: number): QueryLog {
  const log = new QueryLog();
  for (let i = 0; i < rows; i++) {
    const servers = Array.from({ length: i % 4 }, (_, k) => (i + k) % SERVERS.length);
    log.add(queryRow(i, i % 2, i % 3, i * 7, i * 7 + (i % 101), OUTCOMES[i % OUTCOMES.length], servers));
  }
  return log;
}

function seriesLog(): SeriesLog {
  const log = new SeriesLog();
  log.add(seriesRow(1000, 0, 12, 1, 3, 4, 2, false, true));
  log.add(seriesRow(1000, 2, 9, 0, 0, 0, 0, true, false));
  return log;
}

function eventLog(): EventLog {
  const log = new EventLog();
  log.add(eventRow(20000, 'faultStart', 1, -1, 0, 'slow server'));
  log.add(eventRow(20015, 'rejection', 2, 123, -1, 'queue full'));
  log.add(eventRow(20020, 'timeout', -1, 124, -1, 'query timeout: ü'));
  return log;
}

describe('queries.arrow', () => {
  it('round-trips every column', () => {
    const table = tableFromIPC(queriesToArrow(queryLog(10), CLASSES));
    expect(table.schema.fields.map((f) => f.name)).toEqual(QUERY_COLUMNS.map((c) => c.name));
    expect(table.numRows).toBe(10);
    const row = table.get(5)!.toJSON();
    expect(row.queryId).toBe(5);
    expect(row.class).toBe('report');
    expect(row.broker).toBe(2);
    expect(row.arrivalMs).toBe(3.5);
    expect(row.endMs).toBe(4);
    expect(row.latencyMs).toBe(0.5);
    expect(row.outcome).toBe(OUTCOMES[0]);
    expect(Array.from(table.getChild('servers')!.get(3)!)).toEqual([0, 1, 2]);
    expect(table.getChild('servers')!.get(0)!.length).toBe(0);
    expect(Array.from(table.getChild('serverCount')!.toArray())).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 0, 1]);
    expect(String(table.schema.fields.find((f) => f.name === 'servers')!.type)).toBe('List<Uint16>');
  });

  it('writes an empty log as a table with no rows', () => {
    expect(tableFromIPC(queriesToArrow(new QueryLog(), CLASSES)).numRows).toBe(0);
  });

  it('writes every row of a large log', () => {
    const bytes = queriesToArrow(queryLog(100_000), CLASSES);
    expect(tableFromIPC(bytes).numRows).toBe(100_000);
  });
});

describe('series.arrow', () => {
  it('round-trips every column', () => {
    const table = tableFromIPC(seriesToArrow(seriesLog(), SERVERS));
    expect(table.schema.fields.map((f) => f.name)).toEqual(SERIES_COLUMNS.map((c) => c.name));
    expect(table.toArray().map((row) => row.toJSON())).toEqual([
      { tMs: 100, server: 'Server_0', requestsReceived: 12, requestsRejected: 1, inFlight: 3, queueDepth: 4, busyThreads: 2, paused: false, slow: true },
      { tMs: 100, server: 'Server_2', requestsReceived: 9, requestsRejected: 0, inFlight: 0, queueDepth: 0, busyThreads: 0, paused: true, slow: false },
    ]);
  });
});

describe('events.arrow', () => {
  it('round-trips every column, with nulls where the log has none', () => {
    const table = tableFromIPC(eventsToArrow(eventLog(), SERVERS));
    expect(table.schema.fields.map((f) => f.name)).toEqual(EVENT_COLUMNS.map((c) => c.name));
    expect(table.toArray().map((row) => row.toJSON())).toEqual([
      { tMs: 2000, kind: 'faultStart', server: 'Server_1', queryId: null, fault: 0, detail: 'slow server' },
      { tMs: 2001.5, kind: 'rejection', server: 'Server_2', queryId: 123n, fault: null, detail: 'queue full' },
      { tMs: 2002, kind: 'timeout', server: null, queryId: 124n, fault: null, detail: 'query timeout: ü' },
    ]);
  });
});

describe('determinism', () => {
  it('gives byte-identical files for the same logs', () => {
    expect(Buffer.from(queriesToArrow(queryLog(500), CLASSES)).equals(Buffer.from(queriesToArrow(queryLog(500), CLASSES)))).toBe(true);
    expect(Buffer.from(seriesToArrow(seriesLog(), SERVERS)).equals(Buffer.from(seriesToArrow(seriesLog(), SERVERS)))).toBe(true);
    expect(Buffer.from(eventsToArrow(eventLog(), SERVERS)).equals(Buffer.from(eventsToArrow(eventLog(), SERVERS)))).toBe(true);
  });
});
