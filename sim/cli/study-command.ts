// `twin study [--seeds N] [--part P]... [--json FILE] [--merge FILE]... [--readme FILE]`: runs seed
// 004's ADSS study (every profile × selector over N seeds, the axis over broker count and slowdown,
// the replica-group, cold-start, rate-control and statistics-scope figures) and prints it as
// Markdown. Parts may run in separate processes, each saving its results with --json, and be put
// together with --merge (nothing is run then); --readme also rewrites the README's study section.

import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { replaceSection } from '../docs/readme-sections.js';
import { DEFAULT_SEEDS, mergeStudies, runAdssStudy, type StudyResults } from '../study/adss-study.js';
import type { StudyPart } from '../study/study-parts.js';
import { renderStudy } from '../study/study-table.js';

export interface StudyCommandOptions {
  readonly readme?: string;
  readonly seeds?: number;
  readonly part: readonly StudyPart[];
  readonly json?: string;
  readonly merge: readonly string[];
}

export function studyCommand(options: StudyCommandOptions): void {
  const results: StudyResults =
    options.merge.length > 0
      ? mergeStudies(options.merge.map((file) => JSON.parse(readFileSync(file, 'utf8')) as StudyResults))
      : runAdssStudy({
          seeds: options.seeds ?? DEFAULT_SEEDS,
          parts: options.part.length > 0 ? options.part : undefined,
          onRun: (label) => process.stderr.write(`running ${label}\n`),
        });
  if (options.json !== undefined) {
    // Whole or not at all: written to a temporary name, then renamed.
    writeFileSync(`${options.json}.tmp`, JSON.stringify(results));
    renameSync(`${options.json}.tmp`, options.json);
  }
  const markdown = renderStudy(results);
  process.stdout.write(`${markdown}\n`);
  if (options.readme !== undefined) {
    const text = readFileSync(options.readme, 'utf8');
    writeFileSync(options.readme, replaceSection(text, 'adss-study', markdown));
    process.stderr.write(`${options.readme}: study section updated\n`);
  }
}
