import { emptyPsi, PsiContent, NO_ECOMAP } from '../../domain/psi';
import { effectiveConsent, groupPsiView, isPsiReader, PsiAudience, psiDistribution } from '../../domain/psiReaders';

// Fictional case: an organiser, a référent, the person, a GP and a nurse (both actors, only the GP
// shared with), a carer who is no actor, and a pharmacist outside Teams.
const audience: PsiAudience = {
  organiserAadObjectId: 'org',
  participants: [
    { key: 'aad:org', aadObjectId: 'org', role: 'organiser' },
    { key: 'aad:ref', aadObjectId: 'ref', role: 'referent' },
    { key: 'aad:person', aadObjectId: 'person', role: 'personConcerned' },
    { key: 'aad:gp', aadObjectId: 'gp', role: 'professional' },
    { key: 'aad:nurse', aadObjectId: 'nurse', role: 'professional' },
    { key: 'aad:carer', aadObjectId: 'carer', role: 'carer' },
    { key: 'ext:pharma', aadObjectId: null, role: 'professional' },
  ],
};
const actor = (id: string, participantKey: string | null, share: boolean) => ({ ...NO_ECOMAP, id, name: `Acteur ${id}`, roles: '', contact: '', share, participantKey });
const content = (shared: string[]): PsiContent => ({
  ...emptyPsi(),
  needs: 'Besoin fictif',
  actors: [actor('gp', 'aad:gp', shared.includes('gp')), actor('nurse', 'aad:nurse', shared.includes('nurse')), actor('pharma', 'ext:pharma', shared.includes('pharma'))],
});

describe('who reads the PSI, from the case people', () => {
  it.each<[string, string[], boolean]>([
    ['org', [], true],
    ['ref', [], true],
    ['person', [], true],
    ['gp', ['gp'], true],
    ['gp', ['nurse'], false],
    ['nurse', ['gp'], false],
    ['carer', ['gp', 'nurse'], false],
    ['coordinator-not-in-case', ['gp'], false],
  ])('%s, shared with %j → %s', (who, shared, expected) => {
    expect(isPsiReader(who, content(shared), audience)).toBe(expected);
  });
});

describe('what the case conversation shows (full only when every member reads it)', () => {
  it.each<[string, Array<string | null> | null, string[], 'full' | 'notice']>([
    ['organiser and shared GP', ['org', 'gp'], ['gp'], 'full'],
    ['organiser, référent, person, shared GP', ['org', 'ref', 'person', 'gp'], ['gp'], 'full'],
    ['organiser alone', ['org'], [], 'full'],
    ['a nurse not shared with', ['org', 'gp', 'nurse'], ['gp'], 'notice'],
    ['the nurse once shared with', ['org', 'gp', 'nurse'], ['gp', 'nurse'], 'full'],
    ['the same chat after the nurse is withdrawn', ['org', 'gp', 'nurse'], ['gp'], 'notice'],
    ['a carer who is no actor', ['org', 'gp', 'carer'], ['gp', 'nurse'], 'notice'],
    ['someone outside the case', ['org', 'gp', 'stranger'], ['gp'], 'notice'],
    ['a member without an AAD id', ['org', null], [], 'notice'],
    ['roster unknown (read failed)', null, ['gp'], 'notice'],
    ['empty roster', [], ['gp'], 'notice'],
  ])('%s → %s', (_label, roster, shared, expected) => {
    expect(groupPsiView(content(shared), audience, roster)).toBe(expected);
  });
});

