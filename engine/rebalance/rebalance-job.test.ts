import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClusterState } from '../cluster/cluster-state.js';
import { asServer, type SegmentIndex, type ServerIndex, type TimerId } from '../ids.js';
import type { Clock } from '../ports.js';
import { LcgRng, ManualClock } from '../routing/test-doubles.js';
import { ImpactFreePlanner } from './impact-free-planner.js';
import { NaivePlanner } from './naive-planner.js';
import { PinotPlanner } from './pinot-planner.js';
import { RebalanceJob, REBALANCE_JOB_DEFAULTS, type RebalanceJobEvent } from './rebalance-job.js';
import { externalViewConverged, idealStateAtTarget, type RebalancePlanner, type TargetAssignment } from './rebalance-view.js';

/** A clock that runs a check after every timer, so an invariant is seen in every state the cluster passes. */
class CheckingClock implements Clock {
  constructor(
    private readonly inner: ManualClock,
    private readonly check: () => void,
  ) {}
  now(): number {
    return this.inner.now();
  }
  setTimeout(fn: () => void, delayMs: number): TimerId {
    return this.inner.setTimeout(() => {
      fn();
      this.check();
    }, delayMs);
  }
  clearTimeout(id: TimerId): void {
    this.inner.clearTimeout(id);
  }
}

interface World {
  readonly cluster: ClusterState;
  readonly target: TargetAssignment;
  readonly clock: CheckingClock;
  readonly manual: ManualClock;
  minServingSeen: number;
}

/**
 * Servers that load a segment the ideal state gives them, and drop one it takes away, each 100 ms
 * with probability 0.3: the external view lags the ideal state by a random time.
 */
function makeWorld(servers: number, segments: number, replicas: number, seed: number): World {
  const rng = new LcgRng(seed);
  const cluster = new ClusterState('t', replicas);
  for (let s = 0; s < servers; s++) cluster.addServer({ name: `s${s}`, zone: `z${s % 3}`, pool: 0 });
  const pick = (): ServerIndex[] => {
    const pool = Array.from({ length: servers }, (_, i) => asServer(i));
    return Array.from({ length: replicas }, () => pool.splice(Math.floor(rng.next() * pool.length), 1)[0]);
  };
  for (let s = 0; s < segments; s++) {
    const segment = cluster.addSegment({ name: `seg${s}`, sizeBytes: 1 });
    cluster.idealState.assign(segment, pick(), 'ONLINE');
  }
  cluster.settle();
  const target = Array.from({ length: segments }, pick);
  const manual = new ManualClock();
  const world: World = { cluster, target, manual, clock: undefined as never, minServingSeen: replicas };
  const clock = new CheckingClock(manual, () => {
    world.minServingSeen = Math.min(world.minServingSeen, cluster.routingTable().minServingReplicas());
  });
  (world as { clock: CheckingClock }).clock = clock;
  const lag = (): void => {
    for (let s = 0; s < segments; s++) {
      const segment = s as SegmentIndex;
      for (const [server, state] of cluster.idealState.instancesOf(segment)) {
        if (cluster.externalView.get(segment, server) !== state && rng.next() < 0.3) cluster.externalView.set(segment, server, state);
      }
      for (const server of [...cluster.externalView.instancesOf(segment).keys()]) {
        if (!cluster.idealState.instancesOf(segment).has(server) && rng.next() < 0.3) cluster.externalView.remove(segment, server);
      }
    }
    clock.setTimeout(lag, 100);
  };
  clock.setTimeout(lag, 100);
  return world;
}

function startJob(world: World, planner: RebalancePlanner, events: RebalanceJobEvent[] = []): RebalanceJob {
  const inFlightRng = new LcgRng(99);
  return new RebalanceJob({
    cluster: world.cluster,
    target: world.target,
    planner,
    clock: world.clock,
    host: { inFlightQueries: () => (inFlightRng.next() < 0.5 ? 1 : 0), onJobEvent: (event) => events.push(event) },
    options: { ...REBALANCE_JOB_DEFAULTS, checkIntervalMs: 250, noProgressTimeoutMs: 100_000 },
  }).start();
}

