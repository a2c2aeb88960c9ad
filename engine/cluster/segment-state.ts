// A segment replica's lifecycle: Pinot's Helix SegmentOnlineOfflineStateModel (seed 003 section 3.3.1,
// PINOT-REFERENCE.md "Segment states"). OFFLINE -> ONLINE (download, load) | CONSUMING (start a
// consumer); CONSUMING -> ONLINE (commit); ONLINE | CONSUMING -> OFFLINE (unload); any -> DROPPED;
// ERROR -> OFFLINE | DROPPED. A transition that takes time (download and load) passes through
// `loading`, which the server still reports as OFFLINE, as Helix keeps the current state until the
// transition handler returns.
//
// The machine is an xstate v5 definition. A cluster holds thousands of replicas, each changing state a
// handful of times per run, and an actor per replica costs a subscription and a mailbox each; so the
// definition's transitions are tabulated once from xstate's own `transition` function and replicas
// are small integers that step through the table (`nextReplicaState`). The table is the machine. It
// is made at the first transition, not as the module loads: a run whose segments never move (no
// loading, rebalance or churn) does not pay for xstate's 48 transitions (about 12 ms) at every start.

import { createMachine, initialTransition, transition } from 'xstate';

/** The states Helix records in a Pinot table's ideal state and external view. */
export const SEGMENT_STATES = ['OFFLINE', 'CONSUMING', 'ONLINE', 'DROPPED', 'ERROR'] as const;
export type SegmentState = (typeof SEGMENT_STATES)[number];

/** A replica's state as the server knows it: a Helix state, or a load still in progress. */
export const REPLICA_STATES = ['OFFLINE', 'loading', 'CONSUMING', 'ONLINE', 'DROPPED', 'ERROR'] as const;
export type ReplicaState = (typeof REPLICA_STATES)[number];

export type ReplicaEvent =
  | { readonly type: 'load' } // OFFLINE -> ONLINE requested: start downloading and loading
  | { readonly type: 'loaded' } // the load finished
  | { readonly type: 'loadFailed' }
  | { readonly type: 'consume' } // OFFLINE -> CONSUMING
  | { readonly type: 'commit' } // CONSUMING -> ONLINE
  | { readonly type: 'unload' } // ONLINE | CONSUMING -> OFFLINE
  | { readonly type: 'drop' } // -> DROPPED
  | { readonly type: 'reset' }; // ERROR -> OFFLINE

export type ReplicaEventType = ReplicaEvent['type'];
export const REPLICA_EVENT_TYPES: readonly ReplicaEventType[] = ['load', 'loaded', 'loadFailed', 'consume', 'commit', 'unload', 'drop', 'reset'];

export const segmentReplicaMachine = createMachine({
  types: {} as { events: ReplicaEvent },
  id: 'segmentReplica',
  initial: 'OFFLINE',
  states: {
    OFFLINE: { on: { load: 'loading', consume: 'CONSUMING', drop: 'DROPPED' } },
    loading: { on: { loaded: 'ONLINE', loadFailed: 'ERROR', drop: 'DROPPED' } },
    CONSUMING: { on: { commit: 'ONLINE', unload: 'OFFLINE', drop: 'DROPPED', loadFailed: 'ERROR' } },
    ONLINE: { on: { unload: 'OFFLINE', drop: 'DROPPED' } },
    ERROR: { on: { reset: 'OFFLINE', drop: 'DROPPED' } },
    DROPPED: { type: 'final' },
  },
});

/** A replica state as a small integer: its index in REPLICA_STATES. */
export type ReplicaStateCode = number;
export const REPLICA_CODE: Readonly<Record<ReplicaState, ReplicaStateCode>> = Object.fromEntries(
  REPLICA_STATES.map((state, code) => [state, code]),
) as Record<ReplicaState, ReplicaStateCode>;

/** No transition for this event from this state. */
export const NO_TRANSITION = -1;

/** next[stateCode * events + eventCode]: the next state code, or NO_TRANSITION; made at the first transition. */
let nextTable: Int8Array | null = null;

function tabulate(): Int8Array {
  const table = new Int8Array(REPLICA_STATES.length * REPLICA_EVENT_TYPES.length).fill(NO_TRANSITION);
  const [initial] = initialTransition(segmentReplicaMachine);
  for (let s = 0; s < REPLICA_STATES.length; s++) {
    const from = segmentReplicaMachine.resolveState({ ...initial, value: REPLICA_STATES[s] });
    REPLICA_EVENT_TYPES.forEach((type, e) => {
      const [next] = transition(segmentReplicaMachine, from, { type } as ReplicaEvent);
      if (next.value !== from.value) table[s * REPLICA_EVENT_TYPES.length + e] = REPLICA_CODE[next.value as ReplicaState];
    });
  }
  return table;
}

const EVENT_CODE: Readonly<Record<ReplicaEventType, number>> = Object.fromEntries(
  REPLICA_EVENT_TYPES.map((type, code) => [type, code]),
) as Record<ReplicaEventType, number>;

/** The state a replica moves to on an event, or NO_TRANSITION when the machine ignores it there. */
export function nextReplicaState(state: ReplicaStateCode, event: ReplicaEventType): ReplicaStateCode {
  nextTable ??= tabulate();
  return nextTable[state * REPLICA_EVENT_TYPES.length + EVENT_CODE[event]];
}

/** What the server reports to Helix for a replica: a load in progress is still OFFLINE. */
export function reportedState(state: ReplicaStateCode): SegmentState {
  const name = REPLICA_STATES[state];
  return name === 'loading' ? 'OFFLINE' : name;
}

/** Routing serves a replica whose state is ONLINE or CONSUMING (in the ideal state and the external view). */
export function isServingState(state: SegmentState | undefined): boolean {
  return state === 'ONLINE' || state === 'CONSUMING';
}

export function isSegmentState(value: string): value is SegmentState {
  return (SEGMENT_STATES as readonly string[]).includes(value);
}
