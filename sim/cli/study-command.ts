// `twin study [--readme FILE]`: runs seed 004's ADSS study (every profile × selector, the softmax
// comparison and the replica-group figure) and prints it as Markdown; with --readme it also rewrites
// the README's study section.

import { readFileSync, writeFileSync } from 'node:fs';
import { replaceSection } from '../docs/readme-sections.js';
import { runAdssStudy } from '../study/adss-study.js';
import { renderStudy } from '../study/study-table.js';

export function studyCommand(options: { readme?: string }): void {
  const results = runAdssStudy((label) => process.stderr.write(`running ${label}\n`));
  const markdown = renderStudy(results);
  process.stdout.write(`${markdown}\n`);
  if (options.readme !== undefined) {
    const text = readFileSync(options.readme, 'utf8');
    writeFileSync(options.readme, replaceSection(text, 'adss-study', markdown));
    process.stderr.write(`${options.readme}: study section updated\n`);
  }
}
