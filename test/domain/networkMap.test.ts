import { layoutNetworkMap, mapActors, mapLevel, mapSectors, MIN_SECTOR, type MapReader, type NetworkLayout } from '../../domain/networkMap';
import { emptyPsi, NO_ECOMAP, type ActorKind, type Closeness, type PsiActor } from '../../domain/psi';
import { mapCast } from '../support/mapCast';

const SIZE = 640;

const actor = (id: string, kind: ActorKind | null, closeness: Closeness | null, extra: Partial<PsiActor> = {}): PsiActor => ({
  ...NO_ECOMAP,
  id,
  name: `Nom ${id}`,
  roles: '',
  contact: '',
  share: true,
  participantKey: null,
  kind,
  closeness,
  ...extra,
});

/** The angle of a node, clockwise from 12 o'clock, in [0, 2π). */
function angleOf(layout: NetworkLayout, x: number, y: number): number {
  const a = Math.atan2(x - layout.centre.x, layout.centre.y - y);
  return a < 0 ? a + 2 * Math.PI : a;
}

const CASTS: Array<[string, PsiActor[]]> = [
  ['one actor', [actor('a', 'family', 'close')]],
  ['two kinds, all rings', [actor('a', 'family', 'close'), actor('b', 'family', 'far'), actor('c', 'health', 'near'), actor('d', 'health', null)]],
  ['everything unsaid', [actor('a', null, null), actor('b', null, null), actor('c', null, null)]],
  ['ten mixed', mapCast(10)],
  ['thirty mixed (a full PSI)', mapCast(30)],
  ['thirty of one kind, all close (crowded: the nodes come closer)', mapCast(30).map((a) => ({ ...a, kind: 'family' as const, closeness: 'close' as const }))],
  ['thirty all close', mapCast(30).map((a) => ({ ...a, closeness: 'close' as const }))],
  ['thirty all far', mapCast(30).map((a) => ({ ...a, closeness: 'far' as const }))],
  ['one crowded sector far, one actor of each other kind close', mapCast(30).map((a, i) => (i < 23 ? { ...a, kind: 'health' as const, closeness: 'far' as const } : { ...a, closeness: 'close' as const }))],
];

describe('layoutNetworkMap', () => {
  it.each(CASTS)('%s: the same actors give the same layout, whatever their order', (_, cast) => {
    const first = layoutNetworkMap(cast, SIZE);
    expect(layoutNetworkMap(cast, SIZE)).toEqual(first);
    expect(layoutNetworkMap([...cast].reverse(), SIZE)).toEqual(first);
    const shuffled = cast.map((a, i) => ({ a, k: (i * 13) % cast.length })).sort((p, q) => p.k - q.k).map((p) => p.a);
    expect(layoutNetworkMap(shuffled, SIZE)).toEqual(first);
  });

  it.each(CASTS)('%s: each node in its kind’s sector, on its ring’s band', (_, cast) => {
    const layout = layoutNetworkMap(cast, SIZE);
    expect(layout.nodes).toHaveLength(cast.length);
    for (const node of layout.nodes) {
      const a = cast.find((c) => c.id === node.id)!;
      expect(node.kind).toBe(a.kind ?? 'unknown');
      expect(node.ring).toBe({ close: 0, near: 1, far: 2 }[a.closeness ?? 'near']);
      const sector = layout.sectors.find((s) => s.kind === node.kind)!;
      const angle = angleOf(layout, node.x, node.y);
      // A one-sector map spans the whole turn; otherwise the angle lies within the sector.
      if (layout.sectors.length > 1) {
        expect(angle).toBeGreaterThanOrEqual(sector.start - 1e-3);
        expect(angle).toBeLessThanOrEqual(sector.end + 1e-3);
      }
      const r = Math.hypot(node.x - layout.centre.x, node.y - layout.centre.y);
      expect(Math.abs(r - layout.rings[node.ring])).toBeLessThanOrEqual(layout.ringTolerance + 0.01);
    }
  });

  it.each(CASTS)('%s: no two nodes closer than the collide distance', (_, cast) => {
    const layout = layoutNetworkMap(cast, SIZE);
    const close: string[] = [];
    layout.nodes.forEach((p, i) =>
      layout.nodes.slice(i + 1).forEach((q) => {
        const d = Math.hypot(p.x - q.x, p.y - q.y);
        if (d < 2 * layout.collideRadius * 0.95) close.push(`${p.id}–${q.id}: ${d.toFixed(1)}`);
      }),
    );
    expect(close).toEqual([]);
  });

  it('puts the person in the centre and scales with the size', () => {
    const layout = layoutNetworkMap(mapCast(5), 400);
    expect(layout.centre).toEqual({ x: 200, y: 200 });
    expect(layout.rings[0]).toBeLessThan(layout.rings[1]);
    expect(layout.rings[1]).toBeLessThan(layout.rings[2]);
    expect(layout.rings[2] + layout.ringTolerance).toBeLessThan(200);
  });

  it('keeps the room a label wants unless a ring is crowded', () => {
    const roomy = layoutNetworkMap(mapCast(10), SIZE).collideRadius;
    expect(layoutNetworkMap(mapCast(30), SIZE).collideRadius).toBeGreaterThan(SIZE * 0.045);
    expect(layoutNetworkMap(CASTS[5][1], SIZE).collideRadius).toBeLessThan(roomy);
  });

  it('with no actor: no sector, no node', () => {
    expect(layoutNetworkMap([], SIZE)).toMatchObject({ sectors: [], nodes: [] });
  });
});

