// Records for the logs' tests, written positionally as the tests read best: a query in ticks, a
// series sample, an event.

import type { FinishedQuery } from '../../engine/broker/broker.js';
import { asBroker, asClass, asQuery, asServer } from '../../engine/ids.js';
import { ticksToMs } from '../scheduler/scheduler.js';
import type { EventKind, EventRecord } from './event-log.js';
import type { Outcome } from './query-log.js';
import type { SeriesRecord } from './series-log.js';

export function queryRow(
  queryId: number,
  classIndex: number,
  broker: number,
  arrivalTick: number,
  endTick: number,
  outcome: Outcome,
  servers: readonly number[],
): FinishedQuery {
  return {
    queryId: asQuery(queryId),
    classIndex: asClass(classIndex),
    broker: asBroker(broker),
    arrivalMs: ticksToMs(arrivalTick),
    endMs: ticksToMs(endTick),
    outcome,
    servers: servers.map(asServer),
    usage: { cpuNs: 0, allocatedBytes: 0 },
    segmentsMissing: 0,
    segmentsPruned: 0,
  };
}

export function seriesRow(
  tick: number,
  server: number,
  requestsReceived: number,
  requestsRejected: number,
  inFlight: number,
  queueDepth: number,
  busyThreads: number,
  paused: boolean,
  slow: boolean,
): SeriesRecord {
  return { tick, server, requestsReceived, requestsRejected, inFlight, queueDepth, busyThreads, paused, slow };
}

export function eventRow(tick: number, kind: EventKind, server: number, queryId: number, fault: number, detail: string): EventRecord {
  return { tick, kind, server, queryId, fault, detail };
}
