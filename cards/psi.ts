// Data builder for the PSI card (cards/templates/psi.json): every section of the template (seed 001
// annex 2 §6), what changed in the actions since the previous version (domain/psiDiff.ts), the
// versions, the network map of the version shown (cards/psiMap.ts), and — for the organiser and the
// référent in their own view — the edit forms.
//
// Decisions:
// - The actors list and the map follow the reader's level (domain/networkMap.ts mapLevel): every
//   actor for the organiser, the référent and the person in their own view; only the référent and
//   the actors the person shares her PSI with on the card posted to the case chat, on the 1:1 card
//   of a consented actor and for any other reader. A card seen in a group is always 'shared'.
// - The picture travels inline (PNG data URI): no link to guard. A card too big for Teams is tried
//   with the texts shortened, then a smaller picture, then without it (a line points to "carte").
// - Picking an actor to change (its "change" button) renders the edit view again with the actor's
//   values in the form: Adaptive Cards cannot fill inputs from a choice without a round trip.
import { DateTime } from 'luxon';
import type { MapLevel } from '../domain/networkMap';
import { diffPsiRows, PsiField } from '../domain/psiDiff';
import { diffRows, PERIODICITIES, PsiContent } from '../domain/psi';
import { visibleActors } from '../domain/psiReaders';
import { formatInBrussels } from '../locales/format';
import { Locale, t } from '../locales/i18n';
import { brusselsShort, participantLabel } from './cases';
import { actorAttributeChoices, actorAttributes, actorFormValues, mapPictureUri, NEW_ITEM, NO_CHOICE, NOT_SAID, PSI_MAP_WIDTHS } from './psiMap';
import { cardBytes, MAX_CARD_BYTES, renderCard } from './render';

export interface PsiCardView {
  trackingId: string;
  /** The version shown; null when no PSI was saved yet. */
  shown: { version: number; content: PsiContent; authorName: string; savedAt: Date } | null;
  /** The version before the one shown (null for the first), for the changes in the actions. */
  previous: PsiContent | null;
  latestVersion: number;
  /**
   * Unpublished edits (editors only): the edit view shows and edits them, with "publish"; the read
   * view says they are waiting. Never on the posted card.
   */
  draft?: { rev: number; content: PsiContent; updatedAt: Date; authorName: string } | null;
  /** posted: the shared card (read-only, "open" button); read: a reader's own view; edit: with forms. */
  mode: 'posted' | 'read' | 'edit';
  canEdit: boolean;
  versions: Array<{ version: number; savedAt: Date; authorName: string }>;
  participants: Array<{ key: string; displayName: string; role: string; profile: string | null }>;
  error?: string;
  notice?: string;
  /** Values typed before an error, given back so nothing is lost. */
  values?: Record<string, string>;
  /** Which actors the reader sees (default 'shared'; the posted card is always 'shared'). */
  level?: MapLevel;
  /** The PSI's consent as it holds now (services/psi.ts consent), for the 'shared' level. */
  consentNow?: PsiContent | null;
  /** An actor picked to change: the actor form shows its values. */
  pickActorId?: string;
}

const day = (iso: string | null, locale: Locale): string => (iso ? formatInBrussels(iso, locale, DateTime.DATE_FULL) : '');

export { NEW_ITEM, NO_CHOICE } from './psiMap';

const clip = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/**
 * The PSI card. A very long PSI (many long rows) could pass Teams' message size limit: it is then
 * rendered again with the long texts shortened, and says so (the full texts stay in the version),
 * then with a smaller map, then without it.
 */
export function psiCard(view: PsiCardView, locale: Locale) {
  const tries: Array<[number, number | null]> = [[Infinity, PSI_MAP_WIDTHS[0]], ...PSI_MAP_WIDTHS.map((w): [number, number | null] => [200, w]), [200, null]];
  for (const [maxText, width] of tries.slice(0, -1)) {
    const card = renderPsi(view, locale, maxText, width);
    if (cardBytes(card) <= MAX_CARD_BYTES) return card;
  }
  return renderPsi(view, locale, 200, null);
}

