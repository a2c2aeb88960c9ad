// Turns an Observable Plot chart into a standalone figure without a browser: Plot renders into a
// server-side DOM (linkedom), and the figure is one SVG document — a title, the chart, and a legend
// drawn as SVG (Plot's own swatch legends are HTML, which an SVG file and the rasteriser cannot hold).
// Fonts are DejaVu Sans (Debian's fonts-dejavu-core), readable at print size.

import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

export const FONT_FAMILY = 'DejaVu Sans, Verdana, sans-serif';
const FONT_SIZE_PX = 13;
const TITLE_SIZE_PX = 16;
const TITLE_HEIGHT_PX = 30;
const LEGEND_ROW_PX = 20;
const SWATCH_PX = 12;
/** Rough width of a character at FONT_SIZE_PX, to lay the legend out without measuring text. */
const CHAR_WIDTH_PX = 7.6;
export const FIGURE_WIDTH_PX = 820;
const PLOT_HEIGHT_PX = 420;

/** Colours for series, in order (Tableau 10, Plot's default categorical scheme). */
export const SERIES_COLORS = ['#4e79a7', '#f28e2c', '#e15759', '#76b7b2', '#59a14f', '#edc949', '#af7aa1', '#ff9da7', '#9c755f', '#bab0ab'];

export interface LegendItem {
  readonly label: string;
  readonly color: string;
  /** A line for a series, a filled box for an area (a fault window, a confidence band). */
  readonly kind: 'line' | 'box';
}

export interface Figure {
  readonly name: string;
  readonly title: string;
  readonly svg: string;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The legend's items laid out in rows across the figure's width; returns the SVG and its height. */
function legendSvg(items: readonly LegendItem[], top: number): { svg: string; height: number } {
  const parts: string[] = [];
  let x = 10;
  let row = 0;
  for (const item of items) {
    const width = SWATCH_PX + 6 + item.label.length * CHAR_WIDTH_PX + 18;
    if (x + width > FIGURE_WIDTH_PX - 10 && x > 10) {
      x = 10;
      row++;
    }
    const y = top + row * LEGEND_ROW_PX;
    const swatch =
      item.kind === 'line'
        ? `<line x1="${x}" x2="${x + SWATCH_PX}" y1="${y + 6}" y2="${y + 6}" stroke="${item.color}" stroke-width="2.5"/>`
        : `<rect x="${x}" y="${y}" width="${SWATCH_PX}" height="${SWATCH_PX}" fill="${item.color}" fill-opacity="0.35" stroke="${item.color}"/>`;
    parts.push(
      `<g class="legend-item">${swatch}<text x="${x + SWATCH_PX + 6}" y="${y + 10}" font-size="${FONT_SIZE_PX}">${escapeXml(item.label)}</text></g>`,
    );
    x += width;
  }
  return { svg: `<g class="legend">${parts.join('')}</g>`, height: items.length === 0 ? 0 : (row + 1) * LEGEND_ROW_PX + 6 };
}

/** Renders Plot options (marks, scales with labelled axes) to a chart SVG element's markup. */
function chartSvg(options: Plot.PlotOptions): string {
  const { document } = parseHTML('<!DOCTYPE html><html><body></body></html>');
  const chart = Plot.plot({
    width: FIGURE_WIDTH_PX,
    height: PLOT_HEIGHT_PX,
    marginLeft: 70,
    marginBottom: 45,
    style: { fontSize: `${FONT_SIZE_PX}px`, fontFamily: FONT_FAMILY, background: 'white', overflow: 'visible' },
    ...options,
    document: document as unknown as Plot.PlotOptions['document'],
  });
  if (chart.tagName.toLowerCase() !== 'svg') throw new Error('a figure must be a plain chart (no HTML legend or title)');
  return chart.outerHTML;
}

/** A standalone SVG document: title above, chart, legend below. */
export function renderFigure(name: string, title: string, options: Plot.PlotOptions, legend: readonly LegendItem[]): Figure {
  const chart = chartSvg(options);
  const chartTop = TITLE_HEIGHT_PX;
  const legendTop = chartTop + PLOT_HEIGHT_PX + 8;
  const { svg: legendMarkup, height: legendHeight } = legendSvg(legend, legendTop);
  const height = legendTop + legendHeight;
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${FIGURE_WIDTH_PX}" height="${height}" viewBox="0 0 ${FIGURE_WIDTH_PX} ${height}" font-family="${FONT_FAMILY}" font-size="${FONT_SIZE_PX}">`,
    `<rect class="background" width="100%" height="100%" fill="white"/>`,
    `<text class="title" x="10" y="21" font-size="${TITLE_SIZE_PX}" font-weight="bold">${escapeXml(title)}</text>`,
    `<g class="chart" transform="translate(0, ${chartTop})">${chart}</g>`,
    legendMarkup,
    '</svg>',
  ].join('\n');
  return { name, title, svg: `${svg}\n` };
}
