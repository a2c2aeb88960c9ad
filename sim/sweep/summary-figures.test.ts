import { describe, expect, it } from 'vitest';
import { summaryFigures } from './summary-figures.js';

describe('summary figures', () => {
  it('flattens a summary into named figures, servers by name and other lists by position', () => {
    const figures = summaryFigures({
      scenario: 'x',
      seed: 3,
      arrivals: 10,
      latencyMs: { all: { p99: 4.5, max: null } },
      servers: [{ server: 'server-1-0', requestsReceived: 7 }],
      adss: { faults: [{ server: 'server-1-0', diversionMs: 100 }, { server: 'server-1-0', diversionMs: null }], basis: 'unexposed' },
      performance: { wallMs: 1 },
    });
    expect(figures).toEqual([
      ['arrivals', 10],
      ['latencyMs.all.p99', 4.5],
      ['latencyMs.all.max', null],
      ['servers.server-1-0.requestsReceived', 7],
      ['adss.faults.0.server', 'server-1-0'],
      ['adss.faults.0.diversionMs', 100],
      ['adss.faults.1.server', 'server-1-0'],
      ['adss.faults.1.diversionMs', null],
      ['adss.basis', 'unexposed'],
    ]);
  });
});
