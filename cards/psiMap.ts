// The network map in the PSI cards: an actor's map attributes in words and as form choices, the
// picture (an inline PNG: no URL that could leak outside the PSI's audience), and the card of
// "carte CMD-…" that shows the map alone. Which actors a reader sees: domain/psiReaders.ts.
import { ACTOR_KINDS, CLOSENESS, PsiActor, RELATIONS, SUPPORTS } from '../domain/psi';
import { Locale, t } from '../locales/i18n';
import { brusselsShort } from './cases';
import { networkMapPng } from './pictures/networkMap';
import { pngDataUri } from './pictures/png';
import { cardBytes, MAX_CARD_BYTES, renderCard } from './render';

/** Choice values must not be empty in Adaptive Cards: these stand for "new row", "none"… */
export const NEW_ITEM = 'new';
export const NO_CHOICE = 'none';
/** Choice value for "not said" (Adaptive Cards choices must not be empty; 'none' is a support value). */
export const NOT_SAID = 'unsaid';

/** Width of the picture in the PSI card (at 640 and above the drawing is crisp, in 15 colours: about 20 KB for 30 actors), then the smaller one tried when the card is too big. */
export const PSI_MAP_WIDTHS = [640, 360] as const;
/** Width of the picture in the map card. */
export const MAP_CARD_WIDTHS = [900, 640, 420] as const;

/** The map attributes of an actor in words ("famille · proche · relation forte · référent"). */
export function actorAttributes(a: PsiActor, locale: Locale): string {
  const tr = (k: string) => t(locale, k);
  return [
    a.referent ? tr('psi.actor.referent') : '',
    a.kind ? tr(`psi.kind.${a.kind}`) : '',
    a.closeness ? tr(`psi.closeness.${a.closeness}`) : '',
    a.relation ? tr(`psi.relation.${a.relation}`) : '',
    a.support ? tr(`psi.support.${a.support}`) : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

const choices = (locale: Locale, prefix: string, values: readonly string[]) => [
  { title: t(locale, 'psi.form.notSaid'), value: NOT_SAID },
  ...values.map((v) => ({ title: t(locale, `${prefix}.${v}`), value: v })),
];

/** The actor form's choices for the map attributes, each with "not said" first. */
export function actorAttributeChoices(locale: Locale) {
  return {
    kindChoices: choices(locale, 'psi.kind', ACTOR_KINDS),
    closenessChoices: choices(locale, 'psi.closeness', CLOSENESS),
    relationChoices: choices(locale, 'psi.relation', RELATIONS),
    supportChoices: choices(locale, 'psi.support', SUPPORTS),
  };
}

/** The actor form's values for an actor (prefilled when the organiser picks it to change it). */
export function actorFormValues(a: PsiActor | undefined): Record<string, string> {
  return {
    actorId: a?.id ?? NEW_ITEM,
    participantKey: a?.participantKey ?? NO_CHOICE,
    actorName: a?.name ?? '',
    actorRoles: a?.roles ?? '',
    actorContact: a?.contact ?? '',
    actorShare: String(a?.share ?? false),
    actorKind: a?.kind ?? NOT_SAID,
    actorCloseness: a?.closeness ?? NOT_SAID,
    actorRelation: a?.relation ?? NOT_SAID,
    actorSupport: a?.support ?? NOT_SAID,
    actorReferent: String(a?.referent ?? false),
  };
}

/** The picture as a data URI, for an Image element. */
export const mapPictureUri = (actors: readonly PsiActor[], locale: Locale, width: number): string => pngDataUri(networkMapPng(actors, locale, { theme: 'light', width }));

export interface MapCardView {
  trackingId: string;
  version: number;
  savedAt: Date;
  /** The actors drawn (already at the reader's level: visibleActors). */
  actors: readonly PsiActor[];
}

/** The card of "carte CMD-…": the title, the picture large, the version and its date. */
export function psiMapCard(view: MapCardView, locale: Locale) {
  const tr = (k: string, p?: Record<string, string | number>) => t(locale, k, p);
  const base = {
    title: tr('psi.map.title', { trackingId: view.trackingId }),
    versionLine: tr('psi.map.versionLine', { version: view.version, date: brusselsShort(view.savedAt, locale) }),
    hasPicture: false,
    picture: '',
    alt: tr('psi.map.alt', { count: view.actors.length }),
    text: view.actors.length ? tr('psi.map.noPicture') : tr('psi.map.noActors'),
  };
  if (!view.actors.length) return renderCard('psiMap', base);
  for (const width of MAP_CARD_WIDTHS) {
    const card = renderCard('psiMap', { ...base, hasPicture: true, picture: mapPictureUri(view.actors, locale, width), text: '' });
    if (cardBytes(card) <= MAX_CARD_BYTES) return card;
  }
  return renderCard('psiMap', base);
}
