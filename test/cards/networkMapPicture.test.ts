import { PNG } from 'pngjs';
import { mapActors } from '../../domain/networkMap';
import { ACTOR_KINDS, emptyPsi, NO_ECOMAP, RELATIONS, SUPPORTS, type PsiActor } from '../../domain/psi';
import { keysOf, SUPPORTED_LOCALES, t, type Locale } from '../../locales/i18n';
import { DEFAULT_MAP_WIDTH, drawNetworkMapPng, labelLines, MAP_CENTRE, MAX_LABEL, networkMapPng, networkMapSvg } from '../../cards/pictures/networkMap';
import { contrastRatio, MAP_THEMES, type MapTheme } from '../../cards/pictures/mapTheme';
import { mapCast } from '../support/mapCast';

const THEMES: MapTheme[] = ['light', 'dark'];
const hex = (d: Buffer, i: number) => `#${[0, 1, 2].map((c) => d[i + c].toString(16).padStart(2, '0')).join('')}`.toUpperCase();

function decode(png: Buffer) {
  const img = PNG.sync.read(png);
  const at = (x: number, y: number) => hex(img.data, (Math.round(y) * img.width + Math.round(x)) * 4);
  const colours = new Map<string, number>();
  for (let i = 0; i < img.data.length; i += 4) colours.set(hex(img.data, i), (colours.get(hex(img.data, i)) ?? 0) + 1);
  return { width: img.width, height: img.height, at, colours };
}

/** The text an SVG shows (what a reader of the picture can read). */
const svgTexts = (svg: string): string => [...svg.matchAll(/>([^<]+)</g)].map((m) => m[1]).join(' | ');

const longNames = (n: number): PsiActor[] => mapCast(n).map((a, i) => ({ ...a, name: `Assistante sociale du CPAS de Schaerbeek n° ${i}` }));

/** The largest difference of one channel between two '#RRGGBB' colours. */
const colourDistance = (a: string, b: string): number =>
  Math.max(...[1, 3, 5].map((i) => Math.abs(parseInt(a.slice(i, i + 2), 16) - parseInt(b.slice(i, i + 2), 16))));

