import { describe, expect, it } from 'vitest';
import { OUTCOMES } from '../metrics/query-log.js';
import { EVENT_COLUMNS, QUERY_COLUMNS, renderResultsReference, SERIES_COLUMNS, SUMMARY_FIELDS } from './results-reference.js';

describe('renderResultsReference', () => {
  it('documents every outcome, column and summary figure', () => {
    const markdown = renderResultsReference();
    for (const name of OUTCOMES) expect(markdown).toContain(`\`${name}\``);
    for (const column of [...QUERY_COLUMNS, ...SERIES_COLUMNS, ...EVENT_COLUMNS]) expect(markdown).toContain(`| \`${column.name}\` |`);
    for (const field of SUMMARY_FIELDS) expect(markdown).toContain(`| \`${field.path}\` |`);
    for (const figure of ['baselineP90Ms', 'degradedFraction', 'faultExposedFraction', 'diversionMs', 'recoveryMs', 'oscillation', 'imbalance', 'tailLatencyDuringFaultMs']) {
      expect(SUMMARY_FIELDS.some((field) => field.path.includes(figure))).toBe(true);
    }
  });
});
