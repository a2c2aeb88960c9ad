// The `twin` command line as an operator meets it: validate and run through `node bin/twin.js`, exit codes, file:line:column messages without stack traces, and the results directory.

import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/load-scenario.js';
import { runScenario } from '../run/run-scenario.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const RESULT_FILES = ['events.arrow', 'queries.arrow', 'scenario.resolved.yaml', 'series.arrow', 'summary.json'];

/** `node bin/twin.js ...args`, from the repository root, as a user would type it. */
function twin(...args: string[]): SpawnSyncReturns<string> {
  const result = spawnSync(process.execPath, ['bin/twin.js', ...args], {
    cwd: REPO,
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
        expect(written.equals(Buffer.from(file.data)), file.name).toBe(true);
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
