// `twin rebalance FILE [--scale-out 50] [--strategy all] ...`: plans a scale-out of the scenario's
// cluster (more instances per replica group) and plays it against the scenario's traffic. It prints
// Pinot's dry-run figures (segments and bytes to move, servers gaining and losing, most segments added
// to one server, disk use during and after), then per strategy what the twin measured while the job
// ran: duration, p99 before and during the move, minimum serving replicas, segments unavailable, data
// missing. --export writes the plan as the sequence of ideal states (Helix ZNRecords) the job wrote.
// What moving a segment costs (size, bandwidths, index build, external-view lag) is the scenario's
// cluster.segmentLoading unless a flag says otherwise.

import { renameSync, writeFileSync } from 'node:fs';
import { compileScenario } from '../run/compile-scenario.js';
import { REBALANCE_STRATEGIES, playRebalance, type PlayResult, type RebalanceStrategy } from '../cluster/rebalance-play.js';
import { idealStateRecords } from '../cluster/ideal-state-export.js';
import { loadScenarioFileLocated } from '../scenario/load-scenario.js';
import { parseDurationMs, parseSizeBytes } from '../scenario/units.js';
import { UsageError } from './errors.js';
import type { PlacementSpec } from '../faults/cluster-fault-spec.js';
import type { SegmentLoaderSpec } from '../cluster/segment-loader.js';
import { Topology } from '../../engine/cluster/topology.js';
import { clusterBeforeScaleOut } from '../cluster/rebalance-play.js';

export interface RebalanceCommandOptions {
  readonly scaleOut: string;
  readonly strategy: string;
  readonly at: string;
  readonly segmentSize?: string;
  readonly serverBandwidth?: string;
  readonly totalBandwidth?: string;
  readonly indexBuild?: string;
  readonly evLag?: string;
  readonly killAt?: string;
  readonly restartAfter: string;
  readonly export?: string;
  readonly set: readonly string[];
}

