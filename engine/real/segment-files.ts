// Writes a generated dataset as Arrow IPC files, one per segment, and reads them back: the real
// runtime's stand-in for segments a server downloads from the deep store (seed 003 section 3.3).
// Each file appears whole or not at all (written beside, then renamed).

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RngSource } from '../ports.js';
import { Segment } from '../query/segment.js';
import { generateSegment, segmentStreamName, segmentToIpc, type DatasetSpec } from '../query/segment-generator.js';

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
