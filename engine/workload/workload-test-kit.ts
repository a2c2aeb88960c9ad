// Test helpers shared by the workload-isolation tests.

import { asBroker, asClass, asQuery, asServer } from '../ids.js';
import type { ServerTask } from '../ports.js';

/** A server task of query `query` and class `cls` on server 0, from broker 0. */
export const serverTask = (query: number, cls: number): ServerTask => ({
  queryId: asQuery(query),
  classIndex: asClass(cls),
  broker: asBroker(0),
  server: asServer(0),
  slot: 0,
  segments: [],
});
