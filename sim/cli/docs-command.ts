// `twin docs [--check]`: rewrites the README sections generated from the scenario and results
// schemas, or with --check only reports whether they are current (exit 1 if not).

import { readFileSync, writeFileSync } from 'node:fs';
import { schemaSections, withSections } from '../docs/readme-sections.js';

export function docsCommand(options: { readme: string; check?: boolean }): void {
  const current = readFileSync(options.readme, 'utf8');
  const updated = withSections(current, schemaSections());
  if (options.check) {
    if (updated !== current) {
      process.stderr.write(`${options.readme} is out of date: run \`npm run twin -- docs\`\n`);
      process.exit(1);
    }
    process.stdout.write(`${options.readme} is up to date\n`);
    return;
  }
  if (updated !== current) writeFileSync(options.readme, updated);
  process.stdout.write(`${options.readme} ${updated === current ? 'already up to date' : 'updated'}\n`);
}
