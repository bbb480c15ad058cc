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
  // A drawing already within the palette (flat colours, no anti-aliasing) keeps its colours
  // exactly and skips the quantiser, most of the time of a render.
  const palette = distinctColours(frame, colours) <= colours ? 0 : colours;
  return Buffer.from(UPNG.encode([frame], rendered.width, rendered.height, palette));
}

/** How many colours the RGBA pixels hold, counting no further than `limit` + 1. */
function distinctColours(frame: ArrayBuffer, limit: number): number {
  const seen = new Set<number>();
  for (const px of new Uint32Array(frame)) if (!seen.has(px) && seen.add(px).size > limit) break;
  return seen.size;
}

/** The PNG as a data URI, for an Adaptive Card Image (no URL to guard: the picture travels in the card). */
export const pngDataUri = (png: Buffer): string => `data:image/png;base64,${png.toString('base64')}`;

/** Escapes text for SVG content and attribute values. */
export const svgText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
