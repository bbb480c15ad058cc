// The requester kept apart (the person herself, a carer): what the request stores, who may see the
// contact on the assignment card (and the audit of each look), and a decided request without a case
// read by an outsider (nothing is created). Through the real endpoint and database.
import { validAnswers } from '../support/answers';
import { COORDINATOR, ORGANISER, ORGANISER_2 as OTHER_ORGANISER, OUTSIDER, personal, Persona, REQUESTER, useTestBot } from '../support/harness';
import { splitRequester } from '../../services/requests';
import { triageCard } from '../../cards/triage';
import { evaluateEligibility } from '../../domain/eligibility';

const SELF = { name: 'Mireille Fictive', phone: '0470 98 76 54', email: 'mireille.fictive@example.org' };

const selfAnswers = () => {
  const a = validAnswers();
  return { ...a, requester: { name: SELF.name, organisation: '', link: '', phone: SELF.phone, email: SELF.email, otherContact: '' } };
};

describe('splitRequester (what the anonymous request keeps of who asked)', () => {
  it.each([
    ['professional', 'Alex Test', null],
    ['carer', '', { role: 'carer', name: 'Alex Test', link: 'assistante sociale', phone: '02 123 45 67', email: 'alex.test@example.org', otherContact: '' }],
    ['self', '', { role: 'self', name: 'Alex Test', link: '', phone: '02 123 45 67', email: 'alex.test@example.org', otherContact: '' }],
  ] as const)('%s', (role, keptName, identity) => {
    const { answers, identity: apart } = splitRequester(validAnswers(), role);
    expect(answers.requester.name).toBe(keptName);
    expect(apart).toEqual(identity);
    if (identity) expect(answers.requester).toEqual({ name: '', organisation: '', link: '', phone: '', email: '', otherContact: '' });
    expect(answers.person).toEqual(validAnswers().person);
  });
});

describe('the triage card (what the coordination reads of who asked)', () => {
  const card = (role: 'professional' | 'carer' | 'self', locale: 'fr' | 'nl') => {
    const given = validAnswers();
    const { answers } = splitRequester({ ...given, requester: { ...given.requester, link: 'sa fille' } }, role);
    const request = { trackingId: 'CMD-2026-0042', answers, suggestion: evaluateEligibility(answers), submittedAt: new Date('2026-11-20T10:00:00Z'), requesterRole: role };
    return JSON.stringify(triageCard({ request, decision: null, organisers: [] }, locale));
  };

  it.each([
    ['carer', 'fr', 'Un proche (aidant)', 'Gardées à part'],
    ['self', 'fr', 'La personne elle-même', 'Gardées à part'],
    ['carer', 'nl', 'Een naaste (mantelzorger)', 'Apart bewaard'],
    ['self', 'nl', 'De persoon zelf', 'Apart bewaard'],
  ] as const)('%s (%s): the role and where the contact went, no name, link, phone or e-mail', (role, locale, roleText, apartText) => {
    const shown = card(role, locale);
    expect(shown).toContain(roleText);
    expect(shown).toContain(apartText);
    for (const personal of ['Alex Test', 'sa fille', '02 123 45 67', 'alex.test@example.org', 'CPAS fictif"']) expect(shown).not.toContain(personal);
  });

  it('a professional: name, organisation, link and contact as before', () => {
    const shown = card('professional', 'fr');
    for (const given of ['Un ou une professionnel(le) social-santé', 'Alex Test', 'CPAS fictif', 'sa fille', '02 123 45 67', 'alex.test@example.org']) expect(shown).toContain(given);
    expect(shown).not.toContain('Gardées à part');
  });
});

