// The replay benchmark's trace (issue 9: cache-level replay at millions of requests a second): an
// oracleGeneral file of Zipf-popular objects (exponent 1, libCacheSim's usual synthetic skew) whose
// sizes come from the seed's read-size mixture scaled to whole objects (4 KiB to 1 MiB, log-uniform),
// one request per second of trace time per thousand requests. Drawn from one named seeded stream, so
// the same arguments write the same bytes.

import type { Rng } from '../../engine/ports.js';
import { SeededRngSource } from '../random/rng-source.js';
import { ZipfSampler } from '../cache/zipf-sampler.js';
import { OracleGeneralWriter } from './oracle-general.js';

export interface BenchTraceSpec {
  readonly requests: number;
  readonly objects: number;
  readonly zipfExponent: number;
  readonly seed: number;
}

const SMALLEST_OBJECT_BYTES = 4096;
const LARGEST_OBJECT_BYTES = 1_048_576;

/** Writes the trace to `path` (whole or not at all); returns the number of requests written. */
export function writeBenchTrace(path: string, spec: BenchTraceSpec): number {
  const rng = new SeededRngSource(spec.seed).stream('bench-trace');
  const zipf = new ZipfSampler(spec.objects, spec.zipfExponent);
  const sizes = objectSizes(spec.objects, rng);
  const writer = new OracleGeneralWriter(path);
  try {
    for (let i = 0; i < spec.requests; i++) {
      const object = zipf.draw(rng);
      writer.write(Math.floor(i / 1000), object + 1, sizes[object]!);
    }
    return writer.finish();
  } catch (error) {
    writer.abandon();
    throw error;
  }
}

function objectSizes(objects: number, rng: Rng): Uint32Array {
  const sizes = new Uint32Array(objects);
  const span = Math.log(LARGEST_OBJECT_BYTES / SMALLEST_OBJECT_BYTES);
  for (let i = 0; i < objects; i++) sizes[i] = Math.round(SMALLEST_OBJECT_BYTES * Math.exp(rng.next() * span));
  return sizes;
}
