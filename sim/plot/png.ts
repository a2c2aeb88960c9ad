// Rasterises a figure's SVG to PNG with resvg (a Rust renderer shipped as a prebuilt Node addon: no
// browser, no network), at twice the SVG's size for print. Text uses the system's fonts (DejaVu Sans).

import { Resvg } from '@resvg/resvg-js';
import { FONT_FAMILY } from './svg-figure.js';

const SCALE = 2;

export function svgToPng(svg: string): Uint8Array {
  const renderer = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: SCALE },
    font: { loadSystemFonts: true, defaultFontFamily: FONT_FAMILY.split(',')[0].trim() },
  });
  return renderer.render().asPng();
}
