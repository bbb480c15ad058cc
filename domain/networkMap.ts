/**
 * The network map (carte réseau, Egonet-like ecomap) of a PSI: who appears on it for whom, and
 * where each actor sits. Pure: no I/O.
 *
 * The person is in the centre. Each kind of actor present gets an angular sector (wider for more
 * actors, never narrower than MIN_SECTOR); closeness puts the actor in a ring (close, near, far;
 * unsaid reads as near). d3-force places the nodes: a radial force to the ring, a pull towards
 * the sector's middle, collision so labels do not pile up, and a clamp after every tick that keeps
 * each node inside its sector and its ring's band. The only geometry written here is that of the
 * rings and sectors.
 *
 * Decisions
 * - Level 'full' (the organiser, the référent, the person herself) draws every actor. Level
 *   'shared' (every other reader) draws the actors the person shares her PSI with, and nobody
 *   else: no anonymised node, no "and 3 others", because even a count or a kind tells about people
 *   she did not agree to show. The référent mark does not stand for consent: an actor marked
 *   référent without it is not drawn there (the PSI's référent section says who the référent is).
 * - The layout does not depend on the order of the actors: they are sorted by sector, ring and id
 *   before the simulation, the nodes come back in that order, and the simulation's random source
 *   has a fixed seed. The same actors give the same picture, byte for byte.
 */
import { forceCollide, forceRadial, forceSimulation, forceX, forceY, type SimulationNodeDatum } from 'd3-force';
import { ACTOR_KINDS, type ActorKind, type Closeness, type PsiActor, type PsiContent } from './psi';

/** full: every actor; shared: the actors the person shares her PSI with. */
export type MapLevel = 'full' | 'shared';

export interface MapReader {
  isOrganiser: boolean;
  /** The reader's roles in the case ('referent', 'personConcerned', …). */
  roles: readonly string[];
}

const FULL_ROLES = ['referent', 'personConcerned'];

/** The organiser, the référent and the person see every actor; other readers, those she consented to. */
export function mapLevel(reader: MapReader): MapLevel {
  return reader.isOrganiser || reader.roles.some((r) => FULL_ROLES.includes(r)) ? 'full' : 'shared';
}

/** The actors drawn at a level (see Decisions above). */
export function mapActors(content: PsiContent, level: MapLevel): PsiActor[] {
  return level === 'full' ? content.actors : content.actors.filter((a) => a.share);
}

export type MapKind = ActorKind | 'unknown';
/** The sectors' order around the clock, from 12 o'clock clockwise. */
export const MAP_KINDS: readonly MapKind[] = [...ACTOR_KINDS, 'unknown'];

export interface MapNode {
  id: string;
  x: number;
  y: number;
  /** 0 close, 1 near, 2 far. */
  ring: number;
  kind: MapKind;
}

export interface MapSector {
  kind: MapKind;
  start: number;
  end: number;
}

export interface NetworkLayout {
  size: number;
  centre: { x: number; y: number };
  /** Ring radii, inner to outer. */
  rings: number[];
  /** How far from its ring's radius a node may sit (the ring is a band). */
  ringTolerance: number;
  /** Angles in radians, clockwise from 12 o'clock. */
  sectors: MapSector[];
  /** Two nodes' centres are at least twice this apart (room for a node and its label). */
  collideRadius: number;
  nodes: MapNode[];
}

/** Ring radii and band half-width as fractions of the size. */
const RING_FRACTIONS = [0.19, 0.31, 0.43];
const RING_TOLERANCE = 0.045;
/** The narrowest sector, in radians (30°: room for one node on the inner ring beside its neighbours'). */
export const MIN_SECTOR = (2 * Math.PI) / 12;
/** Collide radius as a fraction of the size (33 px at 600). */
const COLLIDE_FRACTION = 0.055;
const TICKS = 300;
const SEED = 0x5eed;

const RING_OF: Record<Closeness, number> = { close: 0, near: 1, far: 2 };
export const ringOf = (a: Pick<PsiActor, 'closeness'>): number => RING_OF[a.closeness ?? 'near'];
export const kindOf = (a: Pick<PsiActor, 'kind'>): MapKind => a.kind ?? 'unknown';

/** One sector per kind present, in MAP_KINDS order; a minimum width each, the rest shared by count. */
export function mapSectors(actors: readonly Pick<PsiActor, 'kind'>[]): MapSector[] {
  const counts = MAP_KINDS.map((kind) => ({ kind, n: actors.filter((a) => kindOf(a) === kind).length })).filter((c) => c.n > 0);
  const spare = 2 * Math.PI - counts.length * MIN_SECTOR;
  let start = 0;
  return counts.map(({ kind, n }) => {
    const end = start + MIN_SECTOR + (spare * n) / actors.length;
    const sector = { kind, start, end };
    start = end;
    return sector;
  });
}

