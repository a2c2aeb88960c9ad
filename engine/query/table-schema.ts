// The one table real execution serves, shaped like seed 003's "who viewed my profile" example
// (section 4.2): every row is a profile view, physically sorted by the viewed member (vieweeId) so a
// filter on it selects one contiguous row range; a few dictionary-encoded dimensions, two of them with
// roaring-bitmap inverted indexes; integer metrics (so sums are exact in any order); a time column.

/** The physically sorted column: ranges and equalities on it select a row range by binary search. */
export const SORTED_COLUMN = 'vieweeId';
export const TIME_COLUMN = 'eventTimeMs';

/** Dictionary-encoded string dimensions and the values the generator draws from, most frequent first. */
export const DIMENSIONS = {
  country: ['us', 'in', 'br', 'gb', 'de', 'fr', 'ca', 'cn', 'jp', 'mx', 'es', 'it', 'nl', 'au', 'se', 'pl'],
  browser: ['chrome', 'safari', 'firefox', 'edge', 'app-ios', 'app-android'],
  industry: ['software', 'finance', 'health', 'education', 'retail', 'media', 'energy', 'government', 'legal', 'travel', 'sports', 'farming'],
} as const;
export type Dimension = keyof typeof DIMENSIONS;
export const DIMENSION_NAMES = Object.keys(DIMENSIONS) as Dimension[];

/** Dimensions that get an inverted index when a segment loads; the others are scanned. */
export const INDEXED_DIMENSIONS: readonly Dimension[] = ['country', 'industry'];

/** Integer metric columns. */
export const METRICS = ['views', 'timeSpentSec'] as const;
export type Metric = (typeof METRICS)[number];

/** Columns a distinct count can count: a dimension or the sorted column. */
export type DistinctColumn = Dimension | typeof SORTED_COLUMN;
export const DISTINCT_COLUMNS: readonly DistinctColumn[] = [...DIMENSION_NAMES, SORTED_COLUMN];
