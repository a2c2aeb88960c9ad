// Seed 004 section 4.3's softmax-based oscillation control (Figure 12) as claims of the reproduction:
// on the configuration with the most visible oscillation (scenarios/adss-softmax.sweep.yaml), softmax
// over the hybrid scores smooths the requests across servers (the summary's oscillation, softmax over
// hybrid in the same seed) while still diverting traffic from the slow server (its share during the
// fault, as a multiple of fair).

import type { FinishedCell } from '../sweep/sweep-cells.js';
import { pairedBySeed, rangeClaim, rangeClaimOfValues, runSummary, SEED_004, times, where, type ClaimResult, type SweepCellsByKey } from './claim-kit.js';

const oscillation = (cell: FinishedCell) => runSummary(cell).adss.oscillation;

export function softmaxClaims(cells: SweepCellsByKey): ClaimResult[] {
  const all = cells.softmax ?? [];
  const source = { ...SEED_004, section: '4.3 (Figure 12)' };
  const hybrid = where(all, 'routing.selector', 'hybrid');
  const softmax = where(all, 'routing.selector', 'softmax');
  return [
    rangeClaimOfValues(
      {
        id: 'adss-softmax-smooths',
        source,
        claim: 'the softmax variant substantially smoothed the QPS distribution across servers against the deterministic hybrid selector',
        paper: "substantially (words): read as softmax's oscillation at most 0.8x hybrid's (20 % lower or more)",
        range: { low: -Infinity, high: 0.8 },
        format: times,
        key: 'softmax',
      },
      pairedBySeed(softmax, hybrid, (s, h) => {
        const a = oscillation(s);
        const b = oscillation(h);
        return a === null || b === null || b <= 0 ? null : a / b;
      }),
      [...softmax, ...hybrid],
      'oscillation of the servers\' request shares (summary adss.oscillation), softmax over hybrid in the same seed',
    ),
    rangeClaim(
      {
        id: 'adss-softmax-keeps-diversion',
        source,
        claim: 'softmax preserves traffic diversion from degraded servers',
        paper: "preserved (words): read as the slow server's share of its mirror set's requests during the fault at most 0.8x fair under softmax",
        range: { low: -Infinity, high: 0.8 },
        format: times,
        key: 'softmax',
      },
      softmax,
      (cell) => runSummary(cell).adss.faults[0]?.shareDuringFault,
    ),
  ];
}
