// The `twin` command line: run, validate, study, reproduce, sweep, merge, plot, notebook, bench and docs. Each command lives in its own file,
// loaded only when it runs (so that `twin --help` starts at once); this one only wires them to
// commander and turns failures into clear messages and exit codes.

import { STUDY_PARTS, type StudyPart } from '../study/study-parts.js';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { TableFormat } from '../sweep/sweep-directory.js';
import { dieWithParent } from './child-lifeline.js';
import { EXIT_CODES_HELP, reportAndExit } from './errors.js';
import { packageVersion } from './package-version.js';
import { requireWithCodeCache } from './code-cache.js';

/**
 * In the build, the name of its CommonJS bundle of the run command beside main.js, which runs
 * through V8's code cache (bin/build.js defines it); not defined where the sources run through tsx.
 */
declare const TWIN_RUN_COMMAND_BUNDLE: string | undefined;

// Started as a child that must die with its parent (twin bench's runs): watch that parent.
dieWithParent();

// A reader that stops early (`twin run ... | head`) closes the pipe: that is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  reportAndExit(error);
});

const collect = (value: string, previous: string[]) => [...previous, value];
const seedNumber = (value: string) => {
  const seed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(seed)) throw new InvalidArgumentError(`expected an integer from 0 to ${Number.MAX_SAFE_INTEGER}`);
  return seed;
};

