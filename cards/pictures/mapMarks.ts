// The marks the network map and its legend share: numbers as the SVG writes them, relation lines,
// support arrowheads, the référent's mark.
import type { PsiActor } from '../../domain/psi';
import { t, type Locale } from '../../locales/i18n';
import type { MapPalette } from './mapTheme';
import { svgText } from './png';

export type Point = { x: number; y: number };

export const NODE_R = 9;
export const ARROW = 10;

/** A number as SVG writes it: two decimals at most, so the same layout gives the same bytes. */
export const n = (v: number): string => String(Math.round(v * 100) / 100);
export const polar = (c: Point, angle: number, r: number): Point => ({ x: c.x + Math.sin(angle) * r, y: c.y - Math.cos(angle) * r });
export const along = (q: Point, u: Point, d: number): Point => ({ x: q.x + u.x * d, y: q.y + u.y * d });

/** The référent: a ring around the node and an "R" badge. */
export function referentMark(pos: Point, p: MapPalette, locale: Locale): string {
  const badge = { x: pos.x + NODE_R + 2, y: pos.y - NODE_R - 2 };
  return (
    `<circle cx="${n(pos.x)}" cy="${n(pos.y)}" r="${NODE_R + 4}" fill="none" stroke="${p.text}" stroke-width="2"/>` +
    `<circle cx="${n(badge.x)}" cy="${n(badge.y)}" r="7" fill="${p.text}"/>` +
    `<text x="${n(badge.x)}" y="${n(badge.y + 3.5)}" font-size="10" font-weight="bold" text-anchor="middle" fill="${p.background}">${svgText(t(locale, 'map.referentMark'))}</text>`
  );
}

/** A line from s to e (direction u) in the relation's style. */
export function lineByRelation(s: Point, e: Point, u: Point, relation: PsiActor['relation'], p: MapPalette): string {
  const ends = `x1="${n(s.x)}" y1="${n(s.y)}" x2="${n(e.x)}" y2="${n(e.y)}"`;
  switch (relation) {
    case 'strong':
      return `<line ${ends} stroke="${p.line}" stroke-width="3.5"/>`;
    case 'weak':
      return `<line ${ends} stroke="${p.line}" stroke-width="1.4" stroke-dasharray="6 4"/>`;
    case 'strained': {
      // A zig-zag of 3 px either side of the straight line, a tooth every 6 px.
      const len = Math.hypot(e.x - s.x, e.y - s.y);
      const teeth = Math.max(2, Math.floor(len / 6));
      const pts = Array.from({ length: teeth + 1 }, (_, i) => {
        const q = along(s, u, (len * i) / teeth);
        const side = i === 0 || i === teeth ? 0 : i % 2 ? 3 : -3;
        return `${n(q.x - u.y * side)},${n(q.y + u.x * side)}`;
      });
      return `<polyline points="${pts.join(' ')}" fill="none" stroke="${p.strained}" stroke-width="1.6" stroke-linejoin="round"/>`;
    }
    default:
      return `<line ${ends} stroke="${p.faint}" stroke-width="1"/>`;
  }
}

/** An arrowhead whose tip is at `tip`, pointing along `u`. */
export function arrow(tip: Point, u: Point, p: MapPalette): string {
  const base = along(tip, u, -ARROW);
  const w = 4.5;
  const pts = [tip, { x: base.x - u.y * w, y: base.y + u.x * w }, { x: base.x + u.y * w, y: base.y - u.x * w }];
  return `<polygon points="${pts.map((q) => `${n(q.x)},${n(q.y)}`).join(' ')}" fill="${p.line}"/>`;
}

