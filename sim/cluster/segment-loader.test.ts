import { describe, expect, it } from 'vitest';
import { ClusterState } from '../../engine/cluster/cluster-state.js';
import { asSegment, asServer } from '../../engine/ids.js';
import { ManualClock } from '../../engine/routing/test-doubles.js';
import { SegmentLoader } from './segment-loader.js';

/** Two servers, four segments of 100 MB, all on server 0. */
function setup(totalBandwidthBytesPerSec: number) {
  const cluster = new ClusterState('t', 1);
  cluster.addServer({ name: 'a', zone: 'z', pool: 0 });
  cluster.addServer({ name: 'b', zone: 'z', pool: 0 });
  for (let s = 0; s < 4; s++) cluster.idealState.assign(cluster.addSegment({ name: `s${s}`, sizeBytes: 100e6 }), [asServer(0)], 'ONLINE');
  cluster.settle();
  const clock = new ManualClock();
  const loader = new SegmentLoader(cluster, clock, {
    serverBandwidthBytesPerSec: 100e6,
    totalBandwidthBytesPerSec,
    indexBuildMs: 500,
    externalViewLagMs: 200,
    pollMs: 100,
  });
  loader.start();
  return { cluster, clock, loader };
}

describe('segment loader', () => {
  it('downloads one segment at a time per server, builds its index, then reports it after the lag', () => {
    const { cluster, clock, loader } = setup(1e9);
    cluster.idealState.assign(asSegment(0), [asServer(0), asServer(1)], 'ONLINE');
    cluster.idealState.assign(asSegment(1), [asServer(0), asServer(1)], 'ONLINE');
    // Seen at 100 ms; 100 MB at 100 MB/s ends at 1100 ms, the index at 1600 ms, the view at 1800 ms.
    clock.advanceTo(1799);
    expect(cluster.externalView.get(asSegment(0), asServer(1))).toBeUndefined();
    expect(loader.isDownloading(asServer(1))).toBe(true);
    clock.advanceTo(1800);
    expect(cluster.externalView.get(asSegment(0), asServer(1))).toBe('ONLINE');
    // The second segment starts after the first one's index build: 1600 + 1000 + 500 + 200.
    clock.advanceTo(3299);
    expect(cluster.externalView.get(asSegment(1), asServer(1))).toBeUndefined();
    clock.advanceTo(3300);
    expect(cluster.externalView.get(asSegment(1), asServer(1))).toBe('ONLINE');
    expect(loader.bytesDownloaded).toBe(200e6);
  });

  it('gives a download its share of the deep store bandwidth, fixed when it starts', () => {
    const { cluster, clock } = setup(100e6);
    const late = cluster.addSegment({ name: 'late', sizeBytes: 100e6 });
    cluster.idealState.assign(asSegment(0), [asServer(0), asServer(1)], 'ONLINE');
    cluster.idealState.assign(late, [asServer(0)], 'ONLINE');
    // At 100 ms server 1 starts segment 0 alone (100 MB/s, 1 s); server 0 then starts `late` with half
    // of the 100 MB/s the deep store gives in all (2 s): online at 100 + 2000 + 500 + 200 ms.
    clock.advanceTo(1800);
    expect(cluster.externalView.get(asSegment(0), asServer(1))).toBe('ONLINE');
    clock.advanceTo(2799);
    expect(cluster.externalView.get(late, asServer(0))).toBeUndefined();
    clock.advanceTo(2800);
    expect(cluster.externalView.get(late, asServer(0))).toBe('ONLINE');
  });

  it('drops a replica the ideal state no longer lists, after the lag', () => {
    const { cluster, clock } = setup(1e9);
    cluster.idealState.assign(asSegment(2), [], 'ONLINE');
    clock.advanceTo(299);
    expect(cluster.externalView.get(asSegment(2), asServer(0))).toBe('ONLINE');
    clock.advanceTo(300);
    expect(cluster.externalView.get(asSegment(2), asServer(0))).toBeUndefined();
  });
});
