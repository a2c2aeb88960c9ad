// The notebooks end to end: a small real scenario run and a tiny real sweep (2x2 points, 2 seeds) into a
// temporary folder, each written as Arrow and as Parquet only (--format parquet), served by
// serveNotebook, opened in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core):
// every figure is an SVG with marks, the controls redraw them, the console stays clean, whichever format
// the page reads. Also: the server hands out only the files of the results directory, read-only.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { parquetReadObjects } from 'hyparquet';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRunDirectory } from '../results/run-directory.js';
import { runScenario } from '../run/run-scenario.js';
import { parseScenario } from '../scenario/load-scenario.js';
import { runSweep } from '../sweep/run-sweep.js';
import { loadSweepFile } from '../sweep/sweep-file.js';
import { planSweep } from '../sweep/sweep-plan.js';
import { sweepFixture, TINY_SCENARIO } from '../sweep/sweep-test-kit.js';
import { notebookData, serveNotebook, type NotebookServer } from './notebook-server.js';
import { filesInFormat } from '../results/run-formats.js';
import type { TableFormat } from '../sweep/sweep-directory.js';

const CHROMIUM = '/usr/bin/chromium';
const TWO_CLASSES = TINY_SCENARIO.replace(
  '        p99: 2.7ms\n',
  '        p99: 2.7ms\n    - name: report\n      qps: 20\n      segmentCost: { distribution: lognormal, median: 10ms, p99: 30ms }\n',
);

const TINY_SWEEP = `scenario: tiny.yaml
set:
  duration: 1s
  faults: []
parameters:
  routing.selector: [round-robin, hybrid]
  workload.classes.0.qps: [100, 300]
replicates: 2
report: [latencyMs.all.p99]
`;
const FIGURE = 'latencyMs.all.p99';

const root = mkdtempSync(join(tmpdir(), 'twin-notebook-'));
const runDir = join(root, 'run');
const sweepSource = sweepFixture({ 'tiny.sweep.yaml': TINY_SWEEP });
const sweepDir = join(sweepSource, 'out');
/** The servers over the run and the sweep written in each format (Arrow IPC, Parquet only). */
const servers = new Map<TableFormat, { run: NotebookServer; sweep: NotebookServer }>();
let server: NotebookServer;
let sweepServer: NotebookServer;

beforeAll(async () => {
  const run = runScenario(parseScenario(TWO_CLASSES, 'two-classes.yaml'));
  writeRunDirectory(runDir, run.files);
  writeRunDirectory(`${runDir}-parquet`, filesInFormat(run.files, 'parquet'));
  writeFileSync(join(root, 'secret.txt'), 'outside the results directory\n');
  symlinkSync(join(root, 'secret.txt'), join(runDir, 'link.txt'));
  const plan = planSweep(loadSweepFile(join(sweepSource, 'tiny.sweep.yaml')));
  await runSweep(plan, { out: sweepDir, workers: 1, resume: false, keepRuns: false });
  await runSweep(plan, { out: `${sweepDir}-parquet`, workers: 1, resume: false, keepRuns: true, format: 'parquet' });
  for (const format of ['arrow', 'parquet'] as const) {
    const suffix = format === 'arrow' ? '' : '-parquet';
    servers.set(format, { run: await serveNotebook(`${runDir}${suffix}`), sweep: await serveNotebook(`${sweepDir}${suffix}`) });
  }
  ({ run: server, sweep: sweepServer } = servers.get('arrow')!);
}, 180_000);

afterAll(async () => {
  for (const { run, sweep } of servers.values()) {
    await run.close();
    await sweep.close();
  }
  rmSync(root, { recursive: true, force: true });
  rmSync(sweepSource, { recursive: true, force: true });
});

/** Status of a raw request to `on` (the run's server unless told), the path sent exactly as written (no normalisation of `..`). */
function status(path: string, method = 'GET', on: () => NotebookServer = () => server): Promise<number> {
  const url = new URL(on().url);
  return new Promise((done, fail) => {
    const call = request({ host: url.hostname, port: url.port, path, method }, (response) => {
      response.resume();
      done(response.statusCode ?? 0);
    });
    call.on('error', fail);
    call.end();
  });
}

describe('notebook server', () => {
  it('listens on 127.0.0.1 only and serves the page, its bundle and the run files', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await status('/')).toBe(200);
    expect(await status('/run.js')).toBe(200);
    expect(await status('/notebook.css')).toBe(200);
    expect(await status('/notebook.json')).toBe(200);
    expect(await status('/data/queries.arrow')).toBe(200);
    expect(await status('/data/summary.json')).toBe(200);
    expect(await status('/data/nothing.arrow')).toBe(403);
  });

  it('refuses paths that leave the results directory, listings and writes', async () => {
    for (const path of ['/data/../secret.txt', '/data/%2e%2e/secret.txt', '/data/..%2fsecret.txt', '/data/link.txt', '/data/', '/data/.', '/data/%00']) {
      expect(await status(path), path).toBe(403);
    }
    expect(await status('/../secret.txt')).toBe(404);
    expect(await status('/data/summary.json', 'PUT')).toBe(405);
    expect(await status('/data/summary.json', 'DELETE')).toBe(405);
  });

  it('serves the sweep page over a sweep directory, and the same read-only files', async () => {
    const sweep = () => sweepServer;
    expect(await status('/', 'GET', sweep)).toBe(200);
    expect(await status('/sweep.js', 'GET', sweep)).toBe(200);
    expect(await status('/run.js', 'GET', sweep)).toBe(404);
    expect(await status('/data/sweep.arrow', 'GET', sweep)).toBe(200);
    expect(await status('/data/../secret.txt', 'GET', sweep)).toBe(403);
    expect(await status('/data/sweep.arrow', 'PUT', sweep)).toBe(405);
  });
});

