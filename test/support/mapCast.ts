// Fictional actors for the network map's tests and samples: every kind, closeness, relation and
// support, some unsaid, long names, one référent.
import { ACTOR_KINDS, CLOSENESS, NO_ECOMAP, RELATIONS, SUPPORTS, type PsiActor } from '../../domain/psi';

const NAMES = [
  'Sœur Aïcha',
  'Dr Gaby Test (médecin généraliste de la maison médicale)',
  'Voisin Marcel',
  'Infirmière à domicile Ilse Voorbeeld',
  'CPAS — assistante sociale Nora Fictief',
  'Psychologue Jan Placeholder',
  'Kinésithérapeute',
  'Mutualité, service social',
  'Fils Karim',
  'Ami de longue date Théo',
];

/** `n` actors (30 at most in a PSI) with mixed attributes; ids in an order unlike the names'. */
export function mapCast(n: number): PsiActor[] {
  return Array.from({ length: n }, (_, i) => ({
    ...NO_ECOMAP,
    id: `act-${String((i * 7) % 31).padStart(2, '0')}`,
    name: i < NAMES.length ? NAMES[i] : `${NAMES[i % NAMES.length]} ${i}`,
    roles: 'rôle',
    contact: '',
    share: i % 3 !== 1,
    participantKey: null,
    kind: i % 9 === 8 ? null : ACTOR_KINDS[i % ACTOR_KINDS.length],
    closeness: i % 10 === 9 ? null : CLOSENESS[i % CLOSENESS.length],
    relation: i % 8 === 7 ? null : RELATIONS[i % RELATIONS.length],
    support: i % 11 === 10 ? null : SUPPORTS[i % SUPPORTS.length],
    referent: i === 4,
  }));
}
