// The coordination's view of the organiser pool and coordinators, with the add / edit form.
import { Locale, t, tn } from '../locales/i18n';
import type { Member } from '../models/member';
import { renderCard } from './render';

export interface PoolView {
  members: Array<Pick<Member, 'aadObjectId' | 'displayName' | 'roles' | 'languages' | 'sectors' | 'active'> & { openCases: number }>;
  people: Array<{ aadObjectId: string; teamsUserId: string; name: string }>;
  notice?: { text: string; ok: boolean };
}

export function poolCard(view: PoolView, locale: Locale) {
  const tr = (k: string, p?: Record<string, string | number>) => t(locale, k, p);
  return renderCard('pool', {
    title: tr('pool.title'),
    notice: view.notice?.text ?? '',
    noticeColor: view.notice?.ok ? 'Good' : 'Attention',
    empty: tr('pool.empty'),
    members: view.members.map((m) => ({
      aadObjectId: m.aadObjectId,
      name: m.active ? m.displayName : tr('pool.inactiveName', { name: m.displayName }),
      details: tn(locale, 'pool.details', m.openCases, {
        roles: m.roles.map((r) => tr(`pool.role.${r}`)).join(', '),
        languages: m.languages.map((l) => l.toUpperCase()).join(', ') || '—',
        sectors: m.sectors.join(', ') || '—',
      }),
      toggleLabel: m.active ? tr('pool.deactivate') : tr('pool.activate'),
    })),
    formTitle: tr('pool.formTitle'),
    personLabel: tr('pool.personLabel'),
    personRequired: tr('pool.error.person'),
    people: view.people.map((p) => ({ title: p.name, value: `${p.aadObjectId}|${p.teamsUserId}|${p.name}` })),
    roleLabel: tr('pool.roleLabel'),
    roles: ['organiser', 'coordinator'].map((r) => ({ title: tr(`pool.role.${r}`), value: r })),
    languagesLabel: tr('pool.languagesLabel'),
    languages: ['fr', 'nl', 'en'].map((l) => ({ title: tr(`language.name.${l}`), value: l })),
    sectorsLabel: tr('pool.sectorsLabel'),
    sectorsPlaceholder: tr('pool.sectorsPlaceholder'),
    saveLabel: tr('pool.save'),
  });
}
