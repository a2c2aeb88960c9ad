// Writes a generated dataset as Arrow IPC files, one per segment, and reads them back: the real
// runtime's stand-in for segments a server downloads from the deep store (seed 003 section 3.3).
// Each file appears whole or not at all (written beside, then renamed). A segment read through a
// page cache is read by column: its layout says where each column's values lie in its file, as
// Pinot's index map does for the columns of a segment file.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import type { RngSource } from '../ports.js';
import { Segment } from '../query/segment.js';
import { generateSegment, segmentStreamName, segmentToIpc, type DatasetSpec } from '../query/segment-generator.js';
import { DIMENSION_NAMES, METRICS, SORTED_COLUMN } from '../query/table-schema.js';
import type { SegmentLayout } from './real-protocol.js';

/** Writes every segment of the dataset into `dir` and returns their paths by segment index. */
export function writeSegmentFiles(dir: string, spec: DatasetSpec, rngs: RngSource): string[] {
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (let i = 0; i < spec.segments; i++) {
    const path = join(dir, `segment-${i}.arrow`);
    writeFileSync(`${path}.partial`, segmentToIpc(generateSegment(spec, i, rngs.stream(segmentStreamName(i)))));
    renameSync(`${path}.partial`, path);
    paths.push(path);
  }
  return paths;
}

/** Loads the listed segment files, building their indexes. */
export function loadSegmentFiles(files: readonly (readonly [number, string])[]): Map<number, Segment> {
  return new Map(files.map(([segment, path]) => [segment, Segment.fromIpc(readFileSync(path))]));
}

/**
 * Where the int32 values of the sorted column, each dimension's dictionary codes and each metric lie
 * in a segment file: Arrow reads a file's buffers in place, so each column's values are a view of
 * the file's bytes at their offset.
 */
export function segmentLayout(path: string): SegmentLayout {
  const bytes = new Uint8Array(readFileSync(path));
  const table = tableFromIPC(bytes);
  const columns: Record<string, { offsetBytes: number; lengthBytes: number }> = {};
  for (const name of [SORTED_COLUMN, ...DIMENSION_NAMES, ...METRICS]) {
    const vector = table.getChild(name);
    if (vector === null || vector.data.length !== 1) throw new Error(`${path}: column ${name} is not one chunk`);
    const data = vector.data[0]!;
    const values = data.values as Int32Array;
    if (!(values instanceof Int32Array) || values.buffer !== bytes.buffer) throw new Error(`${path}: column ${name} is not int32 values in the file`);
    columns[name] = { offsetBytes: values.byteOffset + data.offset * 4, lengthBytes: data.length * 4 };
  }
  return { path, fileBytes: bytes.byteLength, columns };
}
