// `twin notebook DIR`'s server: bundles a notebook page with esbuild in memory, offline (Observable Plot,
// apache-arrow and hyparquet from node_modules): the run page (notebooks/run.ts) over a run directory,
// the sweep page (notebooks/sweep.ts) over a finished sweep's directory, each with its tables as Arrow
// IPC or, where the directory holds only Parquet (--format parquet), as Parquet (notebook.json tells the
// page which). It serves it on 127.0.0.1 at a port the system picks, with the pages' shared style sheet
// and the files of ONE results directory under /data/, read-only: GET and HEAD only, no listing, and a
// path that leaves the directory (.., an encoded slash, a symbolic link pointing out) is refused with 403.

import { createReadStream, existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve, sep } from 'node:path';
import { build } from 'esbuild';
import { packageRoot } from '../cli/package-version.js';
import { TABLE_FILES } from '../sweep/sweep-directory.js';

export interface NotebookServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Which notebook page: over a run directory, or over a sweep directory. */
export type NotebookKind = 'run' | 'sweep';

/** What a results directory holds: which page, and its tables' format (Arrow where it has both). */
export interface NotebookData {
  readonly kind: NotebookKind;
  readonly tables: 'arrow' | 'parquet';
}

interface Page {
  readonly kind: NotebookKind;
  readonly html: string;
  readonly css: string;
  readonly script: Uint8Array;
}

/** The style sheet both pages link. */
const STYLE_SHEET = 'notebook.css';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  arrow: 'application/vnd.apache.arrow.file',
  json: 'application/json; charset=utf-8',
  yaml: 'text/yaml; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
  svg: 'image/svg+xml',
  png: 'image/png',
};

/** The table a page reads first, per page, as Arrow and as Parquet. */
const MAIN_TABLES: ReadonlyArray<readonly [NotebookKind, string, string]> = [
  ['sweep', TABLE_FILES.sweep, TABLE_FILES.sweepParquet],
  ['run', 'queries.arrow', 'queries.parquet'],
];

/** The notebook a results directory gets: the sweep page when it holds the sweep table, the run page when it holds the query table. */
export function notebookData(dir: string): NotebookData | undefined {
  for (const [kind, arrow, parquet] of MAIN_TABLES) {
    if (existsSync(join(dir, arrow))) return { kind, tables: 'arrow' };
    if (existsSync(join(dir, parquet))) return { kind, tables: 'parquet' };
  }
  return undefined;
}

/** A notebook's HTML and its script, bundled from the repository's notebooks/ folder. */
export async function buildNotebook(kind: NotebookKind): Promise<Page> {
  const root = packageRoot();
  const source = root === undefined ? undefined : join(root, 'notebooks');
  if (source === undefined || !existsSync(join(source, `${kind}.ts`))) throw new Error('the notebooks/ folder of olap-twin was not found beside the command');
  const result = await build({
    entryPoints: [join(source, `${kind}.ts`)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    logLevel: 'silent',
  });
  const read = (file: string) => readFileSync(join(source, file), 'utf8');
  return { kind, html: read(`${kind}.html`), css: read(STYLE_SHEET), script: result.outputFiles[0].contents };
}

/** The real path of `/data/<rest>` inside `dir`, or undefined when it would leave `dir`. */
export function resolveDataPath(dir: string, rest: string): string | undefined {
  let relative: string;
  try {
    relative = decodeURIComponent(rest);
  } catch {
    return undefined;
  }
  if (relative.length === 0 || relative.includes('\0') || relative.includes('\\')) return undefined;
  if (relative.split('/').some((part) => part === '..' || part === '.' || part === '')) return undefined;
  const candidate = resolve(dir, relative);
  if (!existsSync(candidate)) return undefined;
  const real = realpathSync(candidate);
  return real.startsWith(`${dir}${sep}`) ? real : undefined;
}

export async function serveNotebook(resultsDir: string, port = 0): Promise<NotebookServer> {
  if (!existsSync(resultsDir) || !statSync(resultsDir).isDirectory()) throw new Error(`${resultsDir}: not a directory`);
  const data = notebookData(resultsDir);
  if (data === undefined) {
    throw new Error(`${resultsDir}: no queries.arrow, queries.parquet, ${TABLE_FILES.sweep} or ${TABLE_FILES.sweepParquet}; is it a run or a finished sweep's directory?`);
  }
  const dir = realpathSync(resultsDir);
  const page = await buildNotebook(data.kind);
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string | Uint8Array) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, 'text/plain', 'read-only: GET and HEAD only\n');
    if (path === '/' || path === `/${page.kind}.html`) return send(200, 'text/html; charset=utf-8', page.html);
    if (path === `/${page.kind}.js`) return send(200, 'text/javascript; charset=utf-8', page.script);
    if (path === `/${STYLE_SHEET}`) return send(200, 'text/css; charset=utf-8', page.css);
    if (path === '/notebook.json') return send(200, CONTENT_TYPES.json, `${JSON.stringify(data)}\n`);
    if (!path.startsWith('/data/')) return send(404, 'text/plain', 'not found\n');
    const file = resolveDataPath(dir, path.slice('/data/'.length));
    if (file === undefined) return send(403, 'text/plain', 'refused: only files inside the results directory are served\n');
    const stat = statSync(file);
    if (!stat.isFile()) return send(403, 'text/plain', 'refused: not a file\n');
    const extension = file.slice(file.lastIndexOf('.') + 1);
    response.writeHead(200, { 'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream', 'content-length': stat.size, 'cache-control': 'no-store' });
    if (request.method === 'HEAD') return response.end();
    createReadStream(file).on('error', () => response.destroy()).pipe(response);
  });
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ready());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () => new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
  };
}
