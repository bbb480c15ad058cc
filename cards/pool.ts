// The coordination's view of the organiser pool and coordinators, with the add / edit form.
import { SECTORS } from '../domain/sectors';
import { Locale, t, tn } from '../locales/i18n';
import type { Member } from '../models/member';
import { renderCard } from './render';

export interface PoolView {
  members: Array<Pick<Member, 'aadObjectId' | 'displayName' | 'roles' | 'languages' | 'sectors' | 'sector' | 'active'> & { openCases: number }>;
  people: Array<{ aadObjectId: string; teamsUserId: string; name: string }>;
  notice?: { text: string; ok: boolean };
  /** The form as it was sent, shown again when it was refused. */
  form?: PoolForm;
}

export interface PoolForm {
  person: string;
  role: string;
  languages: string;
  sector: string;
  sectors: string;
}

export function poolCard(view: PoolView, locale: Locale) {
  const tr = (k: string, p?: Record<string, string | number>) => t(locale, k, p);
  const form = view.form;
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
        sector: m.sector ? tr(`report.sector.${m.sector}`) : '—',
        sectors: m.sectors.join(', ') || '—',
      }),
      toggleLabel: m.active ? tr('pool.deactivate') : tr('pool.activate'),
    })),
    formTitle: tr('pool.formTitle'),
    personLabel: tr('pool.personLabel'),
    personRequired: tr('pool.error.person'),
    personValue: form?.person ?? '',
    roleValue: form?.role || 'organiser',
    languagesValue: form?.languages ?? '',
    sectorLabel: tr('pool.sectorLabel'),
    sectorPlaceholder: tr('pool.sectorPlaceholder'),
    sectorValue: form?.sector ?? '',
    sectorChoices: SECTORS.map((s) => ({ title: tr(`report.sector.${s}`), value: s })),
    sectorsValue: form?.sectors ?? '',
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
