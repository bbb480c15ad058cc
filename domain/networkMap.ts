/**
 * The network map (carte réseau, Egonet-like ecomap) of a PSI: who appears on it for whom, and
 * where each actor sits. Pure: no I/O.
 *
 * PLACEHOLDER API (to be replaced by the full implementation): the signatures are the contract.
 */
import type { ActorKind, PsiActor, PsiContent } from './psi';

/** full: every actor; shared: the référent and the actors the person shares her PSI with. */
export type MapLevel = 'full' | 'shared';

export interface MapReader {
  isOrganiser: boolean;
  /** The reader's roles in the case ('referent', 'personConcerned', …). */
  roles: readonly string[];
}

/** The organiser, the référent and the person see every actor; other readers, those she consented to. */
export function mapLevel(reader: MapReader): MapLevel {
  return reader.isOrganiser || reader.roles.includes('referent') || reader.roles.includes('personConcerned') ? 'full' : 'shared';
}

/** The actors drawn at a level. */
export function mapActors(content: PsiContent, level: MapLevel): PsiActor[] {
  return level === 'full' ? content.actors : content.actors.filter((a) => a.share || a.referent);
}

export interface MapNode {
  id: string;
  x: number;
  y: number;
  /** 0 close, 1 near, 2 far. */
  ring: number;
  kind: ActorKind | 'unknown';
}

export interface NetworkLayout {
  size: number;
  centre: { x: number; y: number };
  /** Ring radii, inner to outer. */
  rings: number[];
  /** Angles in radians, clockwise from 12 o'clock. */
  sectors: Array<{ kind: ActorKind | 'unknown'; start: number; end: number }>;
  nodes: MapNode[];
}

/** Places the actors on a square of `size` pixels: the person in the centre. */
export function layoutNetworkMap(actors: readonly PsiActor[], size: number): NetworkLayout {
  const c = size / 2;
  const rings = [0.18, 0.3, 0.42].map((r) => r * size);
  const nodes = actors.map((a, i) => {
    const angle = (i / Math.max(1, actors.length)) * 2 * Math.PI;
    const ring = a.closeness === 'close' ? 0 : a.closeness === 'far' ? 2 : 1;
    return { id: a.id, ring, kind: a.kind ?? ('unknown' as const), x: c + Math.sin(angle) * rings[ring], y: c - Math.cos(angle) * rings[ring] };
  });
  return { size, centre: { x: c, y: c }, rings, sectors: [], nodes };
}
