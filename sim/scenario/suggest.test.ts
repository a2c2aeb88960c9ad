// Did-you-mean suggestions: near misses within two edits, case ignored, nothing for unrelated words.

import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean, editDistance } from './suggest.js';

describe('suggestions', () => {
  it('count a swap of neighbours as one edit', () => {
    expect(editDistance('hybird', 'hybrid')).toBe(1);
    expect(editDistance('thread', 'threads')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggest the closest allowed word within two edits, ignoring case', () => {
    expect(closestMatch('selectr', ['instanceSelectorType', 'selector', 'statsUpdate'])).toBe('selector');
    expect(closestMatch('slowserver', ['slowServer', 'gcPause'])).toBe('slowServer');
    expect(closestMatch('colour', ['brokers', 'segments'])).toBeUndefined();
    expect(closestMatch('x', ['h', 'm'])).toBeUndefined();
  });

  it('phrase the suggestion, or say nothing', () => {
    expect(didYouMean('hybird', ['hybrid', 'c3'])).toBe('; did you mean "hybrid"?');
    expect(didYouMean(3, ['hybrid'])).toBe('');
  });
});