describe('the requester kept apart, through the endpoint', () => {
  // A new app per test: the audit log each test reads is its own.
  const bot = useTestBot({ each: 'app', organisers: [ORGANISER, OTHER_ORGANISER] });
  let trackingId: string;

  const invoke = (verb: string, data: Record<string, unknown>, from: Persona, locale = 'fr-BE') => bot.invoke(verb, data, from, personal(from), { locale });
  const audits = () => bot.app.models.audit.find({ action: 'requester.identityRevealed' }).lean();

  /** The person herself asked (role "self"): her request waits for the coordination. */
  beforeEach(async () => {
    const request = await bot.app.services.requests.submit(selfAnswers(), { aadObjectId: REQUESTER.aadObjectId, conversationId: 'a:requester', locale: 'fr', role: 'self' });
    trackingId = request.trackingId;
  });

  it('stores the request without her name or contact, and them under the tracking id apart', async () => {
    const stored = await bot.app.models.requests.findOne({ trackingId }).lean();
    expect(stored!.requesterRole).toBe('self');
    expect(JSON.stringify(stored)).not.toMatch(/Mireille|0470|mireille/);
    const apart = await bot.app.models.requesterIdentities.findOne({ _id: trackingId }).lean();
    expect(apart).toMatchObject({ role: 'self', name: SELF.name, phone: SELF.phone, email: SELF.email });
  });

  it('refuses the contact before any decision, to everyone (the same words whether the request exists or not)', async () => {
    const before = await invoke('requester.contact', { trackingId }, ORGANISER);
    const unknown = await invoke('requester.contact', { trackingId: 'CMD-2026-9999' }, ORGANISER);
    expect(JSON.stringify(before.body)).toContain('Seul l');
    expect(JSON.stringify(unknown.body)).toEqual(JSON.stringify(before.body));
    expect(await audits()).toHaveLength(0);
  });

  it('after admission, shows it to the assigned organiser only, each look audited; others are refused in their language', async () => {
    await bot.app.services.requests.decide({ trackingId, status: 'yes', organiserAadObjectId: ORGANISER.aadObjectId, notes: '', decidedBy: COORDINATOR.aadObjectId, decidedByName: COORDINATOR.name });
    const shown = JSON.stringify((await invoke('requester.contact', { trackingId }, ORGANISER)).body);
    expect(shown).toContain(SELF.name);
    expect(shown).toContain(SELF.phone);
    expect(shown).toContain('La personne elle-même');
    const looks = await audits();
    expect(looks).toHaveLength(1);
    expect(looks[0]).toMatchObject({ actor: ORGANISER.aadObjectId, subject: trackingId });
    expect(JSON.stringify(looks[0])).not.toContain(SELF.name);

    for (const [who, locale, words] of [
      [COORDINATOR, 'fr-BE', 'Seul l'],
      [OTHER_ORGANISER, 'nl-BE', 'Alleen de organisator'],
      [OUTSIDER, 'en-GB', 'Only the organiser'],
    ] as const) {
      const body = JSON.stringify((await invoke('requester.contact', { trackingId }, who, locale)).body);
      expect(body).toContain(words);
      expect(body).not.toContain(SELF.name);
      expect(body).not.toContain(SELF.phone);
    }
    expect(await audits()).toHaveLength(1);
  });

  it('an outsider opening a decided request without a case creates nothing; the assigned organiser still gets it', async () => {
    const { services, models } = bot.app;
    const request = await services.requests.submit(validAnswers(), { aadObjectId: REQUESTER.aadObjectId, conversationId: 'a:requester', locale: 'fr' });
    const id = request.trackingId;
    // The decision stored without its hook (a crash between the two): no case yet.
    await models.decisions.create({ trackingId: id, status: 'yes', organiserAadObjectId: ORGANISER.aadObjectId, notes: '', decidedBy: COORDINATOR.aadObjectId, decidedByName: COORDINATOR.name, decidedAt: new Date() });
    const count = () => Promise.all([models.cases.countDocuments({ trackingId: id }), models.caseParticipants.countDocuments({ trackingId: id }), models.caseStatusEvents.countDocuments({ trackingId: id })]);
    expect(await count()).toEqual([0, 0, 0]);
    const refused = await invoke('case.open', { trackingId: id }, OUTSIDER);
    expect(JSON.stringify(refused.body)).toMatch(/introuvable|pas accès/);
    await bot.say(`ordre du jour ${id}`, OUTSIDER);
    expect(await services.cases.get(id)).toBeNull();
    expect(await count()).toEqual([0, 0, 0]);
    // The organiser's own read is the recovery: the case is created then.
    await invoke('case.open', { trackingId: id }, ORGANISER);
    expect(await count()).toEqual([1, 1, 1]);
  });

  it('a refused request keeps nobody\'s identity: erased at the decision, audited, and no one can see it', async () => {
    const { services, models } = bot.app;
    const request = await services.requests.submit(selfAnswers(), { aadObjectId: REQUESTER.aadObjectId, conversationId: 'a:requester', locale: 'fr', role: 'self' });
    const id = request.trackingId;
    expect(await models.requesterIdentities.countDocuments({ _id: id })).toBe(1);
    await services.requests.decide({ trackingId: id, status: 'no', organiserAadObjectId: null, notes: '', decidedBy: COORDINATOR.aadObjectId, decidedByName: COORDINATOR.name });
    expect(await models.requesterIdentities.countDocuments({ _id: id })).toBe(0);
    const erased = await models.audit.find({ action: 'requester.identityErased', subject: id }).lean();
    expect(erased).toHaveLength(1);
    expect(JSON.stringify(erased)).not.toMatch(/Mireille|0470/);
    expect(JSON.stringify((await invoke('requester.contact', { trackingId: id }, ORGANISER)).body)).toContain('Seul l');
  });
});
