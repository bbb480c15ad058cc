// The PSI card renders into a valid 1.5 card in each language, in the posted, read and edit views.
import { MAX_ACCESS_ROWS, psiAccessLogCard, psiCard, PsiCardView, psiNewVersionCard, psiRevokedCard } from '../../cards/psi';
import { emptyPsi, PsiContent, NO_ECOMAP } from '../../domain/psi';
import { SUPPORTED_LOCALES } from '../../locales/i18n';
import { cardProblems, NO_PROBLEMS } from '../support/cards';
import { PNG } from 'pngjs';
import { psiMapCard, PSI_MAP_WIDTHS } from '../../cards/psiMap';
import { networkMapPng } from '../../cards/pictures/networkMap';
import type { PsiActor } from '../../domain/psi';

// The drawing is another module's business: these tests watch which actors reach it.
jest.mock('../../cards/pictures/networkMap', () => {
  const actual = jest.requireActual('../../cards/pictures/networkMap');
  return { ...actual, networkMapPng: jest.fn(actual.networkMapPng) };
});
const drawn = (): string[][] => (networkMapPng as jest.Mock).mock.calls.map((c) => (c[0] as PsiActor[]).map((a) => a.name));

const v1: PsiContent = {
  ...emptyPsi(),
  needs: 'Rester à domicile',
  referent: { name: 'Remi Referent', phone: '02 000 00 00', address: 'Rue Fictive 1', place: 'CPAS fictif' },
  actors: [{ ...NO_ECOMAP, id: 'a1', name: 'Dr Gaby Test', roles: 'MG', contact: 'gaby.test@example.org', share: true, participantKey: 'aad:gp' }],
  actions: [
    { id: 'r1', what: 'Aide ménagère', how: 'CPAS', byWhom: 'Assistante sociale', priorityWhen: 'Haute', urgentContact: false, dueDate: null },
    { id: 'r2', what: 'Pilulier', how: '', byWhom: 'Infirmière', priorityWhen: '', urgentContact: true, dueDate: null },
  ],
  next: { date: '2026-09-01', periodicityMonths: 6 },
};
const v2: PsiContent = {
  ...v1,
  actions: [{ ...v1.actions[0], priorityWhen: 'Avant juin' }, { id: 'r3', what: 'Chorale', how: '', byWhom: 'Aidante', priorityWhen: '', urgentContact: false, dueDate: '2026-05-01' }],
};
const view = (over: Partial<PsiCardView> = {}): PsiCardView => ({
  trackingId: 'CMD-2026-0042',
  shown: { version: 2, content: v2, authorName: 'Olivia Organisatrice', savedAt: new Date('2026-03-10T09:00:00Z') },
  previous: v1,
  latestVersion: 2,
  mode: 'read',
  canEdit: true,
  versions: [
    { version: 2, savedAt: new Date('2026-03-10T09:00:00Z'), authorName: 'Olivia Organisatrice' },
    { version: 1, savedAt: new Date('2026-03-01T09:00:00Z'), authorName: 'Remi Referent' },
  ],
  participants: [{ key: 'aad:gp', displayName: 'Dr Gaby Test', role: 'professional', profile: 'gp' }],
  ...over,
});

describe.each(SUPPORTED_LOCALES)('PSI cards in %s', (locale) => {
  it.each(['posted', 'read', 'edit'] as const)('%s view is a valid card', (mode) => {
    const card = psiCard(view({ mode, error: mode === 'edit' ? 'erreur' : undefined, values: mode === 'edit' ? { what: 'Typed row' } : undefined }), locale);
    expect(cardProblems(card)).toEqual(NO_PROBLEMS);
    const json = JSON.stringify(card);
    expect(json.includes('psi.saveSections')).toBe(mode === 'edit');
    expect(json.includes('psi.open')).toBe(mode === 'posted');
    if (mode === 'edit') expect(json).toContain('Typed row');
  });

  it('edit view of a draft: valid, with publish and discard', () => {
    const card = psiCard(view({ mode: 'edit', draft: { rev: 2, content: { ...v2, needs: 'Brouillon test' }, updatedAt: new Date('2026-03-11T09:00:00Z'), authorName: 'Remi Referent' } }), locale);
    expect(cardProblems(card)).toEqual(NO_PROBLEMS);
    const json = JSON.stringify(card);
    expect(['psi.publish', 'psi.discard', 'Brouillon test', '"baseRev":2'].filter((x) => !json.includes(x))).toEqual([]);
  });

  it('empty PSI and the revoked notice', () => {
    expect(cardProblems(psiCard(view({ shown: null, previous: null, latestVersion: 0, versions: [] }), locale))).toEqual(NO_PROBLEMS);
    expect(cardProblems(psiRevokedCard('CMD-2026-0042', locale))).toEqual(NO_PROBLEMS);
  });
});