const studyPart = (value: string, previous: StudyPart[]) => {
  if (!(STUDY_PARTS as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${STUDY_PARTS.join(', ')}`);
  return [...previous, value as StudyPart];
};

const positiveInteger = (value: string) => {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('expected a positive integer');
  return Number(value);
};

const EXAMPLES = `
Examples:
  twin run scenarios/default.yaml                      run the quick-start scenario into results/default-seed1/
  twin run scenarios/adss-1500qps.yaml --seed 7 --set routing.selector=softmax --out results/softmax-7
  twin validate scenarios/*.yaml                       check scenario files without running them
  twin study --readme README.md                        run the ADSS study and rewrite its README tables
  npm run reproduce                                    run the seed papers' experiments, write results/REPRODUCTION.md
  twin docs --check                                    is the README's scenario reference current?
`;

const program = new Command()
  .name('twin')
  .description('olap-twin: a digital twin of a Pinot-like real-time OLAP cluster')
  .version(packageVersion(), '-V, --version', 'print the version')
  .showHelpAfterError()
  .addHelpText('after', `${EXAMPLES}\n${EXIT_CODES_HELP}`)
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

program
  .command('run')
  .description('run a scenario: print its summary and write its results directory')
  .argument('<file>', 'scenario YAML file')
  .option('--seed <n>', 'override the scenario seed', seedNumber)
  .option('--out <dir>', 'results directory (default: results/<name>-seed<seed>); only a directory twin wrote is replaced')
  .option('--force', 'with --out: replace a directory even if it holds files twin did not write (never a file)')
  .option('--set <path=value>', 'override one scenario key, e.g. routing.selector=softmax (repeatable)', collect, [])
  .addOption(new Option('--mode <mode>', 'sim: the simulator; real: real threads, data and time (engine/real)').choices(['sim', 'real']).default('sim'))
  .option('--rows-per-segment <n>', 'with --mode real: rows of each generated segment', positiveInteger)
  .addOption(new Option('--format <format>', "the run's tables as arrow (IPC), parquet or both").choices(['arrow', 'parquet', 'both']).default('arrow'))
  .addHelpText('after', `\n${EXIT_CODES_HELP}`)
  .action(async (file: string, options: { seed?: number; out?: string; force?: boolean; set: string[]; mode: string; rowsPerSegment?: number; format: TableFormat }) => {
    if (options.mode === 'real') {
      const { runRealCommand } = await import('./run-real-command.js');
      await runRealCommand(file, options);
      return;
    }
    if (typeof TWIN_RUN_COMMAND_BUNDLE === 'string') {
      const bundle = requireWithCodeCache<typeof import('./run-command-bundle.js')>(fileURLToPath(new URL(TWIN_RUN_COMMAND_BUNDLE, import.meta.url)));
      await bundle.exports.runCommandReporting(file, options);
      bundle.saveCodeCache();
      return;
    }
    const { runCommand } = await import('./run-command.js');
    await runCommand(file, options);
  });

program
  .command('cache')
  .description('run a cache scenario (local page cache over SSD, HDD or object storage): print its summary, write its results')
  .argument('<file>', 'cache scenario YAML file')
  .option('--seed <n>', 'override the scenario seed', seedNumber)
  .option('--out <dir>', 'results directory (default: results/<name>-seed<seed>); only a directory twin wrote is replaced')
  .option('--force', 'with --out: replace a directory even if it holds files twin did not write (never a file)')
  .option('--set <path=value>', 'override one scenario key, e.g. cache.evictor=LFU (repeatable)', collect, [])
  .option('--export-trace <file>', 'also write the page requests as a libCacheSim oracleGeneral trace')
  .addOption(new Option('--format <format>', "the run's tables as arrow (IPC), parquet or both").choices(['arrow', 'parquet', 'both']).default('arrow'))
  .addHelpText('after', `\n${EXIT_CODES_HELP}`)
  .action(async (file: string, options: { seed?: number; out?: string; force?: boolean; set: string[]; exportTrace?: string; format: TableFormat }) => {
    const { cacheCommand } = await import('./cache-command.js');
    await cacheCommand(file, options);
  });

program
  .command('calibrate')
  .description('measure the real runtime on this machine and write the scenario with a cost model fitted to it')
  .argument('<file>', 'scenario YAML file (its faults are left out while measuring, unless --from)')
  .option('--out <dir>', 'results directory (default: results/<name>-calibration)')
  .option('--force', 'with --out: replace a directory even if it holds files twin did not write (never a file)')
  .option('--set <path=value>', 'override one scenario key (repeatable)', collect, [])
  .option('--rows-per-segment <n>', 'rows of each generated segment', positiveInteger)
  .option('--from <dir>', "fit to the real run of the scenario in this results directory (its real.json) instead of a new run")
  .action(async (file: string, options: import('./calibrate-command.js').CalibrateCommandOptions) => {
    const { calibrateCommand } = await import('./calibrate-command.js');
    await calibrateCommand(file, options);
  });

program
  .command('compare')
  .description('compare two results directories of one scenario (e.g. sim against real): latency error, KS distance, shares, diversion')
  .argument('<a>', 'results directory A (e.g. the simulated run)')
  .argument('<b>', 'results directory B, the reference (e.g. the real run)')
  .option('--out <dir>', 'folder of the figures: latency CDFs of both runs, error per percentile (default: <a>-vs-<name of b>)')
  .option('--format <format>', 'figures as svg, png or both', 'both')
  .option('--force', 'replace an --out folder that holds files the tool did not write')
  .action(async (a: string, b: string, options: import('./compare-command.js').CompareCommandOptions) => {
    const { compareCommand } = await import('./compare-command.js');
    compareCommand(a, b, options);
  });

program
  .command('validate')
  .description('check scenario files without running them: every problem, and whether the run fits this machine')
  .argument('<files...>', 'scenario YAML files')
  .option('--set <path=value>', 'override one scenario key (repeatable)', collect, [])
  .addHelpText('after', `\n${EXIT_CODES_HELP}`)
  .action(async (files: string[], options: { set: string[] }) => {
    const { validateCommand } = await import('./validate-command.js');
    validateCommand(files, options);
  });

program
  .command('study')
  .description("run seed 004's Adaptive Server Selection study (selector by profile, broker and slowdown axes, over seeds) and print its tables")
  .option('--seeds <n>', 'seeds per cell (default 5: seeds 1 to 5); figures are means with 95 % confidence intervals', positiveInteger)
  .option('--part <part>', 'run only this part: table2, axis or extras (repeatable; default all)', studyPart, [])
  .option('--out <dir>', 'folder of the study sweeps (default results/adss-study); finished cells there are not run again')
  .option('--workers <n>', 'worker threads (default: the number of cores)', positiveInteger)
  .option('--readme <file>', 'also write the table into this README between its study markers')
  .action(async (options: import('./study-command.js').StudyCommandOptions) => {
    const { studyCommand } = await import('./study-command.js');
    await studyCommand(options);
  });

program
  .command('reproduce')
  .description('run every sweep that reproduces a seed paper experiment and write results/REPRODUCTION.md and results/reproduction.json')
  .option('--out <dir>', 'folder of the report files (default results); the sweeps go to <dir>/reproduce/')
  .option('--workers <n>', 'worker threads (default: the number of cores)', positiveInteger)
  .option('--force', 'replace a REPRODUCTION.md or reproduction.json that twin did not write')
  .addHelpText('after', `\n${EXIT_CODES_HELP}`)
  .action(async (options: import('./reproduce-command.js').ReproduceCommandOptions) => {
    const { reproduceCommand } = await import('./reproduce-command.js');
    await reproduceCommand(options);
  });

program
  .command('sweep')
  .description('run a sweep file: a scenario over parameter values and seeds, cells in parallel, tables with confidence intervals')
  .argument('<file>', 'sweep YAML file (e.g. scenarios/selector-slowdown.sweep.yaml)')
  .option('--out <dir>', 'sweep directory (default: results/<sweep name>)')
  .option('--workers <n>', 'worker threads (default: the number of cores)', positiveInteger)
  .option('--resume', 'continue a sweep in --out: run only the cells not finished there')
  .option('--shard <i/N>', 'run shard i of N (cells whose index is i mod N); auto: from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX')
  .option('--shard-count <n>', 'the number of shards when the shard comes from JOB_COMPLETION_INDEX', positiveInteger)
  .option('--keep-runs', "keep every cell's run tables (in --format), not only its summary")
  .option('--dry-run', 'list the cells and their overrides without running them')
  .option('--format <format>', 'the tables as arrow (IPC), parquet or both (default: arrow, or with --resume what the sweep was run with)')
  .action(async (file: string, options: import('./sweep-command.js').SweepCommandOptions) => {
    const { sweepCommand } = await import('./sweep-command.js');
    await sweepCommand(file, options);
  });

program
  .command('merge')
  .description("join the directories of a sweep's shards into the tables one unsharded run writes")
  .argument('<dirs...>', 'sweep directories written by twin sweep --shard')
  .option('--out <dir>', 'merged sweep directory (default: the first directory)')
  .option('--format <format>', 'the tables as arrow (IPC), parquet or both (default: the format the shards were run with)')
  .action(async (dirs: string[], options: { out?: string; format?: string }) => {
    const { mergeCommand } = await import('./merge-command.js');
    await mergeCommand(dirs, options);
  });

program
  .command('plot')
  .description('draw the standard figures of runs or of a sweep as SVG and PNG (no browser, no network)')
  .argument('<dirs...>', 'run directories (figures compare them), or one sweep directory')
  .option('--out <dir>', 'figures folder (default: <dir>-figures, or results/figures for several runs)')
  .option('--format <format>', 'svg, png or both', 'both')
  .option('--series <column>', 'also draw this series.arrow column per server over time (repeatable)', collect, [])
  .option('--y <figure>', "sweep: a summary figure to draw (repeatable; default: the sweep's report figures)", collect, [])
  .option('--x <parameter>', 'sweep: the parameter along the x axis (default: the first numeric one)')
  .option('--window-ms <ms>', 'runs: the window p95 over time is taken over', positiveInteger)
  .action(async (dirs: string[], options: import('./plot-command.js').PlotCommandOptions) => {
    const { plotCommand } = await import('./plot-command.js');
    plotCommand(dirs, options);
  });

program
  .command('notebook')
  .description('open a run directory in the browser (latency CDF, percentiles over time, per-server rate and share, by class, server and time window) or a sweep directory (mean and CI across seeds of any figure against any parameter)')
  .argument('<dir>', 'run directory (written by twin run) or sweep directory (written by twin sweep)')
  .option('--port <n>', 'port on 127.0.0.1 (default: one the system picks)', positiveInteger)
  .action(async (dir: string, options: import('./notebook-command.js').NotebookCommandOptions) => {
    const { notebookCommand } = await import('./notebook-command.js');
    await notebookCommand(dir, options);
  });

program
  .command('bench')
  .description('measure start-up, whole-process speed (reference, large, LinkedIn scale) and memory per query record')
  .option('--skip-large', 'leave out the large and LinkedIn-scale scenarios')
  .action(async (options: { skipLarge?: boolean }) => {
    const { benchCommand } = await import('./bench-command.js');
    await benchCommand(options);
  });

program
  .command('rebalance')
  .description("plan a scale-out of the scenario's cluster and play it against its traffic: Pinot dry-run figures and what queries felt")
  .argument('<file>', 'scenario YAML file (the cluster before the scale-out)')
  .option('--scale-out <percent>', 'more instances per replica group, in percent', '50')
  .option('--strategy <name>', 'impactFree, pinot, naive or all', 'all')
  .option('--at <duration>', 'when the rebalance starts', '30s')
  .option('--segment-size <size>', "size of each segment (default: the scenario's cluster.segmentLoading.segmentSize)")
  .option('--server-bandwidth <size>', "deep-store download bandwidth per server, per second (default: cluster.segmentLoading.serverDownloadPerSecond)")
  .option('--total-bandwidth <size>', 'deep-store download bandwidth for all servers together, per second (default: cluster.segmentLoading.totalDownloadPerSecond)')
  .option('--index-build <duration>', 'index build per segment after its download (default: cluster.segmentLoading.indexBuildTime)')
  .option('--ev-lag <duration>', 'from a state change on a server to the external view showing it (default: cluster.segmentLoading.externalViewLag)')
  .option('--kill-at <duration>', 'kill the job at this time and start a new one later')
  .option('--restart-after <duration>', 'with --kill-at: how long after the kill the new job starts', '10s')
  .option('--export <file>', "write the first strategy's plan as the ideal states (Helix ZNRecords) it wrote")
  .option('--set <path=value>', 'override one scenario key (repeatable)', collect, [])
  .action(async (file: string, options: import('./rebalance-command.js').RebalanceCommandOptions) => {
    const { rebalanceCommand } = await import('./rebalance-command.js');
    rebalanceCommand(file, options);
  });

program
  .command('import')
  .description("read a Pinot table's ideal state and instance configs (Helix ZNRecord JSON): what each zone drain would do, and a scenario of its shape")
  .argument('<idealState>', 'the table ideal state, a ZNRecord JSON file')
  .argument('<instanceConfigs...>', 'instance config ZNRecords, one per file or a JSON list')
  .option('--zone-tag-prefix <prefix>', 'the zone is the rest of the instance tag starting with this', 'zone_')
  .option('--zone-from-pool', 'the zone is the instance pool instead of a tag')
  .option('--zone-from-failure-domain', "the zone is the failure domain Pinot's environment provider records (mapFields.environment.failureDomain)")
  .option('--zone-from-helix-domain <key>', 'the zone is this key of the Helix topology domain (simpleFields.DOMAIN, e.g. zone=us-east-1a,instance=pinot-0)')
  .option('--out <file>', 'write a scenario of the cluster shape here (never overwrites a file)')
  .action(async (idealState: string, instanceConfigs: string[], options: import('./import-command.js').ImportCommandOptions) => {
    const { importCommand } = await import('./import-command.js');
    importCommand(idealState, instanceConfigs, options);
  });

program
  .command('docs')
  .description('regenerate the README sections generated from the scenario schema and results schema')
  .option('--readme <file>', 'README to update', 'README.md')
  .option('--check', 'exit 1 if the README is out of date instead of writing it')
  .action(async (options: { readme: string; check?: boolean }) => {
    const { docsCommand } = await import('./docs-command.js');
    docsCommand(options);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  reportAndExit(error);
}
