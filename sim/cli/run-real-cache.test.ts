// `twin run FILE --mode real` with a `storage` section, as an operator meets it: servers read through
// their page caches (summary.json's storage figures; with the cache off every byte comes from the
// segment store), a storage key a real run cannot honour is refused at its file:line:column, and the
// run's temporary folder (segment store, page caches) is gone after the run, after SIGTERM, and,
// after SIGKILL, once the next real run starts.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'olap-twin-run-real-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The temporary folder the runs of one test see (TMPDIR), so their scratch folders can be counted. */
function runTmp(name: string): string {
  const path = join(dir, `tmp-${name}`);
  mkdirSync(path);
  return path;
}

function twin(tmp: string, ...args: string[]) {
  return spawnSync(process.execPath, ['bin/twin.js', ...args], { cwd: REPO, encoding: 'utf8', timeout: 180_000, env: { ...process.env, TMPDIR: tmp } });
}

function scratchFolders(tmp: string): string[] {
  return readdirSync(tmp).filter((name) => name.startsWith('olap-twin-real-'));
}

function storageOf(out: string) {
  return JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).storage;
}

describe('twin run --mode real with storage', () => {
  it('reads through the page cache: hits once warm, the segment store asked far less than without the cache', () => {
    const tmp = runTmp('cached');
    const cached = twin(tmp, 'run', 'scenarios/real-cache.yaml', '--mode', 'real', '--out', join(dir, 'cached'));
    expect(cached.stderr).not.toMatch(/^\s+at /m);
    expect(cached.status).toBe(0);
    expect(cached.stdout).toMatch(/Page cache and storage/);
    const uncached = twin(tmp, 'run', 'scenarios/real-cache.yaml', '--mode', 'real', '--set', 'storage.cache.enabled=false', '--out', join(dir, 'uncached'));
    expect(uncached.status).toBe(0);
    expect(scratchFolders(tmp)).toEqual([]);

    const withCache = storageOf(join(dir, 'cached'));
    const without = storageOf(join(dir, 'uncached'));
    expect(withCache.servers.map((s: { server: string }) => s.server)).toEqual(['server-0-0', 'server-0-1', 'server-1-0', 'server-1-1']);
    // The cache starts cold: its first reads miss, later ones hit.
    expect(withCache.hitRate).toBeGreaterThan(0.5);
    expect(withCache.hitRate).toBeLessThan(1);
    expect(withCache.bytesReadCache + withCache.bytesRequestedExternal).toBe(withCache.bytesRequested);
    expect(without.hitRate).toBe(0);
    expect(without.remoteBytes).toBe(without.bytesRequested);
    expect(without.remoteRequests).toBeGreaterThan(3 * withCache.remoteRequests);
  });

  it('refuses storage keys a real run cannot honour, at their file:line:column', () => {
    const tmp = runTmp('refused');
    const file = join(dir, 'refused.yaml');
    const scenario = readFileSync(join(REPO, 'scenarios/real-cache.yaml'), 'utf8').replace('  remote: objectStore\n', '  remote: objectStore\n  segmentSize: 1GiB\n  reads: { blocks: 2 }\n');
    writeFileSync(file, scenario);
    const lineOf = (key: string) => scenario.split('\n').findIndex((line) => line.startsWith(`  ${key}:`)) + 1;
    const out = join(dir, 'refused-out');
    const run = twin(tmp, 'run', file, '--mode', 'real', '--out', out);
    expect(run.status).toBe(2);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stderr).toContain(`${file}:${lineOf('segmentSize')}:`);
    expect(run.stderr).toMatch(new RegExp(`${file}:${lineOf('reads')}:\\d+: not with --mode real: .*columns they touch`));
    expect(readdirSync(dir)).not.toContain('refused-out');
    expect(scratchFolders(tmp)).toEqual([]);
  });

  it('removes its folder when ended by SIGTERM, and a run killed outright has its folder removed by the next', async () => {
    const tmp = runTmp('killed');
    const start = () => {
      const child = spawn(process.execPath, ['bin/twin.js', 'run', 'scenarios/real-cache.yaml', '--mode', 'real', '--set', 'duration=60s', '--out', join(dir, 'killed')], {
        cwd: REPO,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, TMPDIR: tmp },
      });
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const running = new Promise<void>((resolve) => child.stderr!.on('data', (chunk: Buffer) => chunk.toString().includes('running') && resolve()));
      return { child, exited, running };
    };
    const terminated = start();
    await terminated.running;
    await new Promise((resolve) => setTimeout(resolve, 3000)); // segments written, threads starting or running
    expect(scratchFolders(tmp)).toHaveLength(1);
    terminated.child.kill('SIGTERM');
    await terminated.exited;
    expect(scratchFolders(tmp)).toEqual([]);

    const killed = start();
    await killed.running;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(scratchFolders(tmp)).toHaveLength(1); // nothing runs to clean up after SIGKILL
    const next = twin(tmp, 'run', 'scenarios/real-cache.yaml', '--mode', 'real', '--set', 'duration=1s', '--out', join(dir, 'next'));
    expect(next.status).toBe(0);
    expect(scratchFolders(tmp)).toEqual([]);
  });
});