describe('PSI card content', () => {
  it('shows what changed in the actions since the previous version', () => {
    const json = JSON.stringify(psiCard(view(), 'fr'));
    expect(json).toContain('Nouvelle action : Chorale');
    expect(json).toContain('Action modifiée : Aide ménagère (Priorité — quand ?)');
    expect(json).toContain('Action retirée : Pilulier');
    expect(json).toContain('Remi Referent');
    expect(json).toContain('tous les 6 mois');
  });

  it('stays under the Teams size limit with 30 long actions and 30 actors', () => {
    const long = 'x'.repeat(500);
    const content: PsiContent = {
      ...v1,
      needs: long, objectives: long, projects: long, avoid: long, limits: long,
      actions: Array.from({ length: 30 }, (_, i) => ({ id: `r${i}`, what: long, how: 'y'.repeat(2000), byWhom: 'Aidante', priorityWhen: 'Haute', urgentContact: false, dueDate: null })),
      actors: Array.from({ length: 30 }, (_, i) => ({ ...NO_ECOMAP, id: `a${i}`, name: `Acteur ${i}`, roles: 'rôle', contact: 'x@example.org', share: i % 2 === 0, participantKey: null })),
    };
    const card = psiCard(view({ mode: 'edit', level: 'full', shown: { version: 3, content, authorName: 'O', savedAt: new Date() }, previous: v1, latestVersion: 3 }), 'fr');
    expect(cardProblems(card).tooBig).toBe(false);
    // The map is there, smaller, or replaced by the line pointing to "carte".
    const json = JSON.stringify(card);
    expect(json.includes('data:image/png;base64,') || json.includes('tapez « carte CMD-2026-0042 »')).toBe(true);
  });
});

/** The PNG pictures (data URIs) of a card, decoded. */
function pictures(card: object): PNG[] {
  const found: PNG[] = [];
  JSON.stringify(card).replace(/data:image\/png;base64,([A-Za-z0-9+/=]+)/g, (_m, b64: string) => {
    found.push(PNG.sync.read(Buffer.from(b64, 'base64')));
    return '';
  });
  return found;
}