/** Deterministic uniform numbers in [0, 1) (a linear congruential generator, as d3's own). */
function seededRandom(seed: number): () => number {
  let s = seed;
  return () => (s = (1664525 * s + 1013904223) % 4294967296) / 4294967296;
}

interface SimNode extends SimulationNodeDatum {
  x: number;
  y: number;
  id: string;
  ring: number;
  kind: MapKind;
  sector: MapSector;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Places the actors on a square of `size` pixels: the person in the centre. */
export function layoutNetworkMap(actors: readonly PsiActor[], size: number): NetworkLayout {
  const c = size / 2;
  const rings = RING_FRACTIONS.map((f) => f * size);
  const tolerance = RING_TOLERANCE * size;
  const sectors = mapSectors(actors);
  const collideRadius = fittingRadius(actors, sectors, rings, tolerance, COLLIDE_FRACTION * size);
  const sectorOf = new Map(sectors.map((s) => [s.kind, s]));
  const polar = (angle: number, r: number) => ({ x: c + Math.sin(angle) * r, y: c - Math.cos(angle) * r });

  const sorted = [...actors].sort(
    (a, b) => MAP_KINDS.indexOf(kindOf(a)) - MAP_KINDS.indexOf(kindOf(b)) || ringOf(a) - ringOf(b) || byText(a.id, b.id) || byText(a.name, b.name),
  );
  // Start evenly spread over the sector on the ring, in id order: the simulation only refines.
  const nodes: SimNode[] = sorted.map((a) => {
    const kind = kindOf(a);
    const ring = ringOf(a);
    const sector = sectorOf.get(kind)!;
    const group = sorted.filter((b) => kindOf(b) === kind && ringOf(b) === ring);
    const slot = (group.indexOf(a) + 0.5) / group.length;
    return { id: a.id, ring, kind, sector, ...polar(sector.start + slot * (sector.end - sector.start), rings[ring]) };
  });

  const middle = (n: SimNode) => polar((n.sector.start + n.sector.end) / 2, rings[n.ring]);
  const simulation = forceSimulation(nodes)
    .randomSource(seededRandom(SEED))
    .force('ring', forceRadial<SimNode>((n) => rings[n.ring], c, c).strength(0.5))
    .force('sectorX', forceX<SimNode>((n) => middle(n).x).strength(0.03))
    .force('sectorY', forceY<SimNode>((n) => middle(n).y).strength(0.03))
    .force('collide', forceCollide<SimNode>(collideRadius).strength(1).iterations(3))
    .stop();
  const clamp = (n: SimNode): void => {
    const dx = n.x - c;
    const dy = c - n.y;
    const r = Math.min(rings[n.ring] + tolerance, Math.max(rings[n.ring] - tolerance, Math.hypot(dx, dy)));
    // Keep the centre a little inside the sector's edges (half the sector when it is narrow).
    const margin = Math.min((n.sector.end - n.sector.start) / 2, (collideRadius * 0.4) / r);
    let angle = Math.atan2(dx, dy);
    if (angle < 0) angle += 2 * Math.PI;
    const clamped = Math.min(n.sector.end - margin, Math.max(n.sector.start + margin, unwrap(angle, n.sector)));
    Object.assign(n, polar(clamped, r));
  };
  for (let i = 0; i < TICKS; i++) {
    simulation.tick();
    nodes.forEach(clamp);
  }
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    size,
    centre: { x: c, y: c },
    rings,
    ringTolerance: tolerance,
    sectors,
    collideRadius,
    nodes: nodes.map((n) => ({ id: n.id, x: round(n.x), y: round(n.y), ring: n.ring, kind: n.kind })),
  };
}

/**
 * The collide radius: the room a label wants, less when a sector's ring holds more actors than its
 * arc can seat at that room (in staggered rows across the ring's band). Crowded maps get closer
 * nodes rather than nodes piled on one another.
 */
function fittingRadius(actors: readonly PsiActor[], sectors: MapSector[], rings: number[], tolerance: number, wanted: number): number {
  const groups = sectors.flatMap((s) =>
    rings.map((radius, ring) => ({ arc: (s.end - s.start) * radius, count: actors.filter((a) => kindOf(a) === s.kind && ringOf(a) === ring).length })),
  );
  const fits = (r: number) => groups.every((g) => g.count * 2 * r <= g.arc * (1 + Math.floor((2 * tolerance) / (Math.sqrt(3) * r))));
  let r = wanted;
  while (!fits(r) && r > wanted / 4) r *= 0.9;
  return r;
}

/** An angle in [0, 2π) moved by a turn when that brings it nearer the sector (a node just past 12 o'clock). */
function unwrap(angle: number, sector: MapSector): number {
  const mid = (sector.start + sector.end) / 2;
  return [angle - 2 * Math.PI, angle, angle + 2 * Math.PI].reduce((best, a) => (Math.abs(a - mid) < Math.abs(best - mid) ? a : best));
}
