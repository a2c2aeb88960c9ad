// `twin plot DIR... [--out DIR] [--format svg|png|both]`: the standard figures of runs (latency CDFs
// per class and run, per-server request rate with fault windows shaded, p95 over time, budget and
// consumption when the run had workload isolation, serving replicas and data missing when it had
// cluster faults, `--series` columns) or of a sweep (`--y` figures against `--x`, with confidence
// bands), as SVG and PNG files written together into one folder, whole or not at all. No browser, no network.

import { basename } from 'node:path';
import { writeRunDirectory, type RunFile } from '../results/run-directory.js';
import { svgToPng } from '../plot/png.js';
import { budgetFigure } from '../plot/budget-figure.js';
import { dataMissingFigure, servingReplicasFigure } from '../plot/availability-figures.js';
import { latencyCdfFigure, p95OverTimeFigure, serverRateFigure, seriesColumnFigure } from '../plot/run-figures.js';
import { readRunResults } from '../plot/run-results.js';
import type { Figure } from '../plot/svg-figure.js';
import { isSweepDirectory, readSweepSummary, sweepFigure } from '../plot/sweep-figures.js';
import { UsageError } from './errors.js';

export interface PlotCommandOptions {
  readonly out?: string;
  readonly format: string;
  readonly series: readonly string[];
  readonly y: readonly string[];
  readonly x?: string;
  readonly windowMs?: number;
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

function runFigures(dirs: readonly string[], options: PlotCommandOptions): Figure[] {
  const runs = dirs.map((dir) => readRunResults(dir));
  const figures = [latencyCdfFigure(runs)];
  runs.forEach((run, i) => {
    const suffix = runs.length > 1 ? `-${safeName(basename(dirs[i]))}` : '';
    const own = [
      serverRateFigure(run),
      p95OverTimeFigure(run, options.windowMs),
      ...(run.workloads === undefined ? [] : [budgetFigure(run)]),
      ...(run.cluster === undefined ? [] : [servingReplicasFigure(run), dataMissingFigure(run)]),
      ...options.series.map((column) => seriesColumnFigure(run, column)),
    ];
    figures.push(...own.map((figure) => ({ ...figure, name: `${figure.name}${suffix}` })));
  });
  return figures;
}

function sweepFigures(dir: string, options: PlotCommandOptions): Figure[] {
  const summary = readSweepSummary(dir);
  if (options.y.length > 0) return options.y.map((figure) => sweepFigure(summary, { figure, x: options.x }));
  // The sweep file's named figures (plans written before they existed have none), else its report figures.
  const named = summary.plan.figures ?? [];
  if (named.length > 0) return named.map((spec) => ({ ...sweepFigure(summary, { figure: spec.y, x: spec.x }), name: spec.name }));
  const reported = summary.plan.report.filter((figure) => {
    const present = summary.columns.includes(`${figure}.mean`);
    if (!present) process.stderr.write(`twin: the sweep's report figure ${figure} is not a numeric figure of its cells; skipped\n`);
    return present;
  });
  return reported.map((figure) => sweepFigure(summary, { figure, x: options.x }));
}

/** Refuses a --format other than svg, png or both. */
export function checkFigureFormat(format: string): void {
  if (!['svg', 'png', 'both'].includes(format)) throw new UsageError(`--format: expected svg, png or both, got "${format}"`);
}

/** The files of figures in the given format (svg, png or both), named after the figures. */
export function figureFiles(figures: readonly Figure[], format: string): RunFile[] {
  const files: RunFile[] = [];
  for (const figure of figures) {
    const name = safeName(figure.name);
    if (format !== 'png') files.push({ name: `${name}.svg`, data: figure.svg });
    if (format !== 'svg') files.push({ name: `${name}.png`, data: svgToPng(figure.svg) });
  }
  return files;
}

export function plotCommand(dirs: readonly string[], options: PlotCommandOptions): void {
  checkFigureFormat(options.format);
  const sweeps = dirs.filter(isSweepDirectory);
  if (sweeps.length > 0 && (sweeps.length > 1 || dirs.length > 1)) throw new UsageError('plot one sweep directory at a time (or run directories together)');
  let figures: Figure[];
  try {
    figures = sweeps.length === 1 ? sweepFigures(sweeps[0], options) : runFigures(dirs, options);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const files = figureFiles(figures, options.format);
  const out = options.out ?? (dirs.length === 1 ? `${dirs[0].replace(/\/+$/, '')}-figures` : 'results/figures');
  writeRunDirectory(out, files);
  for (const file of files) process.stdout.write(`${out}/${file.name}\n`);
}
