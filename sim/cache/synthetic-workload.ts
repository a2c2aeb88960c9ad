// A generated cache workload (seed 001 section 2.2), read as a trace: requests arrive as a Poisson
// process whose rate follows a daily sine (diurnal), pick a table by its share, a file by Zipf rank
// within the table, a block by Zipf rank within the file and a size from the read-size mixture; a
// file's partition follows its rank, so hot files share the first partitions. Periodic scans read
// whole files of one table front to back, interleaved in time with the regular reads. Every choice
// comes from the named stream it is handed.

import type { Rng } from '../../engine/ports.js';
import type { TraceReader, TraceRecord } from '../trace/trace-record.js';
import { type ReadSizeBand, ReadSizeMixture } from './read-size-mixture.js';
import { ZipfSampler } from './zipf-sampler.js';

export interface WorkloadTable {
  /** "schema.table". */
  readonly name: string;
  readonly files: number;
  readonly partitions: number;
  readonly fileSizeBytes: number;
  /** Relative share of the regular reads. */
  readonly share: number;
  readonly zipfExponent: number;
  readonly blockSizeBytes: number;
  readonly blockZipfExponent: number;
}

export interface WorkloadScan {
  readonly table: string;
  readonly startMs: number;
  readonly everyMs: number;
  readonly files: number;
  readonly readSizeBytes: number;
  readonly requestsPerSecond: number;
}

export interface SyntheticWorkloadSpec {
  readonly durationMs: number;
  readonly requestsPerSecond: number;
  /** Rate multiplier 1 + amplitude × cos(2π (t - peakMs) / periodMs): highest at peakMs. */
  readonly diurnal: { readonly amplitude: number; readonly periodMs: number; readonly peakMs: number };
  readonly tables: readonly WorkloadTable[];
  readonly readSizes: readonly ReadSizeBand[];
  readonly scans: readonly WorkloadScan[];
}

interface TableState {
  readonly spec: WorkloadTable;
  readonly firstFile: number;
  readonly firstScope: number;
  readonly files: ZipfSampler;
  readonly blocks: ZipfSampler;
  readonly blocksPerFile: number;
}

interface ScanState {
  readonly spec: WorkloadScan;
  readonly table: TableState;
  nextStartMs: number;
  /** Scan in progress: files left to read, the file being read and the next offset in it. */
  filesLeft: number;
  file: number;
  offsetBytes: number;
  nextMs: number;
}

export class SyntheticWorkload implements TraceReader {
  readonly scopeNames: string[] = [''];
  readonly knowsNextAccess = false;
  private readonly tables: TableState[] = [];
  private readonly tableShares: Float64Array;
  private readonly scans: ScanState[];
  private readonly sizes: ReadSizeMixture;
  private readonly peakRate: number;
  private nextRegularMs: number;

  constructor(
    private readonly spec: SyntheticWorkloadSpec,
    private readonly rng: Rng,
  ) {
    let firstFile = 0;
    let shareTotal = 0;
    this.tableShares = new Float64Array(spec.tables.length);
    spec.tables.forEach((table, i) => {
      const blocksPerFile = Math.max(1, Math.ceil(table.fileSizeBytes / table.blockSizeBytes));
      this.tables.push({
        spec: table,
        firstFile,
        firstScope: this.scopeNames.length,
        files: new ZipfSampler(table.files, table.zipfExponent),
        blocks: new ZipfSampler(blocksPerFile, table.blockZipfExponent),
        blocksPerFile,
      });
      for (let p = 0; p < table.partitions; p++) this.scopeNames.push(`${table.name}.p${p}`);
      firstFile += table.files;
      shareTotal += table.share;
      this.tableShares[i] = shareTotal;
    });
    for (let i = 0; i < this.tableShares.length; i++) this.tableShares[i]! /= shareTotal;
    this.scans = spec.scans.map((scan) => {
      const table = this.tables.find((t) => t.spec.name === scan.table);
      if (table === undefined) throw new RangeError(`scan of unknown table "${scan.table}"`);
      return { spec: scan, table, nextStartMs: scan.startMs, filesLeft: 0, file: 0, offsetBytes: 0, nextMs: Infinity };
    });
    this.sizes = new ReadSizeMixture(spec.readSizes);
    this.peakRate = spec.requestsPerSecond * (1 + spec.diurnal.amplitude);
    this.nextRegularMs = spec.requestsPerSecond > 0 ? this.regularAfter(0) : Infinity;
  }