/** A flag's value read with `parse`, a bad one reported as the flag's usage error. */
function readFlag<T>(flag: string, parse: (text: string) => T, text: string): T {
  try {
    return parse(text);
  } catch (error) {
    throw new UsageError(`${flag}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The segment size and loader of the move: the scenario's cluster.segmentLoading, each overridden by its flag when given. */
export function moveCosts(placement: PlacementSpec, options: RebalanceCommandOptions): { segmentSizeBytes: number; loader: SegmentLoaderSpec } {
  const flagOr = <T>(flag: string, text: string | undefined, parse: (text: string) => T, fallback: T): T =>
    text === undefined ? fallback : readFlag(flag, parse, text);
  const scenario = placement.loader;
  return {
    segmentSizeBytes: flagOr('--segment-size', options.segmentSize, parseSizeBytes, placement.segmentSizeBytes),
    loader: {
      serverBandwidthBytesPerSec: flagOr('--server-bandwidth', options.serverBandwidth, parseSizeBytes, scenario.serverBandwidthBytesPerSec),
      totalBandwidthBytesPerSec: flagOr('--total-bandwidth', options.totalBandwidth, parseSizeBytes, scenario.totalBandwidthBytesPerSec),
      indexBuildMs: flagOr('--index-build', options.indexBuild, parseDurationMs, scenario.indexBuildMs),
      externalViewLagMs: flagOr('--ev-lag', options.evLag, parseDurationMs, scenario.externalViewLagMs),
      pollMs: scenario.pollMs,
    },
  };
}

export function rebalanceCommand(file: string, options: RebalanceCommandOptions): void {
  const scenario = loadScenarioFileLocated(file, options.set).scenario;
  const base = compileScenario(scenario);
  const percent = Number(options.scaleOut);
  if (!Number.isFinite(percent) || percent <= 0 || percent > 1000) throw new UsageError(`--scale-out: expected a percentage above 0 and at most 1000, got "${options.scaleOut}"`);
  const strategies = options.strategy === 'all' ? [...REBALANCE_STRATEGIES] : [options.strategy];
  for (const strategy of strategies) {
    if (!(REBALANCE_STRATEGIES as readonly string[]).includes(strategy)) {
      throw new UsageError(`--strategy: expected all, ${REBALANCE_STRATEGIES.join(', ')}; got "${strategy}"`);
    }
  }
  const rowsBefore = base.topology.numInstancesPerReplicaGroup;
  const rowsAfter = Math.ceil(rowsBefore * (1 + percent / 100));
  const spec = { ...base, topology: { ...base.topology, numInstancesPerReplicaGroup: rowsAfter } };
  const startMs = readFlag('--at', parseDurationMs, options.at);
  const killAtMs = options.killAt === undefined ? null : readFlag('--kill-at', parseDurationMs, options.killAt);
  const { segmentSizeBytes, loader } = moveCosts(base.placement, options);
  if (startMs >= spec.durationMs) throw new UsageError(`--at ${options.at} is not before the end of the run (${scenario.duration})`);

  const results: PlayResult[] = strategies.map((strategy) =>
    playRebalance(spec, {
      strategy: strategy as RebalanceStrategy,
      rowsBefore,
      segmentSizeBytes,
      startMs,
      loader,
      killAtMs,
      restartDelayMs: readFlag('--restart-after', parseDurationMs, options.restartAfter),
      sampleMs: 1000,
    }),
  );
  const out = process.stdout;
  const summary = results[0].summary;
  const topology = new Topology(spec.topology);
  out.write(`Rebalance plan for ${scenario.name}: scale-out ${rowsBefore} -> ${rowsAfter} instances per replica group (${spec.topology.numReplicaGroups} groups, ${spec.topology.segments} segments of ${options.segmentSize ?? scenario.cluster.segmentLoading.segmentSize})\n`);
  out.write(
    `  moving a segment: ${gb(loader.serverBandwidthBytesPerSec)}/s per server, ${gb(loader.totalBandwidthBytesPerSec)}/s in total, index build ${loader.indexBuildMs} ms, external-view lag ${loader.externalViewLagMs} ms\n`,
  );
  out.write(`  segments to add ${summary.segmentsToAdd}, to drop ${summary.segmentsToDrop}, data to move ${gb(summary.bytesToMove)}\n`);
  out.write(`  servers gaining ${summary.serversGaining} (new ${summary.serversAdded}), losing ${summary.serversLosing}, most segments added to one server ${summary.maxSegmentsAddedToOneServer}\n`);
  out.write(`  disk per server: before ${gb(summary.maxDiskBytesBefore)}, during up to ${gb(summary.maxDiskBytesDuring)}, after ${gb(summary.maxDiskBytesAfter)}\n`);
  for (const warning of summary.warnings) out.write(`  warning: ${warning}\n`);
  out.write(`\nPlayed against the scenario's traffic from ${options.at}${killAtMs === null ? '' : `, job killed at ${options.killAt} and restarted ${options.restartAfter} later`}:\n`);
  const header = ['strategy', 'steps', 'duration', 'p99 before', 'p99 during', 'min serving', 'max unavailable', 'queries missing data', 'worst missing'];
  const rows = results.map((r) => [
    r.strategy,
    String(r.steps),
    r.doneAtMs === null ? 'not done' : `${((r.doneAtMs - startMs) / 1000).toFixed(1)} s`,
    `${r.p99BeforeMs.toFixed(1)} ms`,
    `${r.p99DuringMs.toFixed(1)} ms`,
    String(r.minServingReplicas),
    String(r.maxSegmentsUnavailable),
    `${r.queriesMissingData} / ${r.queriesDuring}`,
    `${(r.worstDataMissing * 100).toFixed(1)} %`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  for (const row of [header, ...rows]) out.write(`  ${row.map((cell, i) => cell.padEnd(widths[i])).join('  ')}\n`);

  if (options.export !== undefined) {
    const initial = clusterBeforeScaleOut(topology, rowsBefore, segmentSizeBytes);
    const records = idealStateRecords(initial, results[0].jobEvents, `${scenario.name}_OFFLINE`);
    const temporary = `${options.export}.tmp-${process.pid}`;
    writeFileSync(temporary, `${JSON.stringify(records, null, 1)}\n`);
    renameSync(temporary, options.export);
    out.write(`\n${records.length} ideal states (${results[0].strategy}) written to ${options.export}\n`);
  }
}

function gb(bytes: number): string {
  return `${(bytes / 1e9).toFixed(2)} GB`;
}
