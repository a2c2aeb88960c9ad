// The paper reproduction's two files, results/REPRODUCTION.md and results/reproduction.json: every
// claim with its source, the paper's figure, the twin's with its interval, and the verdict; the
// sweeps behind them. Both carry a mark saying twin wrote them, and a file without it is never
// replaced (unless forced): results/ is the user's folder too. Written whole or not at all.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../sweep/atomic-file.js';
import type { ClaimResult } from './claim-kit.js';
import type { Verdict } from './claim-verdict.js';

export const REPORT_FILES = { markdown: 'REPRODUCTION.md', json: 'reproduction.json' } as const;
const WRITER = 'twin reproduce';
const MARKDOWN_MARK = `<!-- written by ${WRITER}: rerun \`npm run reproduce\` to regenerate; edits are lost -->`;

export interface ReproductionSweepRun {
  readonly name: string;
  readonly file: string;
  readonly dir: string;
  readonly cells: number;
  readonly missing: number;
}

/** A paper experiment the reproduction does not run (scenario-coverage.ts). */
export interface LeftOutExperiment {
  readonly scenario: string;
  readonly issue: number;
  readonly why: string;
}

export interface Reproduction {
  readonly seeds: readonly number[];
  readonly sweeps: readonly ReproductionSweepRun[];
  readonly claims: readonly ClaimResult[];
  readonly leftOut: readonly LeftOutExperiment[];
}

/** A report file that cannot be written without losing something twin did not write. */
export class ReportFileError extends Error {}

export function verdictCounts(claims: readonly ClaimResult[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { agrees: 0, disagrees: 0, undetermined: 0 };
  for (const claim of claims) counts[claim.verdict]++;
  return counts;
}

export function reproductionJson(reproduction: Reproduction): string {
  return `${JSON.stringify({ writtenBy: WRITER, ...reproduction, counts: verdictCounts(reproduction.claims) }, null, 1)}\n`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function reproductionMarkdown(reproduction: Reproduction): string {
  const counts = verdictCounts(reproduction.claims);
  const lines = [
    MARKDOWN_MARK,
    '# Paper reproduction',
    '',
    `${reproduction.claims.length} claims of the seed papers, each measured by the twin over seeds ${reproduction.seeds.join(', ')} ` +
      `(figures: mean ± half-width of the 95 % confidence interval): ${counts.agrees} agree, ${counts.disagrees} disagree, ${counts.undetermined} undetermined. ` +
      'A claim agrees when the whole interval lies inside the paper\'s range, disagrees when it lies wholly outside, and is undetermined otherwise; ' +
      'where the paper gives words, the "paper" column says how the twin reads them.',
    '',
    '| claim | source | paper | twin | verdict | why |',
    '| --- | --- | --- | --- | --- | --- |',
    ...reproduction.claims.map(
      (c) => `| ${cell(c.claim)} | seed ${c.source.seed} § ${c.source.section} | ${cell(c.paper)} | ${cell(c.twin)} | **${c.verdict}** | ${cell(c.why)} |`,
    ),
    '',
    '## What ran',
    '',
    '| sweep | file | cells | results |',
    '| --- | --- | --- | --- |',
    ...reproduction.sweeps.map((s) => `| ${s.name} | \`${s.file}\` | ${s.cells}${s.missing > 0 ? ` (${s.missing} missing)` : ''} | \`${s.dir}\` |`),
    '',
    '## Paper experiments left out',
    '',
    ...(reproduction.leftOut.length === 0
      ? ['None: every scenario the issues name as a paper experiment runs above.']
      : ['| scenario | issue | why |', '| --- | --- | --- |', ...reproduction.leftOut.map((e) => `| \`${e.scenario}\` | ${e.issue} | ${cell(e.why)} |`)]),
    '',
  ];
  return lines.join('\n');
}

/** Whether `path` is absent or a file twin wrote (it carries the mark). */
function ownedOrAbsent(path: string, isOurs: (text: string) => boolean): boolean {
  if (!existsSync(path)) return true;
  if (!statSync(path).isFile()) return false;
  return isOurs(readFileSync(path, 'utf8'));
}

function isOurJson(text: string): boolean {
  try {
    return (JSON.parse(text) as { writtenBy?: unknown }).writtenBy === WRITER;
  } catch {
    return false;
  }
}

/** Writes both files into `dir`; refuses, before writing either, a file there that twin did not write. */
export function writeReproduction(dir: string, reproduction: Reproduction, force: boolean): string[] {
  const markdownPath = join(dir, REPORT_FILES.markdown);
  const jsonPath = join(dir, REPORT_FILES.json);
  const foreign = [
    ...(ownedOrAbsent(markdownPath, (text) => text.startsWith(MARKDOWN_MARK)) ? [] : [markdownPath]),
    ...(ownedOrAbsent(jsonPath, isOurJson) ? [] : [jsonPath]),
  ];
  const blocking = foreign.filter((path) => !force || !statSync(path).isFile());
  if (blocking.length > 0) {
    const canForce = blocking.every((path) => statSync(path).isFile());
    throw new ReportFileError(`${blocking.join(' and ')}: there and not written by twin: move ${blocking.length > 1 ? 'them' : 'it'} away${canForce ? ', or add --force to replace' : ''}`);
  }
  writeFileAtomically(jsonPath, reproductionJson(reproduction));
  writeFileAtomically(markdownPath, reproductionMarkdown(reproduction));
  return [markdownPath, jsonPath];
}