describe('psiDistribution: group card, 1:1 cards, revoked cards', () => {
  it.each<[string, { conv: boolean; roster: Array<string | null> | null; shared: string[]; delivered: string[] }, { group: string; direct: string[]; revoke: string[] }]>([
    ['partly consented chat: notice, GP 1:1', { conv: true, roster: ['org', 'gp', 'nurse', 'carer'], shared: ['gp'], delivered: [] }, { group: 'notice', direct: ['aad:gp'], revoke: [] }],
    ['all consented chat: full, and the 1:1 copy too', { conv: true, roster: ['org', 'gp', 'nurse'], shared: ['gp', 'nurse'], delivered: [] }, { group: 'full', direct: ['aad:gp', 'aad:nurse'], revoke: [] }],
    ['nurse withdrawn: notice, her 1:1 card revoked', { conv: true, roster: ['org', 'gp', 'nurse'], shared: ['gp'], delivered: ['aad:gp', 'aad:nurse'] }, { group: 'notice', direct: ['aad:gp'], revoke: ['aad:nurse'] }],
    ['everyone withdrawn', { conv: true, roster: ['org', 'gp'], shared: [], delivered: ['aad:gp'] }, { group: 'notice', direct: [], revoke: ['aad:gp'] }],
    ['no case conversation: 1:1 only', { conv: false, roster: null, shared: ['gp', 'nurse'], delivered: [] }, { group: 'none', direct: ['aad:gp', 'aad:nurse'], revoke: [] }],
    ['actor outside Teams gets nothing from the bot', { conv: true, roster: ['org'], shared: ['pharma'], delivered: [] }, { group: 'full', direct: [], revoke: [] }],
    ['roster unknown: notice, 1:1 unchanged', { conv: true, roster: null, shared: ['gp'], delivered: ['aad:gp'] }, { group: 'notice', direct: ['aad:gp'], revoke: [] }],
    ['a 1:1 card of a participant removed from the case is revoked', { conv: true, roster: ['org'], shared: ['gp'], delivered: ['aad:gone'] }, { group: 'full', direct: ['aad:gp'], revoke: ['aad:gone'] }],
  ])('%s', (_label, input, expected) => {
    const plan = psiDistribution(content(input.shared), audience, { hasConversation: input.conv, roster: input.roster }, input.delivered);
    expect(plan).toEqual(expected);
  });

  it('a consented actor removed from the case gets no card and loses the one they had', () => {
    const without = { ...audience, participants: audience.participants.filter((p) => p.key !== 'aad:gp') };
    expect(psiDistribution(content(['gp']), without, { hasConversation: true, roster: ['org', 'gp'] }, ['aad:gp'])).toEqual({ group: 'notice', direct: [], revoke: ['aad:gp'] });
  });
});

describe('effectiveConsent: a withdrawal in the draft counts at once, a new consent only once published', () => {
  const shares = (c: PsiContent) => c.actors.filter((a) => a.share).map((a) => a.id);
  const relinked = (c: PsiContent): PsiContent => ({ ...c, actors: c.actors.map((a) => (a.id === 'gp' ? { ...a, participantKey: 'aad:nurse' } : a)) });
  const removed = (c: PsiContent): PsiContent => ({ ...c, actors: c.actors.filter((a) => a.id !== 'gp') });
  it.each<[string, PsiContent, PsiContent | null, string[]]>([
    ['no draft: as published', content(['gp', 'nurse']), null, ['gp', 'nurse']],
    ['draft withdraws the nurse', content(['gp', 'nurse']), content(['gp']), ['gp']],
    ['draft withdraws everyone', content(['gp', 'nurse']), content([]), []],
    ['draft adds the nurse: not before publish', content(['gp']), content(['gp', 'nurse']), ['gp']],
    ['draft removes the GP as actor', content(['gp']), removed(content(['gp'])), []],
    ['draft links the GP actor to another participant', content(['gp']), relinked(content(['gp'])), []],
    ['draft changes nothing about sharing', content(['gp']), { ...content(['gp']), needs: 'Autre besoin' }, ['gp']],
  ])('%s', (_label, published, draft, expected) => {
    expect(shares(effectiveConsent(published, draft))).toEqual(expected);
    // The content shown stays the published one.
    expect(effectiveConsent(published, draft).needs).toBe(published.needs);
  });
});
