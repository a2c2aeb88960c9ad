// Cache scenarios end to end: a replay is deterministic, its exported page-request stream replays to
// the same misses, and the command line reports bad scenarios and bad traces with exit code 2.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { OracleGeneralWriter } from '../trace/oracle-general.js';
import { ScenarioError } from '../scenario/scenario-error.js';
import { parseCacheScenario } from './load-cache-scenario.js';
import { runCacheScenario } from './run-cache-scenario.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'twin-cache-'));

const SMALL = `
duration: 2m
cache:
  directories: [{ capacity: 2GiB }]
workload:
  requestsPerSecond: 500
  tables: [{ name: s.t, files: 500, partitions: 4, fileSize: 64MiB, zipfExponent: 1.1 }]
  scans: [{ table: s.t, every: 1m, files: 2, readSize: 8MiB }]
metrics: { interval: 30s }
`;

describe('cache scenarios', () => {
  it('a replay is deterministic and its intervals add up to the totals', () => {
    const scenario = parseCacheScenario(SMALL, 'small.yaml');
    const first = runCacheScenario(scenario, { scenarioPath: 'small.yaml' });
    const second = runCacheScenario(scenario, { scenarioPath: 'small.yaml' });
    expect(second.summary).toEqual(first.summary);
    expect(first.summary.reads).toBeGreaterThan(50_000);
    const intervals = tableFromIPC(first.files.find((file) => file.name === 'cache-intervals.arrow')!.data as Uint8Array);
    expect(intervals.numRows).toBe(4);
    const column = (name: string) => [...intervals.getChild(name)!.toArray()].reduce((a: number, b: number) => a + b, 0);
    expect(column('reads')).toBe(first.summary.reads);
    expect(column('bytesReadCache') + column('bytesRequestedExternal')).toBe(first.summary.bytesRequested);
    expect(column('pagesEvicted')).toBe(first.summary.pagesEvicted);
  });

  it('the exported page-request stream replays to the same misses', () => {
    const exported = join(dir, 'pages.oracleGeneral.bin');
    const scenario = parseCacheScenario(SMALL, 'small.yaml');
    const writer = new OracleGeneralWriter(exported);
    const original = runCacheScenario(scenario, { scenarioPath: 'small.yaml', exportTo: writer });
    writer.finish();
    const replay = parseCacheScenario(
      `cache: { directories: [{ capacity: 2GiB }], pageSize: 1GiB }\nworkload: { kind: trace, trace: { path: ${exported} } }\n`,
      'replay.yaml',
    );
    const again = runCacheScenario(replay, { scenarioPath: 'replay.yaml' });
    expect(again.summary.reads).toBe(readFileSync(exported).length / 24);
    expect(again.summary.reads).toBeGreaterThan(Number(original.summary.reads));
    expect(again.summary.externalRequests).toBe(original.summary.externalRequests);
    expect(again.summary.pagesEvicted).toBe(original.summary.pagesEvicted);
  });
});

describe('cache scenario files', () => {
  it('are held to the input limits of cluster scenarios: a duplicate key is an error at its place', () => {
    expect(() => parseCacheScenario('seed: 1\nseed: 2\n', 'dup.yaml')).toThrow(ScenarioError);
    try {
      parseCacheScenario('seed: 1\nseed: 2\n', 'dup.yaml');
    } catch (error) {
      expect((error as ScenarioError).issues[0]).toMatchObject({ file: 'dup.yaml', line: 2 });
    }
  });
});

describe('twin cache', () => {
  const twin = (...args: string[]) => spawnSync(process.execPath, ['bin/twin.js', 'cache', ...args], { cwd: REPO, encoding: 'utf8', timeout: 60_000, env: { ...process.env, TWIN_DEBUG: '' } });

  it('reports a bad key at its line and column, exit 2', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'cache:\n  evictor: LRUU\n');
    const result = twin(file);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/bad\.yaml:2:12: cache\.evictor: expected one of LRU, LFU/);
  });

  it('reports a truncated trace with its byte offset, exit 2, and writes no results', () => {
    const trace = join(dir, 'cut.bin');
    const records = Buffer.alloc(24 * 3).fill(0xff);
    for (let i = 0; i < 3; i++) records.writeBigUInt64LE(BigInt(i), i * 24 + 4);
    records.writeUInt32LE(0, 0);
    writeFileSync(trace, records.subarray(0, 24 * 3 - 5));
    const file = join(dir, 'cut.yaml');
    writeFileSync(file, `workload: { kind: trace, trace: { path: cut.bin } }\n`);
    const out = join(dir, 'cut-results');
    const result = twin(file, '--out', out);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`twin: ${trace}: byte 48: truncated record: 19 bytes left, an oracleGeneral record has 24\n`);
    expect(() => readFileSync(join(out, 'summary.json'))).toThrow();
  });

  it('never replaces a file at --export-trace that twin did not write, unless told to', () => {
    const file = join(dir, 'export.yaml');
    writeFileSync(file, SMALL);
    const trace = join(dir, 'mine.bin');
    writeFileSync(trace, 'a user file');
    const refused = twin(file, '--out', join(dir, 'export-results'), '--export-trace', trace);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--export-trace .*mine\.bin: a file is already there/);
    expect(readFileSync(trace, 'utf8')).toBe('a user file');
    const forced = twin(file, '--out', join(dir, 'export-results'), '--export-trace', trace, '--force');
    expect(forced.status).toBe(0);
    expect(readFileSync(trace).length % 24).toBe(0);
  });

  it('runs a scenario and writes its results', () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, SMALL);
    const out = join(dir, 'ok-results');
    const result = twin(file, '--out', out, '--set', 'cache.evictor=LFU');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/hitRate\s+0\.\d+/);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).reads).toBeGreaterThan(50_000);
  });
});
