// Every figure of a run's summary.json as one flat, ordered list of named values, so that a sweep
// cell becomes one row of sweep.arrow: `latencyMs.all.p99`, `outcomes.rejected`,
// `servers.server-1-2.requestsReceived`, `adss.faults.0.diversionMs`. Servers are named by their
// name (whatever their order); the elements of other lists by position. The run's identity (scenario, seed) and wall-clock `performance` are not figures.

export type Figure = number | string | null;

const NOT_FIGURES = new Set(['scenario', 'seed', 'performance']);
/** Deepest nesting flattened: summaries are a few levels deep; anything deeper is a bug. */
const MAX_DEPTH = 8;

/** Lists whose elements are named by a key (servers by name, whatever their order); others by position. */
const NAMED_LISTS: Record<string, string> = { servers: 'server' };

function elementName(listPath: string, element: unknown, position: number): string {
  const key = NAMED_LISTS[listPath];
  if (key !== undefined && typeof element === 'object' && element !== null) {
    const named = (element as Record<string, unknown>)[key];
    if (typeof named === 'string') return named;
  }
  return String(position);
}

function collect(value: unknown, path: string, depth: number, into: Array<[string, Figure]>): void {
  if (depth > MAX_DEPTH) throw new Error(`summary figure ${path} is nested deeper than ${MAX_DEPTH} levels`);
  if (value === null || typeof value === 'number' || typeof value === 'string') {
    into.push([path, value]);
  } else if (typeof value === 'boolean') {
    into.push([path, value ? 1 : 0]);
  } else if (Array.isArray(value)) {
    value.forEach((element, position) => collect(element, `${path}.${elementName(path, element, position)}`, depth + 1, into));
  } else if (typeof value === 'object') {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      if (depth === 0 && NOT_FIGURES.has(key)) continue;
      if (NAMED_LISTS[path.slice(0, path.lastIndexOf('.'))] === key) continue;
      collect(child, path === '' ? key : `${path}.${key}`, depth + 1, into);
    }
  }
}

/** The summary's figures in document order. */
export function summaryFigures(summary: unknown): Array<[string, Figure]> {
  const figures: Array<[string, Figure]> = [];
  collect(summary, '', 0, figures);
  const names = new Set(figures.map(([name]) => name));
  if (names.size !== figures.length) throw new Error('two summary figures have the same name');
  return figures;
}