  next(record: TraceRecord): boolean {
    let scan: ScanState | undefined;
    let atMs = this.nextRegularMs;
    for (const candidate of this.scans) {
      const due = this.scanDueMs(candidate);
      if (due < atMs) {
        atMs = due;
        scan = candidate;
      }
    }
    if (!(atMs < this.spec.durationMs)) return false;
    record.timeMs = atMs;
    record.nextAccessVtime = -1;
    if (scan === undefined) {
      this.fillRegular(record);
      this.nextRegularMs = this.regularAfter(atMs);
    } else this.fillScan(scan, record);
    return true;
  }

  close(): void {}

  /** Files in the whole workload (object ids are 0 .. totalFiles-1). */
  get totalFiles(): number {
    return this.spec.tables.reduce((sum, table) => sum + table.files, 0);
  }

  private fillRegular(record: TraceRecord): void {
    const u = this.rng.next();
    let t = 0;
    while (t < this.tables.length - 1 && u >= this.tableShares[t]!) t++;
    const table = this.tables[t]!;
    const rank = table.files.draw(this.rng);
    const fileSize = table.spec.fileSizeBytes;
    const size = Math.min(this.sizes.draw(this.rng), fileSize);
    const blockStart = table.blocks.draw(this.rng) * table.spec.blockSizeBytes;
    const latestStart = Math.min(fileSize - size, blockStart + table.spec.blockSizeBytes - 1);
    const from = Math.min(blockStart, latestStart);
    record.objectId = table.firstFile + rank;
    record.offsetBytes = from + Math.floor(this.rng.next() * (latestStart - from + 1));
    record.sizeBytes = size;
    record.objectLengthBytes = fileSize;
    record.scope = table.firstScope + this.partitionOf(table, rank);
  }

  private fillScan(scan: ScanState, record: TraceRecord): void {
    if (scan.filesLeft === 0) {
      scan.filesLeft = Math.min(scan.spec.files, scan.table.spec.files);
      scan.file = Math.floor(this.rng.next() * scan.table.spec.files);
      scan.offsetBytes = 0;
      scan.nextMs = scan.nextStartMs;
      scan.nextStartMs += scan.spec.everyMs;
    }
    const table = scan.table;
    const fileSize = table.spec.fileSizeBytes;
    record.objectId = table.firstFile + scan.file;
    record.offsetBytes = scan.offsetBytes;
    record.sizeBytes = Math.min(scan.spec.readSizeBytes, fileSize - scan.offsetBytes);
    record.objectLengthBytes = fileSize;
    record.scope = table.firstScope + this.partitionOf(table, scan.file);
    scan.offsetBytes += record.sizeBytes;
    scan.nextMs += 1000 / scan.spec.requestsPerSecond;
    if (scan.offsetBytes >= fileSize) {
      scan.offsetBytes = 0;
      scan.file = (scan.file + 1) % table.spec.files;
      scan.filesLeft--;
      // A scan still running when the next is due simply continues; the next starts after it.
      if (scan.filesLeft === 0 && scan.nextStartMs < scan.nextMs) scan.nextStartMs = scan.nextMs;
    }
  }

  private scanDueMs(scan: ScanState): number {
    return scan.filesLeft > 0 ? scan.nextMs : scan.nextStartMs;
  }

  private partitionOf(table: TableState, rank: number): number {
    return Math.floor((rank * table.spec.partitions) / table.spec.files);
  }

  /** The next regular arrival after `fromMs`: Poisson at the peak rate, thinned to the diurnal rate. */
  private regularAfter(fromMs: number): number {
    const { amplitude, periodMs, peakMs } = this.spec.diurnal;
    let at = fromMs;
    // Acceptance is at least (1 - a) / (1 + a) per candidate; the bound only guards a = 1 troughs.
    for (let candidate = 0; candidate < 1_000_000; candidate++) {
      at += (-Math.log(1 - this.rng.next()) * 1000) / this.peakRate;
      if (at >= this.spec.durationMs) return Infinity;
      const rate = 1 + amplitude * Math.cos((2 * Math.PI * (at - peakMs)) / periodMs);
      if (this.rng.next() * (1 + amplitude) < rate) return at;
    }
    return Infinity;
  }
}