const FORMATS: readonly TableFormat[] = ['arrow', 'parquet'];

/** The sweep-summary table's means of FIGURE, read from the sweep written in `format`. */
async function summaryMeans(format: TableFormat): Promise<number[]> {
  if (format === 'arrow') return Array.from(tableFromIPC(readFileSync(join(sweepDir, 'sweep-summary.arrow'))).getChild(`${FIGURE}.mean`)!.toArray() as ArrayLike<number>);
  const bytes = readFileSync(join(`${sweepDir}-parquet`, 'sweep-summary.parquet'));
  const rows = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), columns: [`${FIGURE}.mean`] });
  return rows.map((row) => Number(row[`${FIGURE}.mean`]));
}

describe('a Parquet-only sweep kept with --keep-runs', () => {
  it("holds each cell's run tables as Parquet only, which the run page opens", () => {
    const cells = join(`${sweepDir}-parquet`, 'cells');
    const ids = readdirSync(cells);
    expect(ids).toHaveLength(8);
    for (const id of ids) {
      const names = readdirSync(join(cells, id));
      expect(names).toEqual(expect.arrayContaining(['queries.parquet', 'series.parquet', 'events.parquet', 'summary.json']));
      expect(names.filter((name) => name.endsWith('.arrow'))).toEqual([]);
      expect(notebookData(join(cells, id))).toEqual({ kind: 'run', tables: 'parquet' });
    }
    expect(notebookData(`${sweepDir}-parquet`)).toEqual({ kind: 'sweep', tables: 'parquet' });
    expect(notebookData(sweepDir)).toEqual({ kind: 'sweep', tables: 'arrow' });
  });
});

/** A page of `url` that fails every request leaving the local server, and the console errors, warnings and failures it collects. */
async function openNotebook(browser: Browser, url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (failed) => problems.push(`request failed: ${failed.url()}`));
  // Offline: any request that is not to the local server fails the test.
  await page.route('**/*', (route) => (route.request().url().startsWith(url) ? route.continue() : route.abort()));
  await page.goto(url);
  await page.waitForSelector('body[data-rendered="1"]', { timeout: 20_000 });
  return { page, problems };
}

describe.skipIf(!existsSync(CHROMIUM))(`notebooks in headless Chromium (skipped: ${CHROMIUM} absent; apt-get install chromium)`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each(FORMATS)('draws every figure with marks from %s tables, redraws them on a control change, and logs no error', async (format) => {
    const { page, problems } = await openNotebook(browser, servers.get(format)!.run.url);

    const marks = (figure: string, selector: string) => page.locator(`#${figure} svg ${selector}`).count();
    expect(await page.locator('#cdf svg g[aria-label="line"] path').count()).toBe(2);
    expect(await marks('percentiles', 'g[aria-label="line"] path')).toBe(3);
    expect(await marks('rate', 'g[aria-label="line"] path')).toBe(4);
    expect(await marks('share', 'g[aria-label="bar"] rect')).toBe(4);
    expect(await page.locator('#classes input').count()).toBe(2);
    expect(await page.locator('#servers input').count()).toBe(4);

    // One class and one server off, a window of the first second: the figures follow.
    await page.locator('#classes input[value="report"]').uncheck();
    await page.locator('#servers input[value="server-0-1"]').uncheck();
    await page.locator('#toS').fill('1');
    await page.locator('#toS').dispatchEvent('change');
    await page.waitForSelector('body[data-rendered="4"]', { timeout: 20_000 });
    expect(await page.locator('#cdf svg g[aria-label="line"] path').count()).toBe(1);
    expect(await marks('rate', 'g[aria-label="line"] path')).toBe(3);
    expect(await marks('share', 'g[aria-label="bar"] rect')).toBe(3);
    expect(await page.locator('#status').textContent()).toMatch(/^\d+ of \d+ queries, 0\.0 s to 1\.0 s$/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it.each(FORMATS)('draws the sweep from its %s table: each point mean across seeds with its interval, redrawn for another x parameter and a filter', async (format) => {
    const { page, problems } = await openNotebook(browser, servers.get(format)!.sweep.url);
    const dots = () => page.locator('#figure svg g[aria-label="dot"] circle').count();
    const xLabel = () => page.locator('#figure svg g[aria-label="x-axis label"]').textContent();
    expect(await dots()).toBe(4);
    expect(await page.locator('#figure svg g[aria-label="rule"] line').count()).toBe(4);
    expect(await page.locator('#figure svg g[aria-label="line"] path').count()).toBe(2);
    expect(await xLabel()).toContain('routing.selector');
    // The means drawn are the sweep-summary table's means (the same confidence rule).
    const expected = (await summaryMeans(format)).sort();
    const titles = await page.locator('#figure svg g[aria-label="dot"] circle title').allTextContents();
    expect(titles.map((title) => Number(/mean (\S+)/.exec(title)![1])).sort()).toEqual(expected);

    const before = await page.locator('#figure .chart').innerHTML();
    await page.selectOption('#x', 'workload.classes.0.qps');
    await page.waitForSelector('body[data-rendered="2"]', { timeout: 20_000 });
    expect(await xLabel()).toContain('workload.classes.0.qps');
    expect(await page.locator('#figure .chart').innerHTML()).not.toBe(before);
    expect(await dots()).toBe(4);

    // Only the hybrid selector: two points left.
    await page.locator('#filters fieldset[data-parameter="routing.selector"] input[value="round-robin"]').uncheck();
    await page.waitForSelector('body[data-rendered="3"]', { timeout: 20_000 });
    expect(await dots()).toBe(2);
    expect(await page.locator('#status').textContent()).toBe('2 points of 4, 8 cells');
    expect(problems).toEqual([]);
    await page.close();
  });
});