function renderPsi(view: PsiCardView, locale: Locale, maxText: number, pictureWidth: number | null) {
  const tr = (k: string, p?: Record<string, string | number>) => t(locale, k, p);
  const shown = view.shown;
  const editing = view.mode === 'edit' && view.canEdit;
  // Editing with a draft: the draft is what is shown and edited, compared with the published version.
  const drafting = editing && view.draft ? view.draft : null;
  const c = drafting ? drafting.content : shown?.content;
  const previous = drafting ? (shown?.content ?? null) : view.previous;
  const none = tr('psi.card.none');
  const or = (s: string | undefined | null) => (s && s.trim() ? clip(s, maxText) : none);
  const waiting = view.mode === 'read' && view.canEdit && view.draft && shown?.version === view.latestVersion ? view.draft : null;
  const draftNote = drafting
    ? tr('psi.card.draftLine', { date: brusselsShort(drafting.updatedAt, locale), author: drafting.authorName || none })
    : waiting
      ? tr('psi.card.draftWaiting', { date: brusselsShort(waiting.updatedAt, locale), author: waiting.authorName || none })
      : editing
        ? tr('psi.card.draftHint')
        : '';

  const changes: Array<{ text: string; color: string }> = [];
  if (c) {
    if (!previous) changes.push({ text: tr('psi.changes.first'), color: 'Default' });
    else {
      const d = diffPsiRows(diffRows(previous.actions), diffRows(c.actions));
      for (const r of d.added) changes.push({ text: tr('psi.changes.added', { what: clip(r.what, 80) }), color: 'Good' });
      for (const r of d.changed) changes.push({ text: tr('psi.changes.changed', { what: clip(r.after.what, 80), fields: r.fields.map((f: PsiField) => tr(`psi.field.${f}`)).join(', ') }), color: 'Accent' });
      for (const r of d.removed) changes.push({ text: tr('psi.changes.removed', { what: clip(r.what, 80) }), color: 'Attention' });
      if (!changes.length) changes.push({ text: tr('psi.changes.none'), color: 'Default' });
    }
  }
  const addedIds = new Set<string>();
  const changedIds = new Set<string>();
  if (c && previous) {
    const d = diffPsiRows(diffRows(previous.actions), diffRows(c.actions));
    d.added.forEach((r) => addedIds.add(r.id));
    d.changed.forEach((r) => changedIds.add(r.id));
  }

  const participantName = new Map(view.participants.map((p) => [p.key, p.displayName]));
  const next = c
    ? [c.next.date ? day(c.next.date, locale) : '', c.next.periodicityMonths ? tr('psi.card.periodicity', { months: c.next.periodicityMonths }) : ''].filter(Boolean).join(' · ')
    : '';
  const level: MapLevel = view.mode === 'posted' ? 'shared' : (view.level ?? 'shared');
  const actors = c ? visibleActors(c, level, view.consentNow ?? null) : [];
  const picked = editing && view.pickActorId ? c?.actors.find((a) => a.id === view.pickActorId) : undefined;
  const v = { ...(view.values ?? {}), ...(picked ? actorFormValues(picked) : {}) };
  const val = (key: string, fallback: string) => (key in v ? v[key] : fallback);
  const map = {
    hasPicture: actors.length > 0 && pictureWidth !== null,
    picture: actors.length > 0 && pictureWidth !== null ? mapPictureUri(actors, locale, pictureWidth) : '',
    alt: tr('psi.map.alt', { count: actors.length }),
    note: !actors.length ? tr('psi.map.noActors') : pictureWidth === null ? tr('psi.map.tooBig', { trackingId: view.trackingId }) : '',
  };

  return renderCard('psi', {
    trackingId: view.trackingId,
    baseVersion: view.latestVersion,
    baseRev: view.draft?.rev ?? 0,
    title: tr('psi.card.title', { trackingId: view.trackingId }),
    draftNote,
    showPublish: Boolean(drafting),
    publishLabel: tr('psi.card.publish'),
    discardLabel: tr('psi.card.discard'),
    versionLine: drafting ? tr('psi.card.draftVersionLine', { version: view.latestVersion + 1 }) : shown ? tr('psi.card.versionLine', { version: shown.version, date: brusselsShort(shown.savedAt, locale), author: shown.authorName || none }) : tr('psi.card.empty'),
    oldVersionNote: shown && shown.version < view.latestVersion ? tr('psi.card.oldVersion', { version: shown.version, latest: view.latestVersion }) : '',
    error: [view.error, Number.isFinite(maxText) ? tr('psi.card.shortened') : ''].filter(Boolean).join(' '),
    notice: view.notice ?? '',
    hasVersion: Boolean(c),
    none,
    changesTitle: tr(drafting ? 'psi.changes.draftTitle' : 'psi.changes.title'),
    changes,
    sections: c
      ? [
          { title: tr('psi.section.needs'), text: or(c.needs) },
          { title: tr('psi.section.objectives'), text: or(c.objectives) },
          { title: tr('psi.section.projects'), text: or(c.projects) },
          { title: tr('psi.section.avoid'), text: or(c.avoid) },
          { title: tr('psi.section.limits'), text: or(c.limits) },
          { title: c.note.date ? tr('psi.section.noteOn', { date: day(c.note.date, locale) }) : tr('psi.section.note'), text: or(c.note.text) },
          { title: tr('psi.section.next'), text: or(next) },
        ]
      : [],
    referentTitle: tr('psi.section.referent'),
    referentFacts: c
      ? [
          { title: tr('psi.referent.name'), value: or(c.referent.name) },
          { title: tr('psi.referent.phone'), value: or(c.referent.phone) },
          { title: tr('psi.referent.address'), value: or(c.referent.address) },
          { title: tr('psi.referent.place'), value: or(c.referent.place) },
        ]
      : [],
    actorsTitle: tr('psi.section.actors'),
    map,
    actors: actors.map((a) => ({
      id: a.id,
      line: [a.name, a.roles, a.contact, actorAttributes(a, locale), a.share ? tr('psi.actor.shared') : tr('psi.actor.notShared'), a.participantKey ? tr('psi.actor.inTeams') : ''].filter(Boolean).join(' — '),
    })),
    actionsTitle: tr('psi.section.actions'),
    actions: (c?.actions ?? []).map((a, i) => ({
      id: a.id,
      heading: `${i + 1}. ${clip(a.what, maxText)}${addedIds.has(a.id) ? ` ${tr('psi.badge.new')}` : changedIds.has(a.id) ? ` ${tr('psi.badge.changed')}` : ''}`,
      facts: [
        { title: tr('psi.field.how'), value: or(a.how) },
        { title: tr('psi.field.byWhom'), value: a.byWhom },
        { title: tr('psi.field.priorityWhen'), value: or([a.priorityWhen, a.dueDate ? day(a.dueDate, locale) : ''].filter(Boolean).join(' — ')) },
        { title: tr('psi.field.urgentContact'), value: a.urgentContact ? tr('psi.yes') : tr('psi.no') },
      ],
    })),
    removeLabel: tr('psi.card.remove'),
    changeLabel: tr('psi.card.change'),
    showVersions: view.mode !== 'posted' && view.versions.length > 1,
    versionsTitle: tr('psi.card.versions'),
    versions: view.versions.slice(0, 12).map((x) => ({ version: x.version, line: tr('psi.card.versionItem', { version: x.version, date: brusselsShort(x.savedAt, locale), author: x.authorName || none }) })),
    openVersionLabel: tr('psi.card.openVersion'),
    showOpen: view.mode === 'posted',
    openLabel: tr('psi.card.open'),
    showEdit: view.mode === 'read' && view.canEdit,
    editLabel: tr('psi.card.edit'),
    editing,
    values: {
      needs: val('needs', c?.needs ?? ''),
      objectives: val('objectives', c?.objectives ?? ''),
      projects: val('projects', c?.projects ?? ''),
      avoid: val('avoid', c?.avoid ?? ''),
      referentName: val('referentName', c?.referent.name ?? ''),
      referentPhone: val('referentPhone', c?.referent.phone ?? ''),
      referentAddress: val('referentAddress', c?.referent.address ?? ''),
      referentPlace: val('referentPlace', c?.referent.place ?? ''),
      limits: val('limits', c?.limits ?? ''),
      noteText: val('noteText', c?.note.text ?? ''),
      noteDate: val('noteDate', c?.note.date ?? ''),
      nextDate: val('nextDate', c?.next.date ?? ''),
      periodicity: val('periodicity', c?.next.periodicityMonths ? String(c.next.periodicityMonths) : NO_CHOICE),
      rowId: val('rowId', NEW_ITEM),
      what: val('what', ''),
      how: val('how', ''),
      byWhom: val('byWhom', ''),
      priorityWhen: val('priorityWhen', ''),
      dueDate: val('dueDate', ''),
      urgentContact: val('urgentContact', 'false'),
      actorId: val('actorId', NEW_ITEM),
      participantKey: val('participantKey', NO_CHOICE),
      actorName: val('actorName', ''),
      actorRoles: val('actorRoles', ''),
      actorContact: val('actorContact', ''),
      actorShare: val('actorShare', 'false'),
      actorKind: val('actorKind', NOT_SAID),
      actorCloseness: val('actorCloseness', NOT_SAID),
      actorRelation: val('actorRelation', NOT_SAID),
      actorSupport: val('actorSupport', NOT_SAID),
      actorReferent: val('actorReferent', 'false'),
      shareWith: val('shareWith', (c?.actors ?? []).filter((a) => a.share).map((a) => a.id).join(',')),
    },
    form: {
      sectionsTitle: tr('psi.form.sectionsTitle'),
      needs: tr('psi.section.needs'),
      objectives: tr('psi.section.objectives'),
      projects: tr('psi.section.projects'),
      avoid: tr('psi.section.avoid'),
      referentName: tr('psi.form.referentName'),
      referentPhone: tr('psi.form.referentPhone'),
      referentAddress: tr('psi.form.referentAddress'),
      referentPlace: tr('psi.form.referentPlace'),
      limits: tr('psi.section.limits'),
      noteText: tr('psi.section.note'),
      noteDate: tr('psi.form.noteDate'),
      nextDate: tr('psi.form.nextDate'),
      periodicity: tr('psi.form.periodicity'),
      periodicityChoices: [{ title: tr('psi.form.noPeriodicity'), value: NO_CHOICE }, ...PERIODICITIES.map((m) => ({ title: tr('psi.card.periodicity', { months: m }), value: String(m) }))],
      saveSections: tr('psi.form.saveSections'),
      actionTitle: tr('psi.form.actionTitle'),
      rowId: tr('psi.form.rowId'),
      rowChoices: [{ title: tr('psi.form.newRow'), value: NEW_ITEM }, ...(c?.actions ?? []).map((a, i) => ({ title: clip(`${i + 1}. ${a.what}`, 60), value: a.id }))],
      what: tr('psi.field.what'),
      how: tr('psi.field.how'),
      byWhom: tr('psi.form.byWhom'),
      priorityWhen: tr('psi.field.priorityWhen'),
      dueDate: tr('psi.form.dueDate'),
      urgentContact: tr('psi.field.urgentContact'),
      saveAction: tr('psi.form.saveAction'),
      actorTitle: tr('psi.form.actorTitle'),
      actorId: tr('psi.form.actorId'),
      actorChoices: [{ title: tr('psi.form.newActor'), value: NEW_ITEM }, ...(c?.actors ?? []).map((a) => ({ title: clip(a.name, 60), value: a.id }))],
      participantKey: tr('psi.form.participantKey'),
      participantChoices: [
        { title: tr('psi.form.noParticipant'), value: NO_CHOICE },
        ...view.participants.map((p) => ({ title: participantLabel(p.displayName, p.role, p.profile, locale), value: p.key })),
      ],
      actorName: tr('psi.form.actorName'),
      actorRoles: tr('psi.form.actorRoles'),
      actorContact: tr('psi.form.actorContact'),
      actorShare: tr('psi.form.actorShare'),
      mapHelp: tr('psi.form.mapHelp'),
      actorKind: tr('psi.form.actorKind'),
      actorCloseness: tr('psi.form.actorCloseness'),
      actorRelation: tr('psi.form.actorRelation'),
      actorSupport: tr('psi.form.actorSupport'),
      actorReferent: tr('psi.form.actorReferent'),
      ...actorAttributeChoices(locale),
      saveActor: tr('psi.form.saveActor'),
      shareTitle: tr('psi.form.shareTitle'),
      shareHelp: tr('psi.form.shareHelp'),
      shareWith: tr('psi.form.shareWith'),
      shareChoices: (c?.actors ?? []).map((a) => ({ title: a.participantKey && participantName.has(a.participantKey) ? `${a.name} — ${tr('psi.actor.inTeams')}` : a.name, value: a.id })),
      saveShare: tr('psi.form.saveShare'),
    },
  });
}

export { MAX_ACCESS_ROWS, psiAccessLogCard, psiNewVersionCard, psiRevokedCard } from './psiNotices';
export type { PsiAccessRow } from './psiNotices';
