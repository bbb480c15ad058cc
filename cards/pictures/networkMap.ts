// The network map as a picture: the layout of domain/networkMap.ts drawn in SVG (rings, sectors,
// lines by relation, the référent marked, a legend in the reader's language), rendered to PNG.
// PLACEHOLDER API (to be replaced by the full drawing): the signatures are the contract.
import { layoutNetworkMap } from '../../domain/networkMap';
import type { PsiActor } from '../../domain/psi';
import type { Locale } from '../../locales/i18n';
import { svgText, svgToPng } from './png';

export type MapTheme = 'light' | 'dark';

export interface NetworkMapPictureOptions {
  theme?: MapTheme;
  /** PNG width in pixels. */
  width?: number;
}

/** The map as an SVG document. */
export function networkMapSvg(actors: readonly PsiActor[], _locale: Locale, opts: NetworkMapPictureOptions = {}): string {
  const size = 600;
  const layout = layoutNetworkMap(actors, size);
  const bg = opts.theme === 'dark' ? '#1f1f1f' : '#fafafa';
  const fg = opts.theme === 'dark' ? '#f0f0f0' : '#202020';
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}"><rect width="${size}" height="${size}" fill="${bg}"/>`];
  for (const n of layout.nodes) {
    const a = actors.find((x) => x.id === n.id)!;
    parts.push(`<line x1="${layout.centre.x}" y1="${layout.centre.y}" x2="${n.x}" y2="${n.y}" stroke="${fg}"/><circle cx="${n.x}" cy="${n.y}" r="10" fill="#3a7bd5"/><text x="${n.x}" y="${n.y + 24}" fill="${fg}" font-size="12" text-anchor="middle">${svgText(a.name)}</text>`);
  }
  parts.push(`<circle cx="${layout.centre.x}" cy="${layout.centre.y}" r="18" fill="#c0392b"/></svg>`);
  return parts.join('');
}

/** The map as PNG bytes. */
export function networkMapPng(actors: readonly PsiActor[], locale: Locale, opts: NetworkMapPictureOptions = {}): Buffer {
  return svgToPng(networkMapSvg(actors, locale, opts), { width: opts.width ?? 600 });
}
