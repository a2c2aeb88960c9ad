// Pinot's partition functions (pinot-segment-spi `PartitionFunction`; table config
// `tableIndexConfig.segmentPartitionConfig.columnPartitionMap.<column>.functionName`): the partition a
// value of the partition column falls in. Segments record the partitions of the rows they hold
// (SegmentPartitionMetadata) and brokers prune by them (partition-pruner.ts; seed 003 section 4.4).
//   Murmur    (murmur2(UTF-8 bytes of the value's string form) & 0x7fffffff) % numPartitions: Kafka's
//             default partitioner, so offline data partitions as the realtime stream does.
//   Modulo    value % numPartitions for an integer value, made non-negative.
//   HashCode  abs(Java String.hashCode()) % numPartitions, with Kafka's abs (Integer.MIN_VALUE -> 0).

export const PARTITION_FUNCTIONS = ['Murmur', 'Modulo', 'HashCode'] as const;
export type PartitionFunctionName = (typeof PARTITION_FUNCTIONS)[number];

/** A partition column's function and number of partitions. */
export interface ColumnPartitionConfig {
  readonly column: string;
  readonly functionName: PartitionFunctionName;
  readonly numPartitions: number;
}

/** The partition of an integer value of the partition column. */
export function partitionOf(config: ColumnPartitionConfig, value: number): number {
  if (!Number.isSafeInteger(value)) throw new Error(`partition value ${value} is not an integer`);
  const n = config.numPartitions;
  switch (config.functionName) {
    case 'Modulo': {
      const remainder = value % n;
      return remainder < 0 ? remainder + n : remainder;
    }
    case 'Murmur':
      return (murmur2(utf8(String(value))) & 0x7fffffff) % n;
    case 'HashCode':
      return kafkaAbs(javaStringHashCode(String(value))) % n;
  }
}

/** Kafka's 32-bit murmur2 (org.apache.kafka.common.utils.Utils.murmur2, seed 0x9747b28c), as a signed int. */
export function murmur2(data: Uint8Array): number {
  const m = 0x5bd1e995;
  const length = data.length;
  let h = (0x9747b28c ^ length) | 0;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const tail = length & 3;
  if (tail === 3) h ^= data[whole + 2] << 16;
  if (tail >= 2) h ^= data[whole + 1] << 8;
  if (tail >= 1) {
    h ^= data[whole];
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** Java's String.hashCode over UTF-16 code units, as a signed int. */
function javaStringHashCode(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

/** Kafka's Utils.abs: |n|, with Integer.MIN_VALUE (whose |n| overflows) as 0. */
function kafkaAbs(n: number): number {
  return n === -0x80000000 ? 0 : Math.abs(n);
}

const encoder = new TextEncoder();

function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}
