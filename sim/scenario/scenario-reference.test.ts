// The generated scenario reference: deterministic, a described row for every key a resolved scenario
// has, and the Pinot keys and defaults an operator looks for.

import { describe, expect, it } from 'vitest';
import { parseScenario } from './load-scenario.js';
import { renderScenarioReference } from './scenario-reference.js';

const RICH = `workload:
  classes:
    - { name: a, rates: [{ at: 0s, qps: 5 }], segmentCost: { median: 1ms, p99: 3ms } }
faults:
  - { kind: slowServer, server: server-0-0, start: 1s, progressProbability: 0.5 }
  - { kind: gcPause, server: server-0-0, mode: periodic, start: 1s, pause: 1s, every: 2s }
  - { kind: gcPause, server: server-0-0, mode: random, start: 1s, pause: 1s, meanInterval: 2s }
`;

/** Every key path of a value, list elements written `[]`. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((element) => keyPaths(element, `${prefix}[]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return [path, ...keyPaths(child, path)];
  });
}

function rows(reference: string): Map<string, string[]> {
  const table = new Map<string, string[]>();
  for (const line of reference.split('\n')) {
    const match = /^\| `([^`]+)` \| (.*) \|$/.exec(line);
    if (match) table.set(match[1], match[2].split(' | '));
  }
  return table;
}

describe('renderScenarioReference', () => {
  const reference = renderScenarioReference();
  const table = rows(reference);

  it('is deterministic', () => {
    expect(renderScenarioReference()).toBe(reference);
  });

  it('has a described row for every key of a resolved scenario', () => {
    const paths = new Set(keyPaths(parseScenario(RICH, 'rich.yaml')));
    for (const path of paths) expect(table.has(path), path).toBe(true);
    for (const [path, cells] of table) expect(cells[3], path).not.toBe('');
  });

  it('has no HTML-like text outside code spans', () => {
    expect(reference.replace(/`[^`]*`/g, '')).not.toMatch(/<[a-z]/i);
  });

  it('shows type, unit, default and the Pinot key', () => {
    expect(table.get('cluster.server.threads')).toEqual([
      'integer 1 to 1024',
      '',
      '`8`',
      "Query worker threads per server; each works on one segment of one query at a time. Pinot's default is twice the CPU cores. Pinot: `pinot.query.scheduler.query_worker_threads`.",
    ]);
    expect(table.get('duration')?.slice(0, 3)).toEqual(['duration > 0s', 'us, ms, s, m, h', '`60s`']);
    expect(table.get('routing.selector')?.[0]).toBe(
      'one of `round-robin`, `random`, `in-flight`, `latency-ema`, `hybrid`, `softmax`, `c3`',
    );
    expect(table.get('cluster.network.links[].latency')?.[2]).toBe('**required**');
    expect(table.get('faults[].end')?.[2]).toMatch(/^the run's duration/);
    expect(reference).toContain('`pinot.broker.adaptive.server.selector.hybrid.score.exponent`');
  });
});
