// The `twin` command line as an operator meets it: validate and run through `node bin/twin.js`, exit codes, file:line:column messages without stack traces, and the results directory.

import { spawn, type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/load-scenario.js';
import { fileBytes, runScenario } from '../run/run-scenario.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const RESULT_FILES = ['.olap-twin-run', 'events.arrow', 'queries.arrow', 'scenario.resolved.yaml', 'series.arrow', 'summary.json'];

/** `node bin/twin.js ...args`, from the repository root, as a user would type it. */
function twin(...args: string[]): SpawnSyncReturns<string> {
  return twinIn(REPO, ...args);
}

/** `node <repo>/bin/twin.js ...args` started in `cwd`. */
function twinIn(cwd: string, ...args: string[]): SpawnSyncReturns<string> {
  const result = spawnSync(process.execPath, [join(REPO, 'bin/twin.js'), ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, TWIN_DEBUG: '' },
  });
  if (result.error !== undefined) throw result.error;
  return result;
}

/** Stack trace lines ("    at f (file:1:2)"), which a user must never see. */
const stackLines = (text: string) => text.split('\n').filter((line) => /^\s+at /.test(line));

const CLASSES = `workload:
  classes:
    - name: dashboard
      qps: 50
      segmentCost: { distribution: fixed, median: 1ms }
`;

/** Bad scenario files, each with the one message it must produce (line:column of the culprit). */
const BAD_FILES: Record<string, { text: string; expected: RegExp }> = {
  'syntax.yaml': {
    text: `name: syntax\ncluster:\n  brokers: [1, 2\n${CLASSES}`,
    expected: /^syntax\.yaml:[34]:\d+: YAML syntax error: /,
  },
  'unknown-key.yaml': {
    text: `${CLASSES}routing:\n  selectr: hybrid\n`,
    expected: /^unknown-key\.yaml:7:3: unknown key "selectr" in routing; did you mean "selector"\?$/,
  },
  'wrong-type.yaml': {
    text: `cluster:\n  brokers: three\n${CLASSES}`,
    expected: /^wrong-type\.yaml:2:12: cluster\.brokers: expected an integer from 1 to 10000, got "three"$/,
  },
  'out-of-range.yaml': {
    text: `cluster:\n  server:\n    threads: 0\n${CLASSES}`,
    expected: /^out-of-range\.yaml:3:14: cluster\.server\.threads: expected an integer from 1 to 1024, got 0$/,
  },
  'no-unit.yaml': {
    text: `duration: 30\n${CLASSES}`,
    expected: /^no-unit\.yaml:1:11: duration: expected a duration with a unit \(us, ms, s, m, h\), e\.g\. "30s", got 30$/,
  },
  'no-such-server.yaml': {
    text: `cluster:\n  numReplicaGroups: 2\n  numInstancesPerReplicaGroup: 3\n${CLASSES}faults:\n  - kind: slowServer\n    server: server-2-0\n    start: 1s\n    progressProbability: 0.5\n`,
    expected: /^no-such-server\.yaml:11:13: faults\.0\.server: no server "server-2-0" in the cluster \(2 replica groups × 3 instances: server-0-0 \.\. server-1-2\)$/,
  },
};

const TINY = `name: tiny
seed: 3
duration: 300ms
cluster:
  brokers: 2
  numReplicaGroups: 2
  numInstancesPerReplicaGroup: 2
  segments: 4
  server:
    threads: 2
routing:
  selector: softmax
${CLASSES}faults:
  - kind: gcPause
    server: server-1-1
    start: 100ms
    pause: 20ms
`;

