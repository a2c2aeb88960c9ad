// The reproduction's files: written whole, rewritten freely when twin wrote them, and never over a
// file of the same name that twin did not write (unless forced).

import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ReportFileError, writeReproduction, type Reproduction } from './reproduction-report.js';

const dir = mkdtempSync(join(tmpdir(), 'twin-reproduce-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const reproduction: Reproduction = {
  seeds: [1, 2, 3],
  sweeps: [{ name: 'qwi-sampling-period', file: 'scenarios/qwi-sampling-period.sweep.yaml', dir: 'results/reproduce/qwi-sampling-period', cells: 9, missing: 0 }],
  claims: [
    {
      id: 'qwi-sampling-error-5ms',
      source: { seed: '004', file: 'seeds/004.txt', section: '2.6' },
      claim: 'errors reach 50-80 % | at 5 ms',
      paper: '50 % to 80 %',
      twin: '51.0 % ± 1.0 % (3 seeds, 95 % CI)',
      value: { mean: 0.51, low: 0.5, high: 0.52, n: 3 },
      verdict: 'agrees',
      why: 'inside',
      experiment: 'qwiSampling: 3 cells',
    },
  ],
  leftOut: [{ scenario: 'gc-heap-storm.yaml', issue: 8, why: 'no figure | in the seed' }],
};

describe('the reproduction report files', () => {
  it('writes the Markdown table and the JSON with the verdict counts, and rewrites its own files', () => {
    const out = join(dir, 'own');
    mkdirSync(out);
    writeReproduction(out, reproduction, false);
    writeReproduction(out, reproduction, false);
    const markdown = readFileSync(join(out, 'REPRODUCTION.md'), 'utf8');
    expect(markdown).toContain('1 agree, 0 disagree, 0 undetermined');
    expect(markdown).toContain('| errors reach 50-80 % \\| at 5 ms | seed 004 § 2.6 |');
    expect(markdown).toContain('## Paper experiments left out\n\n| scenario | issue | why |\n| --- | --- | --- |\n| `gc-heap-storm.yaml` | 8 | no figure \\| in the seed |');
    const json = JSON.parse(readFileSync(join(out, 'reproduction.json'), 'utf8'));
    expect(json.counts).toEqual({ agrees: 1, disagrees: 0, undetermined: 0 });
    expect(json.claims[0].value).toEqual({ mean: 0.51, low: 0.5, high: 0.52, n: 3 });
    expect(json.leftOut).toEqual([{ scenario: 'gc-heap-storm.yaml', issue: 8, why: 'no figure | in the seed' }]);
  });

  it('refuses to replace a file of that name twin did not write, writing neither file, unless forced', () => {
    const out = join(dir, 'foreign');
    mkdirSync(out);
    writeFileSync(join(out, 'REPRODUCTION.md'), 'my notes\n');
    expect(() => writeReproduction(out, reproduction, false)).toThrow(ReportFileError);
    expect(readFileSync(join(out, 'REPRODUCTION.md'), 'utf8')).toBe('my notes\n');
    expect(() => readFileSync(join(out, 'reproduction.json'))).toThrow();
    writeFileSync(join(out, 'reproduction.json'), '{"mine": true}');
    expect(() => writeReproduction(out, reproduction, false)).toThrow(/REPRODUCTION.md and .*reproduction.json: there and not written by twin: move them away, or add --force to replace$/);
    writeReproduction(out, reproduction, true);
    expect(readFileSync(join(out, 'REPRODUCTION.md'), 'utf8')).toContain('# Paper reproduction');
  });

  it('never replaces a folder of that name, even forced', () => {
    const out = join(dir, 'folder');
    mkdirSync(join(out, 'REPRODUCTION.md'), { recursive: true });
    expect(() => writeReproduction(out, reproduction, true)).toThrow(/move it away$/);
  });
});
