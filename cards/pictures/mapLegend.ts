// The network map's legend, below the map in the reader's language: what is on the map is
// explained (the kinds present, the relation styles and support arrows used, the référent), plus
// how to read the rings. Each section is a line that wraps: its heading, then its items.
import { kindOf, MAP_KINDS, type MapKind } from '../../domain/networkMap';
import { RELATIONS, type PsiActor, type Relation } from '../../domain/psi';
import { t, type Locale } from '../../locales/i18n';
import { along, arrow, lineByRelation, n, NODE_R, referentMark, type Point } from './mapMarks';
import type { MapPalette } from './mapTheme';
import { svgText } from './png';

export const LEGEND_FONT = 13;
const ROW = 22;
const LEFT = 16;
const INDENT = 28;
const REFERENT_SAMPLE = 30;
/** DejaVu Sans is about 0.62 em a character. */
const textWidth = (s: string, bold = false): number => [...s].length * LEGEND_FONT * (bold ? 0.66 : 0.62);

interface Item {
  /** Width of the drawn sample before the text. */
  sample: number;
  draw: (at: Point) => string;
  text: string;
  muted?: boolean;
}

const SUPPORT_SAMPLES = ['toPerson', 'fromPerson', 'both'] as const;

/** The legend's SVG, starting at `top`, and its height. */
export function mapLegend(actors: readonly PsiActor[], locale: Locale, p: MapPalette, top: number, width: number): { svg: string; height: number } {
  const sections: Array<{ heading: string; items: Item[] }> = [];
  const kinds = MAP_KINDS.filter((k) => actors.some((a) => kindOf(a) === k));
  sections.push({
    heading: t(locale, 'map.legend.kinds'),
    items: actors.length === 0 ? [{ sample: 0, draw: () => '', text: t(locale, 'map.noActor') }] : kinds.map((k) => kindItem(k, locale, p)),
  });
  const relations = [...RELATIONS, null].filter((r) => actors.some((a) => a.relation === r));
  if (relations.length > 0) sections.push({ heading: t(locale, 'map.legend.relations'), items: relations.map((r) => relationItem(r, locale, p)) });
  const supports = SUPPORT_SAMPLES.filter((s) => actors.some((a) => a.support === s));
  if (supports.length > 0) sections.push({ heading: t(locale, 'map.legend.support'), items: supports.map((s) => supportItem(s, locale, p)) });
  const marks: Item[] = [];
  if (actors.some((a) => a.referent)) marks.push({ sample: REFERENT_SAMPLE, draw: (at) => referentMark({ x: at.x + 12, y: at.y - 2 }, p, locale), text: t(locale, 'map.referent') });
  marks.push({ sample: 0, draw: () => '', text: t(locale, 'map.legend.rings'), muted: true });
  sections.push({ heading: '', items: marks });

  const out: string[] = [`<line x1="${LEFT}" y1="${top + 6}" x2="${width - LEFT}" y2="${top + 6}" stroke="${p.ring}" stroke-width="1"/>`];
  let y = top + 6 + ROW;
  for (const { heading, items } of sections) {
    // The référent's mark is taller than a line of text.
    if (items.some((i) => i.sample === REFERENT_SAMPLE)) y += 6;
    let x = LEFT;
    if (heading) {
      out.push(`<text x="${x}" y="${y}" font-size="${LEGEND_FONT}" font-weight="bold" fill="${p.text}">${svgText(heading)}</text>`);
      x += textWidth(heading, true) + 8;
    }
    for (const item of items) {
      const w = item.sample + textWidth(item.text);
      if (x + w > width - LEFT && x > LEFT + INDENT) {
        x = LEFT + INDENT;
        y += ROW;
      }
      out.push(item.draw({ x, y: y - 4 }));
      out.push(`<text x="${n(x + item.sample)}" y="${y}" font-size="${LEGEND_FONT}" fill="${item.muted ? p.muted : p.text}">${svgText(item.text)}</text>`);
      x += w + 16;
    }
    y += ROW;
  }
  return { svg: out.join(''), height: y - top };
}

function kindItem(kind: MapKind, locale: Locale, p: MapPalette): Item {
  return {
    sample: 16,
    draw: (at) => `<circle cx="${n(at.x + 6)}" cy="${n(at.y)}" r="6" fill="${p.kinds[kind]}"/>`,
    text: t(locale, `map.kind.${kind}`),
  };
}

function relationItem(relation: Relation | null, locale: Locale, p: MapPalette): Item {
  const u = { x: 1, y: 0 };
  return {
    sample: 40,
    draw: (at) => lineByRelation(at, along(at, u, 32), u, relation, p),
    text: t(locale, `map.relation.${relation ?? 'unknown'}`),
  };
}

/** A small person dot, a line, a small actor dot; the arrow where the support goes. */
function supportItem(support: (typeof SUPPORT_SAMPLES)[number], locale: Locale, p: MapPalette): Item {
  const u = { x: 1, y: 0 };
  return {
    sample: 52,
    draw: (at) => {
      const person = at;
      const actor = along(at, u, 44);
      const parts = [
        `<circle cx="${n(person.x + 4)}" cy="${n(person.y)}" r="4" fill="${p.person}"/>`,
        `<circle cx="${n(actor.x - 2)}" cy="${n(actor.y)}" r="${NODE_R / 2}" fill="${p.kinds.unknown}"/>`,
        `<line x1="${n(person.x + 9)}" y1="${n(person.y)}" x2="${n(actor.x - 8)}" y2="${n(actor.y)}" stroke="${p.line}" stroke-width="1.4"/>`,
      ];
      if (support !== 'fromPerson') parts.push(arrow(along(person, u, 9), { x: -1, y: 0 }, p));
      if (support !== 'toPerson') parts.push(arrow(along(actor, u, -8), u, p));
      return parts.join('');
    },
    text: t(locale, `map.support.${support}`),
  };
}
