// The `twin` command line: run, validate, study, bench and docs. Each command lives in its own file;
// this one only wires them to commander and turns failures into clear messages and exit codes.

import { Command, InvalidArgumentError, Option } from 'commander';
import { benchCommand } from './bench-command.js';
import { docsCommand } from './docs-command.js';
import { reportAndExit } from './errors.js';
import { runCommand } from './run-command.js';
import { studyCommand } from './study-command.js';
import { validateCommand } from './validate-command.js';

// A reader that stops early (`twin run ... | head`) closes the pipe: that is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  reportAndExit(error);
});

const collect = (value: string, previous: string[]) => [...previous, value];
const nonNegativeInteger = (value: string) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a non-negative integer');
  return Number(value);
};

const program = new Command()
  .name('twin')
  .description('olap-twin: a digital twin of a Pinot-like real-time OLAP cluster')
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

program
  .command('run')
  .description('run a scenario: print its summary and write its results directory')
  .argument('<file>', 'scenario YAML file')
  .option('--seed <n>', 'override the scenario seed', nonNegativeInteger)
  .option('--out <dir>', 'results directory (default: results/<name>-seed<seed>)')
  .option('--set <path=value>', 'override one scenario key, e.g. routing.selector=softmax (repeatable)', collect, [])
  .action((file: string, options: { seed?: number; out?: string; set: string[] }) => runCommand(file, options));

program
  .command('validate')
  .description('check scenario files without running them')
  .argument('<files...>', 'scenario YAML files')
  .option('--set <path=value>', 'override one scenario key (repeatable)', collect, [])
  .action((files: string[], options: { set: string[] }) => validateCommand(files, options));

program
  .command('study')
  .description("run seed 004's Adaptive Server Selection study (selector by profile) and print its table")
  .option('--readme <file>', 'also write the table into this README between its study markers')
  .action((options: { readme?: string }) => studyCommand(options));

program
  .command('bench')
  .description('measure simulator speed on the reference and the large scenario')
  .option('--skip-large', 'only the reference scenario')
  .addOption(new Option('--only <file>', 'measure one scenario in this process and print JSON').hideHelp())
  .addOption(new Option('--runs <n>', 'with --only: runs in this process').hideHelp())
  .action((options: { skipLarge?: boolean; only?: string; runs?: string }) => benchCommand(options));

program
  .command('docs')
  .description('regenerate the README sections generated from the scenario schema and results schema')
  .option('--readme <file>', 'README to update', 'README.md')
  .option('--check', 'exit 1 if the README is out of date instead of writing it')
  .action((options: { readme: string; check?: boolean }) => docsCommand(options));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  reportAndExit(error);
}
