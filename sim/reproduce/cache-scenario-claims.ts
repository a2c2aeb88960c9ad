// The local cache's field results and design lessons as claims of the reproduction, from the variants of
// cache scenarios: Meta's Presto local cache (seed 001 section 6.1.4: remote bytes -57 %, P50 -33 %,
// P95 -49 %; scenarios/cache-soft-affinity.sweep.yaml, the cache under soft affinity as deployed against
// every read going remote), the page-size trade-off (section 7: larger pages, fewer remote requests,
// more read amplification; scenarios/cache-page-size.sweep.yaml, as rank correlations over the six page
// sizes) and tiered storage's sub-second P99 with selective fetch, pipelining and pinning against lazy
// loading (seed 000; scenarios/cache-tiered-storage.sweep.yaml).

import { parseSizeBytes } from '../scenario/units.js';
import type { FinishedCell } from '../sweep/sweep-cells.js';
import { estimate } from '../study/confidence.js';
import { cacheVariant, estimateText, ms, percent, rangeClaim, SEED_000, SEED_001, type ClaimResult, type RangeClaimSpec, type SweepCellsByKey } from './claim-kit.js';

/** 1 - with / without of a figure of two variants of a cell; null when either is missing or `without` is zero. */
export function cut(cell: FinishedCell, figure: string, withVariant: string, withoutVariant: string): number | null {
  const a = cacheVariant(cell, withVariant)?.[figure];
  const b = cacheVariant(cell, withoutVariant)?.[figure];
  if (a === undefined || b === undefined || Number(b) === 0) return null;
  return 1 - Number(a) / Number(b);
}