describe('networkMapPng', () => {
  it.each(THEMES)('%s: default width, taller than wide (the legend below the map)', (theme) => {
    const img = decode(networkMapPng(mapCast(10), 'fr', { theme }));
    expect(img.width).toBe(DEFAULT_MAP_WIDTH);
    expect(img.height).toBeGreaterThan(img.width);
    expect(decode(networkMapPng(mapCast(10), 'fr', { theme, width: 480 })).width).toBe(480);
  });

  it.each(THEMES)('%s: is not blank: the kinds’ colours, lines and text on the background', (theme) => {
    const p = MAP_THEMES[theme];
    const img = decode(networkMapPng(mapCast(30), 'nl', { theme }));
    const total = img.width * img.height;
    expect(img.colours.size).toBeGreaterThanOrEqual(10);
    expect(total - (img.colours.get(p.background) ?? 0)).toBeGreaterThan(total * 0.05);
    for (const kind of ['family', 'health', 'social', 'institution', 'unknown'] as const) expect(img.colours.get(p.kinds[kind]) ?? 0).toBeGreaterThan(50);
  });

  it.each(THEMES)('%s: the person is in the centre, in her node’s colour; the background is the theme’s', (theme) => {
    const p = MAP_THEMES[theme];
    const img = decode(networkMapPng(mapCast(30), 'fr', { theme }));
    expect(img.at(MAP_CENTRE.x, MAP_CENTRE.y)).toBe(p.person);
    expect(img.at(2, 2)).toBe(p.background);
    expect(img.at(2, img.height - 3)).toBe(p.background);
    // Smaller than the default, the picture is anti-aliased and its palette reduced: the colour is near, not exact.
    const scaled = decode(networkMapPng(mapCast(30), 'fr', { theme, width: 320 }));
    expect(colourDistance(scaled.at(MAP_CENTRE.x / 2, MAP_CENTRE.y / 2), p.person)).toBeLessThanOrEqual(8);
  });

  it.each(THEMES)('%s: at the default width, every pixel is one of the theme’s colours (kept exactly by the palette)', (theme) => {
    const p = MAP_THEMES[theme];
    const themeColours = new Set([...Object.values(p).filter((v): v is string => typeof v === 'string'), ...Object.values(p.kinds)]);
    const img = decode(networkMapPng(mapCast(30), 'fr', { theme }));
    expect([...img.colours.keys()].filter((c) => !themeColours.has(c))).toEqual([]);
  });

  it('narrower than the default, the picture is anti-aliased so small text keeps its strokes', () => {
    const img = decode(networkMapPng(mapCast(30), 'fr', { width: 480 }));
    expect(img.colours.size).toBeGreaterThan(Object.keys(MAP_THEMES.light.kinds).length + 8);
  });

  it('dark theme: the background is dark, the light theme’s light', () => {
    expect(contrastRatio(decode(networkMapPng(mapCast(5), 'en', { theme: 'dark' })).at(1, 1), '#000000')).toBeLessThan(1.5);
    expect(contrastRatio(decode(networkMapPng(mapCast(5), 'en')).at(1, 1), '#FFFFFF')).toBeLessThan(1.1);
  });

  it('the same actors, in any order, give the same bytes', () => {
    const cast = mapCast(30);
    const png = drawNetworkMapPng(cast, 'fr');
    expect(drawNetworkMapPng(mapCast(30), 'fr').equals(png)).toBe(true);
    expect(drawNetworkMapPng([...cast].reverse(), 'fr').equals(png)).toBe(true);
    expect(drawNetworkMapPng(cast, 'fr', { theme: 'dark' }).equals(png)).toBe(false);
    // The kept picture is the one drawn.
    expect(networkMapPng(mapCast(30), 'fr').equals(png)).toBe(true);
    expect(networkMapPng(mapCast(30), 'fr').equals(png)).toBe(true);
  });

  it.each(SUPPORTED_LOCALES.flatMap((l) => THEMES.map((th) => [l, th] as const)))('%s, %s: 30 actors with long names stay within 24 KB', (locale, theme) => {
    expect(networkMapPng(longNames(30), locale, { theme }).length).toBeLessThanOrEqual(24 * 1024);
    expect(networkMapPng(mapCast(30), locale, { theme }).length).toBeLessThanOrEqual(24 * 1024);
  });

  it('with no actor: the person alone and a note in the legend', () => {
    for (const locale of SUPPORTED_LOCALES) {
      const svg = networkMapSvg([], locale);
      expect(svgTexts(svg)).toContain(t(locale, 'map.noActor'));
      expect(svgTexts(svg)).toContain(t(locale, 'map.person'));
    }
    const img = decode(networkMapPng([], 'fr'));
    expect(img.at(MAP_CENTRE.x, MAP_CENTRE.y)).toBe(MAP_THEMES.light.person);
    for (const colour of Object.values(MAP_THEMES.light.kinds)) expect(img.colours.get(colour) ?? 0).toBe(0);
  });
});

