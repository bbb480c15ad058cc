// The network map as a picture: the layout of domain/networkMap.ts drawn in SVG (rings, sectors,
// lines by relation, arrows by support, the référent marked, a legend in the reader's language),
// rendered to PNG small enough to travel inline in the PSI card.
//
// Conventions, as ecomaps draw them: a strong relation is a thick solid line, a weak one a thin
// dashed line, a strained one a red zig-zag, an unsaid one a thin faint line; an arrowhead points
// at whoever receives support (both ends for mutual support).
import { layoutNetworkMap, type MapNode } from '../../domain/networkMap';
import type { PsiActor } from '../../domain/psi';
import { t, tn, type Locale } from '../../locales/i18n';
import { mapLegend } from './mapLegend';
import { along, ARROW, arrow, lineByRelation, n, NODE_R, polar, referentMark, type Point } from './mapMarks';
import { MAP_THEMES, type MapPalette, type MapTheme } from './mapTheme';
import { PICTURE_FONT, svgText, svgToPng } from './png';

export type { MapTheme } from './mapTheme';

export interface NetworkMapPictureOptions {
  theme?: MapTheme;
  /**
   * PNG width in pixels. Below the default the picture is anti-aliased (unblended text thinner than
   * 11 px loses its strokes), which costs bytes: a card should send the default and let Teams scale.
   */
  width?: number;
  /** The title line (default: "Network map · n actors" in the reader's language). */
  title?: string;
  /** The word on the central node (default: "The person" in the reader's language; never her name). */
  personLabel?: string;
}

export const DEFAULT_MAP_WIDTH = 640;
/**
 * Drawn without anti-aliasing: blended edge pixels would be most of the PNG's bytes (twice the
 * budget with 30 actors) and would crowd the kinds' colours out of a small palette. Unblended, the
 * picture holds only the theme's colours, which the palette then keeps exactly.
 */
const CRISP = 'shape-rendering="crispEdges" text-rendering="optimizeSpeed"';
/** Colours kept in the PNG: more than a theme has, so none is merged with another. */
export const MAP_PNG_COLOURS = 24;
/** Colours kept in an anti-aliased (narrow) picture: the kinds and enough blends for smooth text. */
const BLENDED_COLOURS = 48;
const crisp = (opts: NetworkMapPictureOptions): boolean => (opts.width ?? DEFAULT_MAP_WIDTH) >= DEFAULT_MAP_WIDTH;
/** Names longer than this are cut with "…". */
export const MAX_LABEL = 22;
/** A label line's length before it breaks. */
const LINE = 15;

/** The drawing's own units: the PNG is scaled from them. */
const W = 640;
const TITLE_H = 40;
/** The layout's square, inset so the far ring's labels and the sector names stay in the picture. */
const LAYOUT = 600;
const INSET = (W - LAYOUT) / 2;
const MAP_H = W;
/** Where the person's node is, in the picture's pixels at the default width. */
export const MAP_CENTRE = { x: W / 2, y: TITLE_H + MAP_H / 2 };
const PERSON_R = 24;
const FONT = 14;