describe('twin (node bin/twin.js)', () => {
  let dir: string;
  /** A path in this test's temporary directory (the scenarios and bin/twin.js are passed relative to the root). */
  let inTemp: (name: string) => string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'twin-cli-'));
    inTemp = (name) => join(dir, name);
    for (const [name, { text }] of Object.entries(BAD_FILES)) writeFileSync(inTemp(name), text);
    writeFileSync(inTemp('tiny.yaml'), TINY);
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('validate accepts a valid file (exit 0)', () => {
    const result = twin('validate', 'scenarios/default.yaml');
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('scenarios/default.yaml: ok (default)\n');
    expect(result.status).toBe(0);
  });

  it('validate reports every problem of every bad file as file:line:column: message, exit 2, no stack trace', () => {
    const names = Object.keys(BAD_FILES);
    const result = twin('validate', 'scenarios/default.yaml', ...names.map(inTemp));
    expect(result.status).toBe(2);
    expect(stackLines(result.stderr)).toEqual([]);
    // The valid file among them is still reported valid; the bad ones are not.
    expect(result.stdout).toBe('scenarios/default.yaml: ok (default)\n');
    const lines = result.stderr.trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^\S+:\d+:\d+: \S/);
    for (const [name, { expected }] of Object.entries(BAD_FILES)) {
      const own = lines.filter((line) => line.startsWith(`${inTemp(name)}:`)).map((line) => line.slice(dir.length + 1));
      expect(own, name).toHaveLength(1);
      expect(own[0], name).toMatch(expected);
    }
    expect(lines).toHaveLength(names.length);
  });

  it('run writes the five result files, prints the summary table, and matches an in-process run', () => {
    const out = inTemp('results-tiny');
    const result = twin('run', inTemp('tiny.yaml'), '--seed', '7', '--out', out);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(RESULT_FILES);

    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.scenario).toBe('tiny');
    expect(summary.seed).toBe(7);
    expect(summary.arrivals).toBeGreaterThan(5);
    expect(summary.outcomes.completed).toBe(summary.arrivals);
    expect(summary.performance.wallMs).toBeGreaterThanOrEqual(0);

    expect(result.stdout).toContain(`scenario tiny  seed 7  simulated 300 ms  arrivals ${summary.arrivals}`);
    expect(result.stdout).toMatch(/Outcomes\n +completed +partial +rejected +killed +timedOut\n +queries +\d+ +0 +0 +0 +0\n/);
    expect(result.stdout).toContain('Latency (ms, end - arrival, every outcome)');
    expect(result.stdout).toMatch(/\n +server-1-1 +\d+ +0\n/);
    expect(result.stdout).toContain(`results written to ${out}\n`);

    // The command line and runScenario give the same run: same tables, same resolved scenario.
    const inProcess = runScenario(parseScenario(TINY, 'tiny.yaml', ['seed=7']));
    for (const file of inProcess.files) {
      const written = readFileSync(join(out, file.name));
      if (file.name === 'summary.json') {
        const { performance: _wallClock, ...deterministic } = summary;
        expect(deterministic).toEqual(JSON.parse(file.data as string));
      } else {
        expect(written.equals(fileBytes(file)), file.name).toBe(true);
      }
    }
    expect(tableFromIPC(readFileSync(join(out, 'queries.arrow'))).numRows).toBe(summary.arrivals);
  });

  it('run --set with a misspelt selector exits 2 with a did-you-mean, and writes nothing', () => {
    const out = inTemp('results-hybird');
    const result = twin('run', inTemp('tiny.yaml'), '--out', out, '--set', 'routing.selector=hybird');
    expect(result.status).toBe(2);
    expect(stackLines(result.stderr)).toEqual([]);
    expect(result.stderr).toBe(
      '--set 1 (routing.selector=hybird): routing.selector: expected one of round-robin, random, in-flight, latency-ema, hybrid, softmax, c3, got "hybird"; did you mean "hybrid"?\n',
    );
    expect(result.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('run on a missing file exits 2 and says so', () => {
    const result = twin('run', 'scenarios/no-such-scenario.yaml', '--out', inTemp('results-missing'));
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('scenarios/no-such-scenario.yaml: cannot read the scenario file: no such file\n');
    expect(result.stdout).toBe('');
  });

  it('an unknown option is a usage error (exit 2), not a crash', () => {
    const result = twin('run', inTemp('tiny.yaml'), '--sed', '3');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("unknown option '--sed'");
    expect(stackLines(result.stderr)).toEqual([]);
  });
});

/** Every file under `dir` with its content, to show that nothing of the operator's changed. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) files[join(entry.parentPath, entry.name)] = readFileSync(join(entry.parentPath, entry.name), 'utf8');
  }
  return files;
}

/** Pids of running processes whose command line contains `text` (Linux /proc). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('twin never destroys what it did not write, and never outlives a kill', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'twin-safety-'));
    writeFileSync(join(dir, 'tiny.yaml'), TINY);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--out onto a folder holding a file of the operator is refused (exit 2) and changes nothing', () => {
    const mine = join(dir, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'README.md'), 'my notes');
    const before = snapshot(dir);
    const result = twin('run', join(dir, 'tiny.yaml'), '--out', mine);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`twin: ${mine}: holds files twin did not write ("README.md"); choose a new folder, or give --force to replace it with everything in it\n`);
    expect(result.stdout).toBe('');
    expect(snapshot(dir)).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(['mine', 'tiny.yaml']);
  });

  it('--out onto a file is refused, even with --force, and the file is unchanged', () => {
    const file = join(dir, 'report.txt');
    writeFileSync(file, 'keep me');
    for (const extra of [[], ['--force']]) {
      const result = twin('run', join(dir, 'tiny.yaml'), '--out', file, ...extra);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(`twin: ${file}: is a file, not a folder; results are never written over a file, choose a new folder\n`);
    }
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    rmSync(file);
  });

  it('--out . (the folder holding the scenario) is refused, even with --force, and nothing changes', () => {
    const before = snapshot(dir);
    for (const extra of [[], ['--force']]) {
      const result = twinIn(dir, 'run', 'tiny.yaml', '--out', '.', ...extra);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe('twin: .: is the current folder or holds it; choose a new folder for the results\n');
    }
    const holding = twinIn(REPO, 'run', join(dir, 'tiny.yaml'), '--out', dir, '--force');
    expect(holding.status).toBe(2);
    expect(holding.stderr).toBe(`twin: ${dir}: holds ${join(dir, 'tiny.yaml')}, which this run reads; choose a new folder for the results\n`);
    expect(snapshot(dir)).toEqual(before);
  });

  it('an unwritable --out is reported in words (exit 2), not as a library error', () => {
    writeFileSync(join(dir, 'plain-file'), '');
    const result = twin('run', join(dir, 'tiny.yaml'), '--out', join(dir, 'plain-file', 'run'));
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`twin: ${join(dir, 'plain-file', 'run')}: cannot be written: a part of the path is a file, not a folder\n`);
    rmSync(join(dir, 'plain-file'));
  });

  it('a second run replaces its own results folder', () => {
    const out = join(dir, 'again');
    expect(twin('run', join(dir, 'tiny.yaml'), '--out', out).status).toBe(0);
    const second = twin('run', join(dir, 'tiny.yaml'), '--out', out, '--seed', '9');
    expect(second.status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).seed).toBe(9);
    rmSync(out, { recursive: true });
  });

  it('a huge --seed is reported against --seed, exit 2', () => {
    const result = twin('run', join(dir, 'tiny.yaml'), '--seed', '1'.repeat(30));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`option '--seed <n>' argument '${'1'.repeat(30)}' is invalid. expected an integer from 0 to 9007199254740991`);
    expect(result.stderr).not.toContain('--set 1');
  });

  it('--version prints the package version; --help gives examples and exit codes', () => {
    const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    const version = twin('--version');
    expect(version.stdout).toBe(`${manifest.version}\n`);
    expect(version.status).toBe(0);
    const help = twin('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Examples:\n  twin run scenarios/default.yaml');
    expect(help.stdout).toMatch(/Exit codes:\n {2}0 +success\n {2}1 +.*\n {2}2 +bad input/);
  });

  it.skipIf(!existsSync('/proc/self/cmdline'))(
    'SIGKILL of a run leaves no process behind, and the next run removes the temporary folder a killed write left',
    async () => {
      const out = join(dir, 'killed', 'run');
      const long = join(dir, 'long.yaml');
      writeFileSync(long, TINY.replace('duration: 300ms', 'duration: 1h').replace('qps: 50', 'qps: 3000'));
      const child = spawn(process.execPath, [join(REPO, 'bin/twin.js'), 'run', long, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      // A run this long starts by saying roughly how long it will take; then the simulation is under way.
      let stderr = '';
      await new Promise<void>((resolve) => {
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          if (stderr.includes('\n')) resolve();
        });
      });
      expect(stderr).toMatch(/^twin: this run will take roughly \d+(\.\d)? (minutes|hours) \(about 1\.1e7 queries, [\d.]+ [MG]iB of memory\); Ctrl-C stops it\n$/);
      await new Promise((resolve) => setTimeout(resolve, 500));
      // One process: nothing but the run itself mentions its results folder.
      expect(processesMentioning(out)).toEqual([child.pid]);
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(processesMentioning(out)).toEqual([]);
      expect(existsSync(out)).toBe(false);

      // What a write killed half-way leaves: a hidden temporary sibling with a truncated table.
      const leftover = join(dir, 'killed', `.run.tmp-${child.pid}-0`);
      mkdirSync(leftover, { recursive: true });
      writeFileSync(join(leftover, '.olap-twin-run'), JSON.stringify({ tool: 'olap-twin', files: ['queries.arrow'] }));
      writeFileSync(join(leftover, 'queries.arrow'), 'ARROW1 trunc');
      expect(twin('run', join(dir, 'tiny.yaml'), '--out', join(dir, 'killed', 'next')).status).toBe(0);
      expect(readdirSync(join(dir, 'killed'))).toEqual(['next']);
    },
  );
});

describe('twin refuses what it cannot do, in its own words (issue 5, items 4-7)', () => {
  let dir: string;
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  /** twin's stderr lines with the temporary folder taken off the file names. */
  const lines = (result: SpawnSyncReturns<string>) => result.stderr.trimEnd().split('\n').map((line) => line.replaceAll(`${dir}/`, ''));
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'twin-refuse-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('item 4: a rate of 1e308 is refused before running (exit 2), at the rate and the duration, and nothing is written', () => {
    const file = write('qps.yaml', `duration: 60s\n${CLASSES.replace('qps: 50', 'qps: 1e308')}`);
    const out = join(dir, 'qps-out');
    for (const result of [twin('validate', file), twin('run', file, '--out', out)]) {
      expect(result.status).toBe(2);
      expect(stackLines(result.stderr)).toEqual([]);
      expect(lines(result)).toEqual([
        'qps.yaml:5:12: workload.classes.0.qps: refused before running: the numbers overflow: the rate times the duration is more queries than a number can hold; lower workload.classes.0.qps or duration',
        'qps.yaml:1:11: duration: one of the keys behind the refusal above',
      ]);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('item 4: 10 h at 1 M QPS and a cluster of 10 000 × 1 000 × 10 000 are refused with their estimates (exit 2)', () => {
    const long = write('long.yaml', `duration: 10h\n${CLASSES.replace('qps: 50', 'qps: 1000000')}`);
    const longRun = twin('run', long, '--out', join(dir, 'long-out'));
    expect(longRun.status).toBe(2);
    expect(lines(longRun)[0]).toBe(
      'long.yaml:5:12: workload.classes.0.qps: refused before running: the run would have about 3.6e10 queries; query ids are 32-bit, so at most 4.3e9; lower workload.classes.0.qps or duration',
    );
    const huge = write(
      'huge.yaml',
      `cluster:\n  brokers: 10000\n  numReplicaGroups: 1000\n  numInstancesPerReplicaGroup: 10000\n  segments: 10000\n${CLASSES}`,
    );
    const hugeRun = twin('run', huge, '--out', join(dir, 'huge-out'));
    expect(hugeRun.status).toBe(2);
    expect(lines(hugeRun)[0]).toBe(
      'huge.yaml:3:21: cluster.numReplicaGroups: refused before running: the cluster would have 1.0e7 servers; results index servers with 16 bits, so at most 65536; lower cluster.numReplicaGroups or cluster.numInstancesPerReplicaGroup',
    );
    expect(lines(hugeRun)[2]).toMatch(/^huge\.yaml:2:12: cluster\.brokers: refused before running: the run would need about 9\.\d TiB of memory/);
    expect(existsSync(join(dir, 'long-out')) || existsSync(join(dir, 'huge-out'))).toBe(false);
  });

  it('item 5: a file over 4 MiB is refused unread; 80 000 unknown keys print 50 problems and a count, quickly', () => {
    const big = write('big.yaml', `description: "${'x'.repeat(5 * 1024 * 1024)}"\n${CLASSES}`);
    const bigRun = twin('validate', big);
    expect(bigRun.status).toBe(2);
    expect(lines(bigRun)).toEqual(['big.yaml: cannot read the scenario file: the file is 5.0 MiB; scenario files are limited to 4 MiB']);

    const keys = Array.from({ length: 80_000 }, (_, i) => `key${i}: 1`).join('\n');
    const many = twin('validate', write('many.yaml', `${CLASSES}${keys}\n`));
    expect(many.status).toBe(2);
    const printed = lines(many);
    expect(printed).toHaveLength(51);
    expect(printed[0]).toBe('many.yaml:6:1: unknown key "key0" in the scenario');
    expect(printed[50]).toBe('many.yaml: and 79950 more problems (80000 in all; the first 50 are shown)');
  });

  it('item 5: an alias bomb is refused at its alias, before it is expanded', () => {
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 9; i++) rows.push(`b${i}: &b${i} [${Array(10).fill(i === 1 ? '*a' : `*b${i - 1}`).join(', ')}]`);
    const result = twin('validate', write('bomb.yaml', `${rows.join('\n')}\n`));
    expect(result.status).toBe(2);
    expect(lines(result)).toEqual(['bomb.yaml:10:10: aliases expand the scenario to 12345679011 values; at most 1000000 are allowed (*b8 alone repeats 1111111111)']);
  });

  it('item 6: a folder and two documents are reported in the tool\'s words (exit 2)', () => {
    const folder = twin('validate', dir);
    expect(folder.status).toBe(2);
    expect(folder.stderr).toBe(`${dir}: cannot read the scenario file: it is a folder, not a file\n`);
    const two = twin('validate', write('two.yaml', `${CLASSES}---\nname: second\n`));
    expect(two.status).toBe(2);
    expect(lines(two)).toEqual(['two.yaml:6:1: expected one YAML document, found a second one here (a scenario file holds one scenario; remove the "---")']);
  });

  it('item 7: schema errors and the checks across sections are reported in one pass', () => {
    const file = write(
      'cross.yaml',
      `cluster:\n  numInstancesPerReplicaGroup: 8\n  segments: 4\n  brokers: zero\n${CLASSES}faults:\n  - kind: slowServer\n    server: server-9-9\n    start: 2m\n    progressProbability: 0.5\n`,
    );
    const result = twin('validate', file);
    expect(result.status).toBe(2);
    expect(lines(result)).toEqual([
      'cross.yaml:3:13: cluster.segments: expected at least numInstancesPerReplicaGroup (8), so that every server holds a segment, got 4',
      'cross.yaml:4:12: cluster.brokers: expected an integer from 1 to 10000, got "zero"',
      'cross.yaml:12:13: faults.0.server: no server "server-9-9" in the cluster (3 replica groups × 8 instances: server-0-0 .. server-2-7)',
      'cross.yaml:13:12: faults.0.start: expected a time before the end of the run (60s), got "2m"',
    ]);
  });
});