describe('the network map in the PSI card', () => {
  const actor = (over: Partial<PsiActor>): PsiActor => ({ ...NO_ECOMAP, id: 'x', name: 'x', roles: '', contact: '', share: false, participantKey: null, ...over });
  const secret = actor({ id: 'a9', name: 'Zoé Secrète', kind: 'family', closeness: 'close', relation: 'strained', support: 'none' });
  const referent = actor({ id: 'a8', name: 'Rita Référente', kind: 'social', referent: true });
  const shared = actor({ id: 'a1', name: 'Dr Gaby Test', kind: 'health', closeness: 'near', relation: 'strong', support: 'toPerson', share: true, participantKey: 'aad:gp' });
  const content: PsiContent = { ...v2, actors: [shared, secret, referent] };
  const shown = { version: 2, content, authorName: 'Olivia Organisatrice', savedAt: new Date('2026-03-10T09:00:00Z') };
  beforeEach(() => (networkMapPng as jest.Mock).mockClear());

  it.each(SUPPORTED_LOCALES)('the organiser sees every actor with the attributes in words and the picture (%s)', (locale) => {
    const card = psiCard(view({ shown, mode: 'read', level: 'full' }), locale);
    expect(cardProblems(card)).toEqual(NO_PROBLEMS);
    const [png] = pictures(card);
    expect(png.width).toBe(PSI_MAP_WIDTHS[0]);
    expect(drawn()).toEqual([['Dr Gaby Test', 'Zoé Secrète', 'Rita Référente']]);
    const json = JSON.stringify(card);
    expect(json).not.toMatch(/psi\.(kind|closeness|relation|support|actor)\./);
    expect(json).not.toMatch(/"url":"http/);
  });

  it('says the attributes in words on the actor line', () => {
    const json = JSON.stringify(psiCard(view({ shown, mode: 'read', level: 'full' }), 'fr'));
    expect(json).toContain('Zoé Secrète — famille · très proche · relation tendue / en conflit · pas de soutien — PSI non partagé');
    expect(json).toContain('Rita Référente — référent · professionnel·le du social');
  });

  it('the posted card and a consented reader see the consented actors only, in the list and the picture (the référent mark is not consent)', () => {
    for (const v of [view({ shown, mode: 'posted', canEdit: false, level: 'full' }), view({ shown, mode: 'read', canEdit: false, level: 'shared' })]) {
      (networkMapPng as jest.Mock).mockClear();
      const card = psiCard(v, 'fr');
      const json = JSON.stringify(card);
      expect(json).not.toContain('Zoé');
      expect(json).not.toContain('Rita Référente');
      expect(drawn()).toEqual([['Dr Gaby Test']]);
      expect(pictures(card)).toHaveLength(1);
    }
  });

  it('a consent withdrawn since the version shown holds at once', () => {
    const consentNow = { ...content, actors: content.actors.map((a) => ({ ...a, share: false })) };
    const json = JSON.stringify(psiCard(view({ shown, mode: 'posted', canEdit: false, consentNow }), 'nl'));
    expect(json).not.toContain('Gaby');
    expect(drawn()).toEqual([]);
  });

  it('with no actor: no picture, a short line', () => {
    const card = psiCard(view({ shown: { ...shown, content: { ...content, actors: [] } }, level: 'full' }), 'fr');
    expect(pictures(card)).toHaveLength(0);
    expect(JSON.stringify(card)).toContain("Carte réseau : pas encore d'acteur dans ce PSI.");
    expect(networkMapPng).not.toHaveBeenCalled();
  });

  it('the edit view offers the attributes with "not said", and "change" fills the form with the actor picked', () => {
    const fresh = JSON.stringify(psiCard(view({ shown, mode: 'edit', level: 'full' }), 'fr'));
    expect(fresh).toContain('"id":"actorKind","label":"Type d\'acteur","style":"compact","value":"unsaid"');
    expect(fresh).toContain('{"title":"non précisé","value":"unsaid"}');
    const card = psiCard(view({ shown, mode: 'edit', level: 'full', pickActorId: 'a1' }), 'fr');
    expect(cardProblems(card)).toEqual(NO_PROBLEMS);
    const json = JSON.stringify(card);
    for (const [id, value] of [['actorId', 'a1'], ['actorName', 'Dr Gaby Test'], ['actorKind', 'health'], ['actorCloseness', 'near'], ['actorRelation', 'strong'], ['actorSupport', 'toPerson'], ['actorShare', 'true'], ['participantKey', 'aad:gp']]) {
      expect(json).toMatch(new RegExp(`"id":"${id}"[^}]*"value":"${value}"`));
    }
  });

  it.each(SUPPORTED_LOCALES)('the map card shows the picture large, or says there is no actor (%s)', (locale) => {
    const card = psiMapCard({ trackingId: 'CMD-2026-0042', version: 2, savedAt: shown.savedAt, actors: [shared, referent] }, locale);
    expect(cardProblems(card)).toEqual(NO_PROBLEMS);
    expect(pictures(card).map((p) => p.width)).toEqual([900]);
    const empty = psiMapCard({ trackingId: 'CMD-2026-0042', version: 2, savedAt: shown.savedAt, actors: [] }, locale);
    expect(cardProblems(empty)).toEqual(NO_PROBLEMS);
    expect(pictures(empty)).toHaveLength(0);
  });
});

describe('PSI card with unpublished edits (a draft)', () => {
  const draft = { rev: 3, content: { ...v2, needs: 'Texte du brouillon', actions: [...v2.actions, { id: 'r9', what: 'Courses', how: '', byWhom: 'Aidante', priorityWhen: '', urgentContact: false, dueDate: null }] }, updatedAt: new Date('2026-03-11T09:00:00Z'), authorName: 'Remi Referent' };

  it('the editor edits the draft and sees what changes against the published version', () => {
    const json = JSON.stringify(psiCard(view({ mode: 'edit', draft }), 'fr'));
    expect(json).toContain('Brouillon de la version 3, pas encore publiée');
    expect(json).toContain('Texte du brouillon');
    expect(json).toContain('Nouvelle action : Courses');
    expect(json).not.toContain('Nouvelle action : Chorale'); // already published in version 2
    expect(json).toContain('Publier');
  });

  it('the read view only says a draft is waiting; the posted card knows nothing of it', () => {
    const read = JSON.stringify(psiCard(view({ mode: 'read', draft }), 'fr'));
    expect(read).toContain('Des modifications attendent');
    expect(read).not.toContain('Texte du brouillon');
    expect(read).not.toContain('psi.publish');
    const posted = JSON.stringify(psiCard(view({ mode: 'posted', canEdit: false, draft }), 'fr'));
    expect(posted).not.toMatch(/Texte du brouillon|modifications attendent|psi\.publish/);
  });

  it('the edit view without a draft explains that edits wait for "publish"', () => {
    const json = JSON.stringify(psiCard(view({ mode: 'edit' }), 'nl'));
    expect(json).toContain('Publiceren');
    expect(json).not.toContain('psi.publish');
  });
});

describe.each(SUPPORTED_LOCALES)('the notice for a partly consented chat and the access log, in %s', (locale) => {
  it('the notice says a version exists, with an "open" button, and nothing else of the PSI', () => {
    for (const key of ['psi.notice.text', 'psi.sentPrivately'] as const) {
      const card = psiNewVersionCard({ trackingId: 'CMD-2026-0042', version: 3, savedAt: new Date('2026-03-10T09:00:00Z') }, locale, key);
      expect(cardProblems(card)).toEqual(NO_PROBLEMS);
      const json = JSON.stringify(card);
      expect(json).toContain('psi.open');
      expect(json).toContain('3');
      // Brussels time: 09:00 UTC is 10:00 in March.
      expect(json).toContain('10:00');
    }
  });

  it('the access log lists rows newest first, in Brussels time, capped for the message size', () => {
    const rows = Array.from({ length: MAX_ACCESS_ROWS + 5 }, (_, i) => ({ at: new Date(Date.UTC(2026, 6, 1, 8, 0) - i * 60_000), who: i % 3 ? 'Dr Gaby Test' : null, channel: ['directCard', 'groupNotice', 'open', 'command', 'view', 'edit', 'groupCard', 'revokedCard'][i % 8], version: 2 }));
    const card = psiAccessLogCard({ trackingId: 'CMD-2026-0042', rows }, locale);
    expect(cardProblems(card)).toEqual(NO_PROBLEMS);
    const json = JSON.stringify(card);
    expect(json).toContain('Dr Gaby Test');
    expect(json).toContain('10:00'); // 08:00 UTC in July
    expect(json.match(/"separator":true/g)).toHaveLength(MAX_ACCESS_ROWS);
    expect(json).toContain('5');
    expect(json).not.toMatch(/psi\.access\./); // every channel has its text
  });

  it('an empty access log says so', () => {
    const card = psiAccessLogCard({ trackingId: 'CMD-2026-0042', rows: [] }, locale);
    expect(cardProblems(card)).toEqual(NO_PROBLEMS);
    expect(JSON.stringify(card)).not.toContain('"separator":true');
  });
});