describe('networkMapSvg', () => {
  it.each<[Locale, string]>([
    ['fr', 'La personne'],
    ['nl', 'De persoon'],
    ['en', 'The person'],
  ])('%s: the centre says “%s”, the title and legend are in that language', (locale, word) => {
    const text = svgTexts(networkMapSvg(mapCast(12), locale));
    expect(text).toContain(word);
    expect(text).toContain(t(locale, 'map.title'));
    expect(text).toContain(t(locale, 'map.legend.relations'));
    expect(text).toContain(t(locale, 'map.referent'));
  });

  it('takes a title and a word for the person when given', () => {
    const text = svgTexts(networkMapSvg(mapCast(3), 'fr', { title: 'Carte réseau — CMD-TEST', personLabel: 'Elle' }));
    expect(text).toContain('Carte réseau — CMD-TEST');
    expect(text).toContain('Elle');
    expect(text).not.toContain('La personne');
  });

  it('at level shared, an actor without consent is not in the picture; at level full, she is', () => {
    const content = {
      ...emptyPsi(),
      actors: [
        { ...mapCast(1)[0], id: 'x1', name: 'Voisine Consentie', share: true },
        { ...mapCast(1)[0], id: 'x2', name: 'Cousin Sans Accord', share: false },
        { ...mapCast(1)[0], id: 'x3', name: 'Référente Désignée', share: false, referent: true },
      ],
    };
    const shared = svgTexts(networkMapSvg(mapActors(content, 'shared'), 'fr'));
    expect(shared).toContain('Voisine');
    // The référent mark is not consent.
    expect(shared).not.toMatch(/Cousin|Sans Accord|Référente/);
    expect(svgTexts(networkMapSvg(mapActors(content, 'full'), 'fr'))).toContain('Cousin');
  });

  it('escapes names: markup in a name is text, and the picture still renders', () => {
    const actors: PsiActor[] = [{ ...NO_ECOMAP, id: 'e', name: 'Tom & <b>Jerry</b>', roles: '', contact: '', share: true, participantKey: null }];
    const svg = networkMapSvg(actors, 'en');
    expect(svgTexts(svg)).toMatch(/Tom &amp; \| &lt;b&gt;Jerry&lt;\/b&gt;/);
    expect(svg).not.toContain('<b>');
    expect(decode(networkMapPng(actors, 'en')).width).toBe(DEFAULT_MAP_WIDTH);
  });
});

describe('labelLines', () => {
  it.each<[string, string[]]>([
    ['Marcel', ['Marcel']],
    ['Infirmière Ilse', ['Infirmière Ilse']],
    ['Dr Gaby Test (MG)', ['Dr Gaby', 'Test (MG)']],
    ['Dr Gaby Test généraliste', ['Dr Gaby Test', 'générali…']],
    ['Kinésithérapeute', ['Kinésithérapeute']],
    ['Assistante sociale du CPAS de Schaerbeek', ['Assistante', 'sociale du…']],
    ['Zorgcoördinatiecentrumwerking', ['Zorgcoördinati-', 'ecentru…']],
    ['  Sœur   Aïcha  ', ['Sœur Aïcha']],
  ])('%j → %j', (name, lines) => {
    expect(labelLines(name)).toEqual(lines);
    // At most MAX_LABEL characters of the name, plus a hyphen where a long word breaks.
    expect([...lines.join('')].length).toBeLessThanOrEqual(MAX_LABEL + 1);
  });
});

describe('map theme and strings', () => {
  it.each(THEMES)('%s: text keeps a contrast of 4.5:1 at least with its background', (theme) => {
    const p = MAP_THEMES[theme];
    expect(contrastRatio(p.text, p.background)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(p.muted, p.background)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(p.onPerson, p.person)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(p.halo, p.text)).toBeGreaterThanOrEqual(4.5);
    // Lines are graphics: 3:1 (WCAG 1.4.11).
    expect(contrastRatio(p.line, p.background)).toBeGreaterThanOrEqual(3);
    expect(contrastRatio(p.strained, p.background)).toBeGreaterThanOrEqual(3);
  });

  it('computes contrast as WCAG does', () => {
    expect(contrastRatio('#000000', '#FFFFFF')).toBeCloseTo(21);
    expect(contrastRatio('#777777', '#FFFFFF')).toBeCloseTo(4.48, 2);
  });

  it.each(SUPPORTED_LOCALES)('%s names every kind, relation and support the map draws', (locale) => {
    const keys = keysOf(locale);
    const needed = [
      ...[...ACTOR_KINDS, 'unknown'].map((k) => `map.kind.${k}`),
      ...[...RELATIONS, 'unknown'].map((r) => `map.relation.${r}`),
      ...SUPPORTS.filter((s) => s !== 'none').map((s) => `map.support.${s}`),
    ];
    expect(needed.filter((k) => !keys.includes(k))).toEqual([]);
  });
});
