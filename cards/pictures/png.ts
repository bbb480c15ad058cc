// Pictures in cards (the network map, the activity report's chart): an SVG drawn by this folder,
// rendered to PNG by resvg with the font shipped in dejavu-fonts-ttf (so the picture reads the same
// on a fresh machine, in the container and in CI, whatever fonts the system has), then reduced to a
// small palette: a card carries the picture inline as a data URI and must stay within Teams' size.
import { Resvg } from '@resvg/resvg-js';
import UPNG from 'upng-js';

/** The font every picture uses (regular and bold): a family name for the SVG and its files. */
export const PICTURE_FONT = 'DejaVu Sans';
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => require.resolve(`dejavu-fonts-ttf/ttf/${f}`));

export interface PngOptions {
  /** Width of the PNG in pixels (the SVG is scaled to it). */
  width: number;
  /** Colours kept (0: full colour). Flat drawings read well with 32 or more. */
  colours?: number;
}

/** Renders an SVG document to PNG bytes. */
export function svgToPng(svg: string, opts: PngOptions): Buffer {
  const rendered = new Resvg(svg, {
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: PICTURE_FONT },
    fitTo: { mode: 'width', value: opts.width },
  }).render();
  const colours = opts.colours ?? 48;
  if (colours === 0) return rendered.asPng();
  const rgba = rendered.pixels;
  const frame = rgba.buffer.slice(rgba.byteOffset, rgba.byteOffset + rgba.byteLength) as ArrayBuffer;
  return Buffer.from(UPNG.encode([frame], rendered.width, rendered.height, colours));
}

/** The PNG as a data URI, for an Adaptive Card Image (no URL to guard: the picture travels in the card). */
export const pngDataUri = (png: Buffer): string => `data:image/png;base64,${png.toString('base64')}`;

/** Escapes text for SVG content and attribute values. */
export const svgText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