/** Runs until the job ends; a bound on simulated time makes "terminates" a checked claim. */
function runToEnd(world: World, job: RebalanceJob, limitMs = 1_000_000): void {
  while (!job.finished && world.manual.now() < limitMs) world.manual.advanceTo(world.manual.now() + 1000);
}

const planners: [string, () => RebalancePlanner][] = [
  ['impact-free', () => new ImpactFreePlanner()],
  ['Pinot stepwise', () => new PinotPlanner()],
  ['Pinot low-disk, batched', () => new PinotPlanner({ minAvailableReplicas: -1, lowDiskMode: true, batchSizePerServer: 2 })],
];

const shapeArb = fc.record({
  servers: fc.integer({ min: 3, max: 9 }),
  segments: fc.integer({ min: 1, max: 24 }),
  replicas: fc.integer({ min: 2, max: 3 }),
  seed: fc.nat(),
  stopAfterMs: fc.integer({ min: 0, max: 20_000 }),
});

describe.each(planners)('%s rebalance', (_, makePlanner) => {
  it('never drops a segment below R-1 serving replicas, terminates and ends exactly at the target', () => {
    fc.assert(
      fc.property(shapeArb, ({ servers, segments, replicas, seed }) => {
        fc.pre(replicas < servers);
        const world = makeWorld(servers, segments, replicas, seed);
        const events: RebalanceJobEvent[] = [];
        const job = startJob(world, makePlanner(), events);
        runToEnd(world, job);
        expect(job.state).toBe('done');
        expect(idealStateAtTarget(world.cluster, world.target)).toBe(true);
        expect(externalViewConverged(world.cluster)).toBe(true);
        expect(world.minServingSeen).toBeGreaterThanOrEqual(replicas - 1);
        expect(events.at(-1)?.kind).toBe('done');
      }),
      { numRuns: 60 },
    );
  });

  it('killed at any point and started again, resumes from the cluster state and ends the same way', () => {
    fc.assert(
      fc.property(shapeArb, ({ servers, segments, replicas, seed, stopAfterMs }) => {
        fc.pre(replicas < servers);
        const world = makeWorld(servers, segments, replicas, seed);
        const first = startJob(world, makePlanner());
        world.manual.advanceTo(stopAfterMs);
        first.stop();
        expect(first.finished).toBe(true);
        const second = startJob(world, makePlanner());
        runToEnd(world, second);
        expect(second.state).toBe('done');
        expect(idealStateAtTarget(world.cluster, world.target)).toBe(true);
        expect(world.minServingSeen).toBeGreaterThanOrEqual(replicas - 1);
        for (let s = 0; s < servers; s++) expect(world.cluster.isQueryable(asServer(s))).toBe(true);
        // Idempotent: started once more on the finished cluster, a job finds nothing to do and writes nothing.
        const idealVersion = world.cluster.idealState.version;
        const again: RebalanceJobEvent[] = [];
        runToEnd(world, startJob(world, makePlanner(), again));
        expect(again.map((event) => event.kind)).toEqual(['done']);
        expect(world.cluster.idealState.version).toBe(idealVersion);
      }),
      { numRuns: 60 },
    );
  });
});

describe('naive rebalance', () => {
  it('reaches the target in one step, and may leave segments with no serving replica meanwhile', () => {
    const world = makeWorld(6, 24, 2, 5);
    const events: RebalanceJobEvent[] = [];
    const job = startJob(world, new NaivePlanner(), events);
    runToEnd(world, job);
    expect(job.state).toBe('done');
    expect(events.filter((event) => event.kind === 'step')).toHaveLength(1);
    expect(idealStateAtTarget(world.cluster, world.target)).toBe(true);
    expect(world.minServingSeen).toBe(0);
  });
});
