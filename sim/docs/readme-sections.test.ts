// The README's generated sections (scenario keys, results columns) must match what the code says,
// so the documentation cannot drift: regenerate them with `npm run twin -- docs`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { replaceSection, schemaSections, withSections } from './readme-sections.js';

describe('README generated sections', () => {
  it('are current', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(withSections(readme, schemaSections())).toBe(readme);
  });

  it('replaces only the text between the markers', () => {
    const text = 'a\n<!-- generated:x:start -->\nold\n<!-- generated:x:end -->\nb\n';
    expect(replaceSection(text, 'x', 'new')).toBe('a\n<!-- generated:x:start -->\nnew\n<!-- generated:x:end -->\nb\n');
    expect(() => replaceSection(text, 'y', 'new')).toThrow(/no section markers/);
  });
});
