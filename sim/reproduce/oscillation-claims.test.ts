// The softmax claims on hand-made summaries: oscillation paired by seed against hybrid's, the slow
// server's share under softmax; each verdict on both sides of 0.8 and undetermined across it.

import { describe, expect, it } from 'vitest';
import type { FinishedCell } from '../sweep/sweep-cells.js';
import { softmaxClaims } from './oscillation-claims.js';

function cell(selector: string, seed: number, oscillation: number, share: number | null): FinishedCell {
  const adss = { oscillation, faults: [{ shareDuringFault: share }] };
  return { cell: { index: 0, point: 0, seed, id: `${selector}${seed}`, scenario: 0, values: [], overrides: [] }, values: { 'routing.selector': selector }, seed, summary: { adss } };
}

/** Per seed: hybrid's oscillation, softmax's, softmax's slow-server share. */
const judge = (rows: [number, number, number][]) =>
  Object.fromEntries(
    softmaxClaims({ softmax: rows.flatMap(([h, s, share], i) => [cell('hybrid', i + 1, h, 0.3), cell('softmax', i + 1, s, share)]) }).map((c) => [c.id, c.verdict]),
  );

describe('the softmax claims (seed 004 Figure 12)', () => {
  it('agree when softmax oscillates well below hybrid and still diverts', () => {
    expect(judge([[0.4, 0.2, 0.5], [0.5, 0.24, 0.45], [0.3, 0.15, 0.48]])).toEqual({ 'adss-softmax-smooths': 'agrees', 'adss-softmax-keeps-diversion': 'agrees' });
  });

  it('disagree when it oscillates as much and sends the slow server its fair share', () => {
    expect(judge([[0.4, 0.4, 1.0], [0.5, 0.52, 0.98], [0.3, 0.3, 1.01]])).toEqual({ 'adss-softmax-smooths': 'disagrees', 'adss-softmax-keeps-diversion': 'disagrees' });
  });

  it('are undetermined across 0.8, or without the hybrid cells to pair with', () => {
    expect(judge([[0.4, 0.28, 0.7], [0.5, 0.45, 0.9], [0.3, 0.24, 0.8]])).toEqual({ 'adss-softmax-smooths': 'undetermined', 'adss-softmax-keeps-diversion': 'undetermined' });
    const alone = softmaxClaims({ softmax: [cell('softmax', 1, 0.1, 0.4)] });
    expect(alone[0].verdict).toBe('undetermined');
    expect(alone[1].verdict).toBe('agrees');
  });
});