/** The map as an SVG document. */
export function networkMapSvg(actors: readonly PsiActor[], locale: Locale, opts: NetworkMapPictureOptions = {}): string {
  const p = MAP_THEMES[opts.theme ?? 'light'];
  const layout = layoutNetworkMap(actors, LAYOUT);
  const at = (q: Point): Point => ({ x: q.x + INSET, y: q.y + INSET + TITLE_H });
  const centre = at(layout.centre);
  const byId = new Map(actors.map((a) => [a.id, a]));
  const legend = mapLegend(actors, locale, p, TITLE_H + MAP_H, W);
  const height = TITLE_H + MAP_H + legend.height;
  const title = opts.title ?? `${t(locale, 'map.title')} · ${tn(locale, 'map.actors', actors.length)}`;
  const outer = layout.rings[2] + layout.ringTolerance + NODE_R + 4;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="${PICTURE_FONT}"${crisp(opts) ? ` ${CRISP}` : ''}>`,
    `<rect width="${W}" height="${height}" fill="${p.background}"/>`,
    `<text x="16" y="26" font-size="18" font-weight="bold" fill="${p.text}">${svgText(title)}</text>`,
  ];
  // Sectors: a separator between kinds (none when there is one), the kind's name at the rim.
  // Wedge fills would cost a palette entry each and blur the kinds' colours in a small palette.
  if (layout.sectors.length > 1) {
    for (const s of layout.sectors) {
      const [a, b] = [polar(centre, s.start, PERSON_R + 8), polar(centre, s.start, outer)];
      out.push(`<line x1="${n(a.x)}" y1="${n(a.y)}" x2="${n(b.x)}" y2="${n(b.y)}" stroke="${p.ring}" stroke-width="1"/>`);
    }
  }
  for (const r of layout.rings) out.push(`<circle cx="${centre.x}" cy="${centre.y}" r="${n(r)}" fill="none" stroke="${p.ring}" stroke-width="1" stroke-dasharray="5 5"/>`);

  const nodes = layout.nodes.map((node) => ({ node, actor: byId.get(node.id)!, pos: at(node) }));
  for (const { actor, pos } of nodes) out.push(edge(centre, pos, actor, p));
  const taken = nodes.map(({ actor, pos }) => nodeBox(pos, actor.name));
  for (const s of layout.sectors) out.push(rimName(t(locale, `map.kind.${s.kind}`), centre, s, outer + 4, taken, p));
  out.push(`<circle cx="${centre.x}" cy="${centre.y}" r="${PERSON_R}" fill="${p.person}"/>`);
  out.push(`<circle cx="${centre.x}" cy="${centre.y}" r="${PERSON_R - 5}" fill="none" stroke="${p.onPerson}" stroke-width="1.5"/>`);
  // The person's word on a plate of background: every line ends near it.
  const word = opts.personLabel ?? t(locale, 'map.person');
  const plate = { w: [...word].length * FONT * 0.68 + 10, h: FONT + 6, y: centre.y + PERSON_R + 2 };
  out.push(`<rect x="${n(centre.x - plate.w / 2)}" y="${n(plate.y)}" width="${n(plate.w)}" height="${plate.h}" rx="4" fill="${p.background}" stroke="${p.ring}" stroke-width="1"/>`);
  out.push(label([word], { x: centre.x, y: plate.y + FONT + 1 }, p, true));
  for (const { node, actor, pos } of nodes) out.push(actorNode(node, actor, pos, p, locale));
  out.push(legend.svg);
  out.push('</svg>');
  return out.join('');
}

/** The map as PNG bytes. */
export function networkMapPng(actors: readonly PsiActor[], locale: Locale, opts: NetworkMapPictureOptions = {}): Buffer {
  // A render takes a few hundred milliseconds and every view of a PSI version draws the same map:
  // the same input gives the same bytes, so recent pictures are kept (a bounded, in-memory set).
  const key = JSON.stringify([actors, locale, opts]);
  const kept = drawn.get(key);
  if (kept) {
    drawn.delete(key);
    drawn.set(key, kept);
    return kept;
  }
  const png = drawNetworkMapPng(actors, locale, opts);
  drawn.set(key, png);
  if (drawn.size > MAX_KEPT) drawn.delete(drawn.keys().next().value!);
  return png;
}

/** Draws the map to PNG bytes every time (networkMapPng keeps recent ones). */
export function drawNetworkMapPng(actors: readonly PsiActor[], locale: Locale, opts: NetworkMapPictureOptions = {}): Buffer {
  const colours = crisp(opts) ? MAP_PNG_COLOURS : BLENDED_COLOURS;
  return svgToPng(networkMapSvg(actors, locale, opts), { width: opts.width ?? DEFAULT_MAP_WIDTH, colours });
}

/** Pictures kept, least recently used first out (about 20 KB each). */
const MAX_KEPT = 200;
const drawn = new Map<string, Buffer>();

/** A name cut at MAX_LABEL characters, in two lines when long: at the space that best balances them. */
export function labelLines(name: string): string[] {
  const chars = [...name.trim().replace(/\s+/g, ' ')];
  const all = chars.length > MAX_LABEL ? [...`${chars.slice(0, MAX_LABEL - 1).join('').trimEnd()}…`] : chars;
  const text = all.join('');
  if (all.length <= LINE) return [text];
  const longest = (i: number) => Math.max(i, all.length - i - 1);
  const cut = all.reduce((best, ch, i) => (ch === ' ' && (best < 0 || longest(i) < longest(best)) ? i : best), -1);
  if (cut >= 0 && longest(cut) <= LINE + 2) return [all.slice(0, cut).join(''), all.slice(cut + 1).join('')];
  if (all.length <= LINE + 3) return [text];
  return [`${all.slice(0, LINE - 1).join('')}-`, all.slice(LINE - 1).join('')];
}

function label(lines: string[], at: Point, p: MapPalette, bold = false): string {
  // Keep the label inside the picture: DejaVu Sans is about 0.62 em a character.
  const half = (Math.max(...lines.map((l) => [...l].length)) * FONT * 0.62) / 2;
  const x = Math.min(W - 3 - half, Math.max(3 + half, at.x));
  const spans = lines.map((l, i) => `<tspan x="${n(x)}" y="${n(at.y + i * (FONT + 2))}">${svgText(l)}</tspan>`).join('');
  const weight = bold ? ' font-weight="bold"' : '';
  return `<text font-size="${FONT}"${weight} text-anchor="middle" fill="${p.text}" ${halo(p)}>${spans}</text>`;
}

/** A band of background around text, so a label stays readable where lines cross it. */
const halo = (p: MapPalette): string => `stroke="${p.halo}" stroke-width="3" stroke-linejoin="round" paint-order="stroke"`;

type Box = { x: number; y: number; w: number; h: number };
const overlap = (a: Box, b: Box): number =>
  Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));

/** Where an actor's node and label sit, to keep the sectors' names off them. */
function nodeBox(pos: Point, name: string): Box {
  const lines = labelLines(name);
  const w = Math.max(NODE_R * 2, Math.max(...lines.map((l) => [...l].length)) * FONT * 0.62);
  return { x: pos.x - w / 2, y: pos.y - NODE_R - 4, w, h: NODE_R * 2 + 6 + lines.length * (FONT + 2) };
}

// 11 px at least: below, a stem is thinner than a pixel and, unblended, may vanish.
const RIM_FONT = 13;
/** Where along its sector's rim a name may go, as fractions of the sector: the middle first. */
const RIM_SLOTS = [0.5, 0.35, 0.65, 0.2, 0.8];

/** A sector's name at the rim, anchored away from the centre, at the slot that covers the fewest labels. */
function rimName(name: string, c: Point, sector: { start: number; end: number }, r: number, taken: Box[], p: MapPalette): string {
  const width = [...name].length * RIM_FONT * 0.62;
  const boxes = RIM_SLOTS.map((f) => {
    const angle = sector.start + f * (sector.end - sector.start);
    const at = polar(c, angle, r);
    const [sin, cos] = [Math.sin(angle), Math.cos(angle)];
    const left = sin > 0.25 ? at.x : sin < -0.25 ? at.x - width : at.x - width / 2;
    const x = Math.min(W - 3 - width, Math.max(3, left));
    const y = at.y + (cos < -0.25 ? RIM_FONT : cos > 0.25 ? 0 : RIM_FONT / 2) - RIM_FONT;
    return { x, y, w: width, h: RIM_FONT + 2 };
  });
  const cost = (b: Box) => taken.reduce((sum, t) => sum + overlap(b, t), 0);
  const best = boxes.reduce((a, b) => (cost(b) < cost(a) ? b : a));
  return `<text x="${n(best.x)}" y="${n(best.y + RIM_FONT)}" font-size="${RIM_FONT}" fill="${p.muted}" ${halo(p)}>${svgText(name)}</text>`;
}

function actorNode(node: MapNode, actor: PsiActor, pos: Point, p: MapPalette, locale: Locale): string {
  const parts = [`<circle cx="${n(pos.x)}" cy="${n(pos.y)}" r="${NODE_R}" fill="${p.kinds[node.kind]}" stroke="${p.background}" stroke-width="1.5"/>`];
  if (actor.referent) parts.push(referentMark(pos, p, locale));
  parts.push(label(labelLines(actor.name), { x: pos.x, y: pos.y + NODE_R + FONT + 1 }, p));
  return parts.join('');
}

/** The line from the person to an actor, styled by relation, with arrowheads by support. */
function edge(from: Point, to: Point, actor: PsiActor, p: MapPalette): string {
  const len = Math.hypot(to.x - from.x, to.y - from.y);
  const u = { x: (to.x - from.x) / len, y: (to.y - from.y) / len };
  const toPerson = actor.support === 'toPerson' || actor.support === 'both';
  const fromPerson = actor.support === 'fromPerson' || actor.support === 'both';
  const startGap = PERSON_R + 3;
  const endGap = NODE_R + (actor.referent ? 7 : 3);
  const tipStart = along(from, u, startGap);
  const tipEnd = along(from, u, len - endGap);
  const s = toPerson ? along(tipStart, u, ARROW) : tipStart;
  const e = fromPerson ? along(tipEnd, u, -ARROW) : tipEnd;
  return lineByRelation(s, e, u, actor.relation, p) + (toPerson ? arrow(tipStart, { x: -u.x, y: -u.y }, p) : '') + (fromPerson ? arrow(tipEnd, u, p) : '');
}