describe('mapSectors', () => {
  const kinds = (spec: Array<[ActorKind | null, number]>) => spec.flatMap(([kind, n]) => Array.from({ length: n }, () => ({ kind })));
  it.each<[string, Array<[ActorKind | null, number]>, string[]]>([
    ['one kind', [['family', 3]], ['family']],
    ['kinds in the fixed order, unknown last', [[null, 1], ['institution', 1], ['family', 2], ['health', 1]], ['family', 'health', 'institution', 'unknown']],
    ['every kind', [['family', 1], ['friend', 1], ['health', 1], ['social', 1], ['mentalHealth', 1], ['otherProfessional', 1], ['institution', 1], [null, 1]], ['family', 'friend', 'health', 'social', 'mentalHealth', 'otherProfessional', 'institution', 'unknown']],
  ])('%s: one sector per kind present', (_, spec, expected) => {
    const sectors = mapSectors(kinds(spec));
    expect(sectors.map((s) => s.kind)).toEqual(expected);
    expect(sectors[0].start).toBe(0);
    expect(sectors[sectors.length - 1].end).toBeCloseTo(2 * Math.PI);
    sectors.slice(1).forEach((s, i) => expect(s.start).toBe(sectors[i].end));
  });

  it('gives wider sectors to more actors, never below the minimum', () => {
    const [family, health] = mapSectors(kinds([['family', 12], ['health', 1]]));
    expect(family.end - family.start).toBeGreaterThan(health.end - health.start);
    expect(health.end - health.start).toBeGreaterThanOrEqual(MIN_SECTOR);
  });
});

describe('mapLevel', () => {
  it.each<[string, 'full' | 'shared', MapReader]>([
    ['the organiser', 'full', { isOrganiser: true, roles: [] }],
    ['the référent', 'full', { isOrganiser: false, roles: ['referent'] }],
    ['the person herself', 'full', { isOrganiser: false, roles: ['personConcerned'] }],
    ['a carer', 'shared', { isOrganiser: false, roles: ['carer'] }],
    ['a professional', 'shared', { isOrganiser: false, roles: ['professional'] }],
    ['a professional who is also the référent', 'full', { isOrganiser: false, roles: ['professional', 'referent'] }],
    ['a reader without a role (the coordination)', 'shared', { isOrganiser: false, roles: [] }],
  ])('%s → %s', (_, level, reader) => expect(mapLevel(reader)).toBe(level));
});

describe('mapActors', () => {
  const content = {
    ...emptyPsi(),
    actors: [
      actor('shared', 'health', 'near', { share: true }),
      actor('notShared', 'family', 'close', { share: false }),
      actor('referent', 'social', 'near', { share: false, referent: true }),
      actor('sharedFar', null, 'far', { share: true }),
    ],
  };
  it.each<['full' | 'shared', string[]]>([
    ['full', ['shared', 'notShared', 'referent', 'sharedFar']],
    // The référent mark is not consent: without it, the référent actor is not drawn for others.
    ['shared', ['shared', 'sharedFar']],
  ])('at level %s draws %j', (level, ids) => {
    expect(mapActors(content, level).map((a) => a.id)).toEqual(ids);
  });

  it('at level shared, a full cast keeps only consented actors', () => {
    const cast = mapCast(30);
    const drawn = mapActors({ ...emptyPsi(), actors: cast }, 'shared');
    expect(drawn.every((a) => a.share)).toBe(true);
    expect(drawn.length).toBe(cast.filter((a) => a.share).length);
    expect(drawn.length).toBeLessThan(cast.length);
  });
});
