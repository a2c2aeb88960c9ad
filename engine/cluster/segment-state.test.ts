import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import {
  isServingState,
  NO_TRANSITION,
  nextReplicaState,
  REPLICA_CODE,
  REPLICA_EVENT_TYPES,
  REPLICA_STATES,
  reportedState,
  segmentReplicaMachine,
} from './segment-state.js';

describe('segment replica state machine', () => {
  it('follows Pinot: OFFLINE -> (load) -> ONLINE, CONSUMING -> ONLINE, drop from anywhere live', () => {
    let state = REPLICA_CODE.OFFLINE;
    state = nextReplicaState(state, 'load');
    expect(REPLICA_STATES[state]).toBe('loading');
    expect(reportedState(state)).toBe('OFFLINE');
    state = nextReplicaState(state, 'loaded');
    expect(reportedState(state)).toBe('ONLINE');
    expect(nextReplicaState(state, 'consume')).toBe(NO_TRANSITION);
    expect(REPLICA_STATES[nextReplicaState(state, 'unload')]).toBe('OFFLINE');
    expect(REPLICA_STATES[nextReplicaState(REPLICA_CODE.CONSUMING, 'commit')]).toBe('ONLINE');
    expect(REPLICA_STATES[nextReplicaState(REPLICA_CODE.ERROR, 'reset')]).toBe('OFFLINE');
    expect(nextReplicaState(REPLICA_CODE.ERROR, 'load')).toBe(NO_TRANSITION);
    for (const type of REPLICA_EVENT_TYPES) expect(nextReplicaState(REPLICA_CODE.DROPPED, type)).toBe(NO_TRANSITION);
  });

  it('the table agrees with a running xstate actor for every event sequence tried', () => {
    const sequences = [
      ['load', 'loaded', 'unload', 'consume', 'commit', 'drop'],
      ['consume', 'loadFailed', 'reset', 'load', 'drop', 'load'],
      ['load', 'loadFailed', 'load', 'reset', 'consume', 'unload'],
    ] as const;
    for (const events of sequences) {
      const actor = createActor(segmentReplicaMachine).start();
      let code = REPLICA_CODE.OFFLINE;
      for (const type of events) {
        actor.send({ type });
        const next = nextReplicaState(code, type);
        if (next !== NO_TRANSITION) code = next;
        expect(actor.getSnapshot().value).toBe(REPLICA_STATES[code]);
      }
      actor.stop();
    }
  });

  it('serves only ONLINE and CONSUMING', () => {
    expect(['OFFLINE', 'CONSUMING', 'ONLINE', 'DROPPED', 'ERROR'].filter((s) => isServingState(s as never))).toEqual(['CONSUMING', 'ONLINE']);
  });
});