/** Spearman's rank correlation of two equally long lists (ties get their mean rank); null below two points or without spread. */
export function rankCorrelation(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length !== ys.length || xs.length < 2) return null;
  const ranks = (values: readonly number[]) => {
    const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
    const rank = new Array<number>(values.length);
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
      for (let k = i; k <= j; k++) rank[order[k][1]] = (i + j) / 2 + 1;
      i = j + 1;
    }
    return rank;
  };
  const rx = ranks(xs);
  const ry = ranks(ys);
  const mean = (xs.length + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (rx[i] - mean) * (ry[i] - mean);
    sxx += (rx[i] - mean) ** 2;
    syy += (ry[i] - mean) ** 2;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

/** The page size of a `page-<size>` variant (cache-page-size.yaml names them so); null for any other name. */
function pageSizeOf(variant: string): number | null {
  const match = /^page-(.+)$/.exec(variant);
  if (match === null) return null;
  try {
    return parseSizeBytes(match[1]);
  } catch {
    return null;
  }
}

/** Rank correlation of a figure with the page size over a cell's page-size variants. */
export function pageSizeCorrelation(cell: FinishedCell, figure: string): number | null {
  const variants = (cell.summary as { variants?: Record<string, Record<string, number | string>> }).variants ?? {};
  const points = Object.entries(variants)
    .map(([name, summary]) => ({ size: pageSizeOf(name), value: summary[figure] }))
    .filter((p): p is { size: number; value: number } => p.size !== null && typeof p.value === 'number');
  return rankCorrelation(
    points.map((p) => p.size),
    points.map((p) => p.value),
  );
}

function prestoCacheClaims(cells: readonly FinishedCell[]): ClaimResult[] {
  const source = { ...SEED_001, section: '6.1.4' };
  const spec = (id: string, claim: string, paper: string, range: { low: number; high: number }): RangeClaimSpec => ({
    id,
    source,
    claim,
    paper,
    range,
    format: percent,
    key: 'softAffinity',
  });
  const against = (figure: string) =>
    `against random scheduling (the scenario's own comparison) the cut is ${estimateText(estimate(cells.map((c) => cut(c, figure, 'soft-affinity', 'random'))), percent)}`;
  return [
    rangeClaim(
      spec('presto-cache-remote-bytes', "Meta: the Presto local cache cut the total data scanned from remote storage by 57 %", '57 %, read as 52 % to 62 %', { low: 0.52, high: 0.62 }),
      cells,
      (cell) => cut(cell, 'remoteBytes', 'soft-affinity', 'no-cache'),
      `the cache under soft affinity against no cache; ${against('remoteBytes')}`,
    ),
    rangeClaim(
      spec('presto-cache-latency-p50', 'Meta: the Presto local cache reduced query latency P50 by around 33 %', 'around 33 %, read as 28 % to 38 % (the twin measures read latency)', { low: 0.28, high: 0.38 }),
      cells,
      (cell) => cut(cell, 'latencyP50Ms', 'soft-affinity', 'no-cache'),
      against('latencyP50Ms'),
    ),
    rangeClaim(
      spec('presto-cache-latency-p95', 'Meta: the Presto local cache reduced query latency P95 by around 49 %', 'around 49 %, read as 44 % to 54 % (the twin measures read latency)', { low: 0.44, high: 0.54 }),
      cells,
      (cell) => cut(cell, 'latencyP95Ms', 'soft-affinity', 'no-cache'),
      against('latencyP95Ms'),
    ),
  ];
}

function pageSizeClaims(cells: readonly FinishedCell[]): ClaimResult[] {
  const source = { ...SEED_001, section: '7' };
  const rho = (x: number) => x.toFixed(2);
  return [
    rangeClaim(
      {
        id: 'page-size-read-amplification',
        source,
        claim: 'a larger cache page size increases read amplification',
        paper: "increases (words): read as Spearman's rank correlation of read amplification with page size, over 64 KiB to 64 MiB, of at least 0.8",
        range: { low: 0.8, high: Infinity },
        format: rho,
        key: 'pageSize',
      },
      cells,
      (cell) => pageSizeCorrelation(cell, 'readAmplification'),
    ),
    rangeClaim(
      {
        id: 'page-size-remote-requests',
        source,
        claim: 'a larger cache page size reduces the number of read requests to remote storage',
        paper: "reduces (words): read as Spearman's rank correlation of remote requests with page size, over 64 KiB to 64 MiB, of at most -0.8",
        range: { low: -Infinity, high: -0.8 },
        format: rho,
        key: 'pageSize',
      },
      cells,
      (cell) => pageSizeCorrelation(cell, 'remoteRequests'),
    ),
  ];
}

function tieredStorageClaims(cells: readonly FinishedCell[]): ClaimResult[] {
  const source = { ...SEED_000, section: 'talk abstract' };
  const p99 = (variant: string) => (cell: FinishedCell) => {
    const value = cacheVariant(cell, variant)?.latencyP99Ms;
    return value === undefined ? null : Number(value);
  };
  return [
    rangeClaim(
      {
        id: 'tiered-storage-selective-p99',
        source,
        claim: 'querying segments directly on object storage with selective block fetches, prefetching, pipelined fetch and compute and pinned indexes keeps P99 sub-second',
        paper: 'sub-second P99: read as at most 1 000 ms',
        range: { low: -Infinity, high: 1000 },
        format: ms,
        key: 'tieredStorage',
      },
      cells,
      p99('selective-all'),
    ),
    rangeClaim(
      {
        id: 'tiered-storage-lazy-p99',
        source,
        claim: 'lazy loading, which downloads the entire segment, does not reach sub-second P99',
        paper: 'the contrast the talk draws (words): read as lazy loading\'s P99 at 1 000 ms or more',
        range: { low: 1000, high: Infinity },
        format: ms,
        key: 'tieredStorage',
      },
      cells,
      p99('lazy'),
    ),
  ];
}

export function cacheScenarioClaims(cells: SweepCellsByKey): ClaimResult[] {
  return [...prestoCacheClaims(cells.softAffinity ?? []), ...pageSizeClaims(cells.pageSize ?? []), ...tieredStorageClaims(cells.tieredStorage ?? [])];
}
