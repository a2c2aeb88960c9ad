// Branded identifiers of the cluster's entities, so that a server index can never be passed where a
// broker index or a query id is expected. All are dense integers: arrays indexed by them are the
// fast layout the brokers' per-server statistics need (DESIGN.md, "The discrete-time scheduler").

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Position of a server in the cluster, 0 .. servers-1 (replica group major). */
export type ServerIndex = Brand<number, 'ServerIndex'>;
/** Position of a broker, 0 .. brokers-1. */
export type BrokerIndex = Brand<number, 'BrokerIndex'>;
/** Position of a segment in its table, 0 .. segments-1. */
export type SegmentIndex = Brand<number, 'SegmentIndex'>;
/** Position of a query class in the scenario's workload. */
export type ClassIndex = Brand<number, 'ClassIndex'>;
/** Query id, unique within a run, in arrival order from 0. */
export type QueryId = Brand<number, 'QueryId'>;
/** Opaque handle of a timer handed out by a Clock (a simulated event, or a Node.js timeout). */
export type TimerId = { readonly [brand]: 'TimerId' };

export const asServer = (n: number) => n as ServerIndex;
export const asBroker = (n: number) => n as BrokerIndex;
export const asSegment = (n: number) => n as SegmentIndex;
export const asClass = (n: number) => n as ClassIndex;
export const asQuery = (n: number) => n as QueryId;
