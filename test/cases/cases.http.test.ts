// The case through the real endpoint and database: opened when the coordination admits a request,
// linked to a group chat, listed, opened as a card, status changed (allowed and refused),
// participants managed and the concertation date fixed — with the permission refusals.
import { DateTime } from 'luxon';
import { cardsOf } from '../support/app';
import { Conversation, COORDINATOR, GP, group, ORGANISER, OUTSIDER, personal, REFERENT, textOf, useTestBot } from '../support/harness';

const future = DateTime.now().setZone('Europe/Brussels').plus({ days: 10 }).set({ hour: 14, minute: 30 });

/** One click each on the case card's status form, in this order, from "scheduled"; refused ones change nothing. */
const STATUS_CLICKS = [
  ['GP (not allowed)', GP, { statusTo: 'held' }, /pas le droit/, 'scheduled'],
  // Unknown values (a forged or outdated card) get the existing message, not a crash.
  ['organiser: unknown status "standby" (wrong case)', ORGANISER, { statusTo: 'standby' }, /Statut inconnu/, 'scheduled'],
  ['organiser: unknown status "constructor"', ORGANISER, { statusTo: 'constructor' }, /Statut inconnu/, 'scheduled'],
  ['coordination (not allowed)', COORDINATOR, { statusTo: 'held' }, /pas le droit/, 'scheduled'],
  ['organiser: scheduled → followUp (skips held)', ORGANISER, { statusTo: 'followUp' }, /Impossible de passer de « concertation planifiée » à « suivi »/, 'scheduled'],
  ['organiser: scheduled → held', ORGANISER, { statusTo: 'held' }, /Statut enregistré : concertation tenue/, 'held'],
  ['organiser: held → followUp with a reason (not applicable)', ORGANISER, { statusTo: 'followUp', reason: 'success' }, /ne s'indique que pour le stand-by/, 'held'],
  ['référent: held → followUp', REFERENT, { statusTo: 'followUp' }, /Statut enregistré : suivi/, 'followUp'],
  ['référent: followUp → standBy without reason', REFERENT, { statusTo: 'standBy' }, /Choisissez une raison pour « en stand-by »/, 'followUp'],
  ['référent: followUp → standBy, "other" without text', REFERENT, { statusTo: 'standBy', reason: 'other', reasonText: ' ' }, /Précisez la raison/, 'followUp'],
  ['référent: followUp → standBy, negative effects', REFERENT, { statusTo: 'standBy', reason: 'negativeEffects', reasonText: 'alerte de l’infirmière' }, /Statut enregistré : en stand-by/, 'standBy'],
  ['organiser: standBy → scheduled', ORGANISER, { statusTo: 'scheduled' }, /Impossible de passer/, 'standBy'],
  ['organiser: standBy → stopped, left Brussels', ORGANISER, { statusTo: 'stopped', reason: 'noLongerMeetsCriteria.leftBrussels' }, /Statut enregistré : arrêté/, 'stopped'],
  ['organiser: stopped → stopped', ORGANISER, { statusTo: 'stopped', reason: 'success' }, /déjà le statut « arrêté »/, 'stopped'],
  ['organiser: stopped → reactivated', ORGANISER, { statusTo: 'reactivated' }, /Statut enregistré : réactivé/, 'reactivated'],
] as const;

describe('the case through the HTTP endpoint', () => {
  const bot = useTestBot({ members: [ORGANISER, REFERENT, GP, OUTSIDER], organisers: [ORGANISER] });
  const { say, invoke } = bot;
  let caseId: string;
  /** The case's own group chat, and another one. */
  let GROUP: Conversation;
  let GROUP_2: Conversation;

  const status = async () => (await bot.app.services.cases.currentStatus(caseId)).status;
  const must = async (sent: Promise<{ body: unknown }>, expected: string) => {
    const body = JSON.stringify((await sent).body);
    if (!body.includes(expected)) throw new Error(`setting up ${caseId}: expected "${expected}" in ${body.slice(0, 500)}`);
  };
  /** The case as its organiser prepares it: linked to its chat; the person concerned, the référent (from the roster) and the GP added. */
  const givenPrepared = async () => {
    await must(say(`lier dossier ${caseId}`, ORGANISER, GROUP), `liée au dossier ${caseId}`);
    for (const data of [
      { pRole: 'personConcerned', pName: 'Jo Test' },
      { pRole: 'referent', pProfile: 'socialWorker', pName: '', pTeamsUser: REFERENT.aadObjectId },
      { pRole: 'professional', pProfile: 'gp', pName: GP.name, pTeamsUser: GP.aadObjectId },
    ]) {
      await must(invoke('case.addParticipant', { trackingId: caseId, ...data }, ORGANISER), 'Participant ajouté');
    }
  };
  const givenScheduled = () => must(invoke('case.schedule', { trackingId: caseId, sDate: future.toISODate(), sTime: '14:30', sDuration: '105', sPlace: 'Domicile de la personne' }, ORGANISER), 'Concertation fixée');
  /** Prepared, scheduled, then the first `n` clicks of STATUS_CLICKS. */
  const givenStatusClicks = async (n: number) => {
    await givenPrepared();
    await givenScheduled();
    for (const [, who, data] of STATUS_CLICKS.slice(0, n)) await invoke('case.status', { trackingId: caseId, ...data }, who);
  };

  beforeEach(async () => {
    caseId = await bot.admittedCase();
    GROUP = group(`case-${caseId}`);
    GROUP_2 = group(`other-${caseId}`);
  });

  it('opens the case when the coordination says yes: organiser as participant, in preparation, consent from the sheet', async () => {
    const c = await bot.app.services.cases.get(caseId);
    expect(c).toMatchObject({ trackingId: caseId, organiserAadObjectId: ORGANISER.aadObjectId, consentType: 'oral', conversationId: null });
    expect(await status()).toBe('inPreparation');
    const participants = await bot.app.services.cases.participants(caseId);
    expect(participants.map((p) => [p.role, p.displayName])).toEqual([['organiser', ORGANISER.name]]);
    // Idempotent: a second creation (retry, second instance) changes nothing.
    await bot.app.services.cases.createFromDecision({ trackingId: caseId, status: 'yes', organiserAadObjectId: ORGANISER.aadObjectId, decidedBy: 'x' });
    expect(await bot.app.models.cases.countDocuments({ trackingId: caseId })).toBe(1);
    expect(await bot.app.models.caseStatusEvents.countDocuments({ trackingId: caseId })).toBe(1);
  });

  it('opens no case for a refused request', async () => {
    const request = { trackingId: await bot.admittedCase({ status: 'no' }) };
    expect(await bot.app.models.cases.countDocuments({ trackingId: request.trackingId })).toBe(0);
    const res = await invoke('case.open', { trackingId: request.trackingId }, ORGANISER);
    expect(JSON.stringify(res.body)).toContain('introuvable');
  });

  describe('linking the group conversation', () => {
    it('refuses "lier dossier" in the personal chat', async () => {
      expect(textOf(await say(`lier dossier ${caseId}`, ORGANISER))).toMatch(/conversation de groupe/);
    });

    it('asks for the number when it is missing', async () => {
      expect(textOf(await say('lier dossier', ORGANISER, GROUP))).toMatch(/CMD-2026-0001/);
    });

    it('refuses someone who is neither the organiser nor the coordination, and links nothing', async () => {
      expect(textOf(await say(`lier dossier ${caseId}`, OUTSIDER, GROUP))).toMatch(/pas le droit/);
      expect((await bot.app.services.cases.get(caseId))?.conversationId).toBeNull();
    });

    it('says when the case does not exist', async () => {
      expect(textOf(await say('koppel dossier CMD-1999-0099', ORGANISER, GROUP, 'nl-BE'))).toMatch(/niet gevonden/);
    });

    it('links the conversation for the organiser (case-insensitive id, in Dutch too)', async () => {
      const res = await say(`<at>CMD bot</at> dossier koppelen ${caseId.toLowerCase()}`, ORGANISER, GROUP, 'nl-BE');
      expect(textOf(res)).toContain(`gekoppeld aan dossier ${caseId}`);
      expect((await bot.app.services.cases.get(caseId))?.conversationId).toBe(GROUP.id);
      expect((await bot.app.services.cases.caseForConversation(GROUP.id))?.trackingId).toBe(caseId);
    });

    it('never links one conversation to two cases', async () => {
      await must(say(`lier dossier ${caseId}`, ORGANISER, GROUP), `liée au dossier ${caseId}`);
      const other = { trackingId: await bot.admittedCase({ status: 'conditional' }) };
      expect(textOf(await say(`lier dossier ${other.trackingId}`, ORGANISER, GROUP))).toContain(`déjà liée au dossier ${caseId}`);
      // The coordination may link too.
      expect(textOf(await say(`lier dossier ${other.trackingId}`, COORDINATOR, GROUP_2))).toContain(`liée au dossier ${other.trackingId}`);
    });
  });

  describe('participants', () => {
    it('refuses a professional without a profile, keeping what was typed', async () => {
      const res = await invoke('case.addParticipant', { trackingId: caseId, pRole: 'professional', pProfile: '', pName: 'Dr Alex Test', pContact: 'alex.test@example.org' }, ORGANISER);
      const card = JSON.stringify(res.body.value);
      expect(card).toContain('Choisissez le profil');
      expect(card).toContain('Dr Alex Test');
      expect(card).toContain('alex.test@example.org');
      expect(await bot.app.services.cases.participants(caseId)).toHaveLength(1);
    });

    it('adds a named participant outside Teams (the person concerned)', async () => {
      const res = await invoke('case.addParticipant', { trackingId: caseId, pRole: 'personConcerned', pName: 'Jo Test' }, ORGANISER);
      expect(JSON.stringify(res.body.value)).toContain('Participant ajouté');
      expect(JSON.stringify(res.body.value)).toContain('Jo Test');
    });

    it('offers the members of the linked conversation and adds one as référent (Teams ids from the roster)', async () => {
      await must(say(`lier dossier ${caseId}`, ORGANISER, GROUP), `liée au dossier ${caseId}`);
      const open = await invoke('case.open', { trackingId: caseId }, ORGANISER);
      const card = JSON.stringify(open.body.value);
      expect(card).toContain(REFERENT.aadObjectId); // roster choice
      const res = await invoke('case.addParticipant', { trackingId: caseId, pRole: 'referent', pProfile: 'socialWorker', pName: '', pTeamsUser: REFERENT.aadObjectId }, ORGANISER);
      expect(JSON.stringify(res.body.value)).toContain('Participant ajouté');
      const added = (await bot.app.services.cases.participants(caseId)).find((p) => p.role === 'referent');
      expect(added).toMatchObject({ aadObjectId: REFERENT.aadObjectId, teamsUserId: REFERENT.id, displayName: REFERENT.name, profile: 'socialWorker' });
      // Adding the same Teams user twice is refused.
      const again = await invoke('case.addParticipant', { trackingId: caseId, pRole: 'carer', pName: 'x', pTeamsUser: REFERENT.aadObjectId }, ORGANISER);
      expect(JSON.stringify(again.body.value)).toContain('participe déjà');
    });

    it('adds the GP as a Teams professional', async () => {
      const res = await invoke('case.addParticipant', { trackingId: caseId, pRole: 'professional', pProfile: 'gp', pName: GP.name, pTeamsUser: GP.aadObjectId }, ORGANISER);
      expect(JSON.stringify(res.body.value)).toContain('Participant ajouté');
    });

    it('refuses participant changes from anyone but the organiser', async () => {
      await givenPrepared();
      for (const who of [REFERENT, GP, COORDINATOR, OUTSIDER]) {
        const res = await invoke('case.addParticipant', { trackingId: caseId, pRole: 'carer', pName: 'Kim Test' }, who);
        expect(res.body.type).toBe('application/vnd.microsoft.activity.message');
        expect(JSON.stringify(res.body.value)).toMatch(/pas le droit|pas accès|n'avez pas/);
      }
      expect((await bot.app.services.cases.participants(caseId)).map((p) => p.displayName)).not.toContain('Kim Test');
    });
  });

  describe('who sees the case', () => {
    it('lists the case for its members, with their role', async () => {
      await givenPrepared();
      for (const who of [ORGANISER, REFERENT, GP]) {
        const res = await say('mes dossiers', who);
        expect(JSON.stringify(cardsOf(res.body.activities))).toContain(caseId);
      }
      expect(JSON.stringify(cardsOf((await say('mijn dossiers', REFERENT, personal(REFERENT), 'nl-BE')).body.activities))).toContain('referentiepersoon');
    });

    it('lists nothing for an outsider and refuses to open the case', async () => {
      const list = JSON.stringify(cardsOf((await say('my cases', OUTSIDER, personal(OUTSIDER), 'en-US')).body.activities));
      expect(list).not.toContain(caseId);
      expect(list).toContain('not part of any case');
      const res = await invoke('case.open', { trackingId: caseId }, OUTSIDER);
      expect(res.body.type).toBe('application/vnd.microsoft.activity.message');
      expect(JSON.stringify(res.body.value)).toMatch(/pas le droit/);
    });

    it('shows the coordination every case, anonymised: no participant names', async () => {
      await givenPrepared();
      const list = JSON.stringify(cardsOf((await say('mes dossiers', COORDINATOR)).body.activities));
      expect(list).toContain(caseId);
      expect(list).toContain('anonymisée');
      const res = await invoke('case.open', { trackingId: caseId }, COORDINATOR);
      const card = JSON.stringify(res.body.value);
      expect(card).toContain('anonymisée');
      for (const secret of ['Jo Test', REFERENT.name, GP.name]) expect(card).not.toContain(secret);
      expect(card).not.toContain('case.status');
    });

    it('refuses "mes dossiers" in a group conversation (it would show cases to others)', async () => {
      expect(textOf(await say('mes dossiers', ORGANISER, GROUP))).toMatch(/conversation personnelle/);
    });
  });

  describe('concertation date', () => {
    it.each([
      ['a past date', { sDate: '2020-01-06', sTime: '14:00', sDuration: '105', sPlace: 'Domicile' }, 'date future'],
      ['a negative duration', { sDate: future.toISODate(), sTime: '14:30', sDuration: '-30', sPlace: 'Domicile' }, 'minutes positif'],
      ['no date', { sDate: '', sTime: '', sDuration: '105', sPlace: 'Domicile' }, 'date et une heure valables'],
      ['no place', { sDate: future.toISODate(), sTime: '14:30', sDuration: '105', sPlace: '' }, 'lieu ou un lien'],
    ])('refuses %s, keeping the typed values', async (_name, values, message) => {
      const res = await invoke('case.schedule', { trackingId: caseId, ...values }, ORGANISER);
      const card = JSON.stringify(res.body.value);
      expect(card).toContain(message);
      if (values.sPlace) expect(card).toContain(values.sPlace);
      expect(await status()).toBe('inPreparation');
    });

    it('refuses scheduling by the référent (organiser only)', async () => {
      await givenPrepared();
      const res = await invoke('case.schedule', { trackingId: caseId, sDate: future.toISODate(), sTime: '14:30', sDuration: '105', sPlace: 'Domicile' }, REFERENT);
      expect(JSON.stringify(res.body.value)).toMatch(/pas le droit/);
    });

    it('fixes date and place (Brussels time): the case becomes scheduled and the listener hears it', async () => {
      const heard: string[] = [];
      const off = bot.app.events.on('case.scheduleChanged', async (e) => {
        heard.push(`${e.trackingId}@${e.concertation.start.toISOString()}`);
      });
      const res = await invoke('case.schedule', { trackingId: caseId, sDate: future.toISODate(), sTime: '14:30', sDuration: '105', sPlace: 'Domicile de la personne' }, ORGANISER);
      expect(JSON.stringify(res.body.value)).toContain('Concertation fixée');
      expect(await status()).toBe('scheduled');
      const c = await bot.app.services.cases.currentConcertation(caseId);
      expect(c?.start.toISOString()).toBe(future.set({ second: 0, millisecond: 0 }).toUTC().toISO());
      expect(heard).toEqual([`${caseId}@${c?.start.toISOString()}`]);
      off();
    });
  });

  describe('status changes through the case card', () => {
    // Each row is one click on the card, after the rows above it; refused ones change nothing.
    it.each(STATUS_CLICKS.map((row, i) => [...row, i] as const))('%s', async (_name, who, data, message, after, i) => {
      await givenStatusClicks(i);
      const res = await invoke('case.status', { trackingId: caseId, ...data }, who);
      expect(JSON.stringify(res.body.value)).toMatch(message);
      expect(await status()).toBe(after);
    });

    it('keeps the whole history with who, when and why, and an audit entry for each change', async () => {
      await givenStatusClicks(STATUS_CLICKS.length);
      const history = await bot.app.services.cases.history(caseId);
      expect(history.map((h) => h.to)).toEqual(['inPreparation', 'scheduled', 'held', 'followUp', 'standBy', 'stopped', 'reactivated']);
      const standBy = history.find((h) => h.to === 'standBy')!;
      expect(standBy.by).toBe(REFERENT.aadObjectId);
      expect(JSON.parse(standBy.reasonJson!)).toEqual({ code: 'negativeEffects', note: 'alerte de l’infirmière' });
      const audit = await bot.app.models.audit.find({ subject: caseId }).lean();
      const actions = audit.map((a) => a.action);
      expect(actions.filter((a) => a === 'case.status')).toHaveLength(6);
      for (const a of ['case.created', 'case.conversationLinked', 'case.participantAdded', 'case.concertationScheduled']) expect(actions).toContain(a);
      // The audit trail carries ids and codes, never names or free text.
      const text = JSON.stringify(audit);
      for (const secret of ['Jo Test', REFERENT.name, GP.name, 'infirmière', 'Domicile']) expect(text).not.toContain(secret);
    });

    it('the organiser removes a participant, who then loses access', async () => {
      await givenStatusClicks(STATUS_CLICKS.length);
      const gp = (await bot.app.services.cases.participants(caseId)).find((p) => p.aadObjectId === GP.aadObjectId)!;
      expect(JSON.stringify((await invoke('case.removeParticipant', { trackingId: caseId, key: gp.key }, REFERENT)).body.value)).toMatch(/pas le droit/);
      expect(JSON.stringify((await invoke('case.removeParticipant', { trackingId: caseId, key: gp.key }, ORGANISER)).body.value)).toContain('Participant retiré');
      expect(JSON.stringify((await invoke('case.open', { trackingId: caseId }, GP)).body.value)).toMatch(/pas le droit/);
      expect(JSON.stringify(cardsOf((await say('mes dossiers', GP)).body.activities))).not.toContain(caseId);
    });
  });
});
