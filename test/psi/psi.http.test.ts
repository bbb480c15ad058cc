// The PSI through the real endpoint and database, created and edited from the card: by the
// organiser and the référent (a block or a row at a time) into a draft, every "publish" a new
// version, the diff of actions on the card, bad input refused with nothing lost, and the sharing
// rule on what the fake Bot Connector received (1:1 only to the actors the person shares it with).
// Drafts, the case conversation and the access log: psi.sharing.http.test.ts.
import { DateTime } from 'luxon';
import { BRUSSELS } from '../../domain/time';
import { cardsOf } from '../support/app';
import { bodyText, Conversation, COORDINATOR, GP, NURSE, ORGANISER, OUTSIDER, personal, REFERENT, replyText } from '../support/harness';
import { usePsiStory } from './psiStory';

describe('the PSI through the HTTP endpoint', () => {
  const { bot, say, invoke, saved, psi, latestVersion, psiTraffic, conversationsReached, participantKey, publish, givenV1, givenV2, givenV4, givenV5, current } = usePsiStory();
  let caseId: string;
  let GROUP: Conversation;
  beforeEach(() => ({ caseId, GROUP } = current()));


  it('before any save: the organiser sees an empty PSI with an edit button; nothing is posted', async () => {
    const res = await say(`psi ${caseId}`, ORGANISER);
    const card = JSON.stringify(cardsOf(res.body.activities));
    expect(card).toContain('Pas encore de PSI');
    expect(card).toContain('psi.edit');
    const edit = await invoke('psi.edit', { trackingId: caseId }, ORGANISER);
    expect(bodyText(edit)).toContain('psi.saveSections');
    expect(psiTraffic()).toHaveLength(0);
  });

  it.each([
    ['a stranger to the case', OUTSIDER, /pas le droit/],
    ['the coordination (anonymised view only)', COORDINATOR, /pas choisi de partager/],
    ['a case member the person did not share it with', NURSE, /pas choisi de partager/],
  ])('refuses the PSI to %s, by command and by card', async (_label, user, message) => {
    expect(replyText(await say(`psi ${caseId}`, user))).toMatch(message);
    const res = await invoke('psi.saveSections', { trackingId: caseId, needs: 'intrusion' }, user);
    expect(res.body.type).toBe('application/vnd.microsoft.activity.message');
    expect(bodyText(res)).toMatch(message);
    expect(await latestVersion()).toBe(0);
  });

  it('refuses a next-concertation date in the past and gives back what was typed', async () => {
    const yesterday = DateTime.now().setZone(BRUSSELS).minus({ days: 1 }).toISODate();
    const res = await invoke('psi.saveSections', { trackingId: caseId, baseVersion: 0, needs: 'Rester à domicile en sécurité', nextDate: yesterday }, ORGANISER);
    expect(bodyText(res)).toContain('date de la prochaine concertation est passée');
    expect(bodyText(res)).toContain('Rester à domicile en sécurité');
    expect(await latestVersion()).toBe(0);
  });

  it('the organiser saves the sections: version 1, posted to the case conversation only (nobody shared yet)', async () => {
    const next = DateTime.now().setZone(BRUSSELS).plus({ months: 6 }).toISODate();
    const res = await invoke(
      'psi.saveSections',
      { trackingId: caseId, baseVersion: 0, needs: 'Rester à domicile en sécurité', objectives: 'Retrouver un rythme', projects: 'Reprendre la chorale', avoid: "Une hospitalisation d'urgence", referentName: 'Remi Referent', referentPhone: '02 000 00 00', referentAddress: 'Rue Fictive 1', referentPlace: 'CPAS fictif', limits: 'Pas de visite le dimanche', noteText: 'Revoir en juin', nextDate: next, periodicity: '6' },
      ORGANISER,
    );
    expect(bodyText(res)).toContain('Gardé dans le brouillon');
    expect(await latestVersion()).toBe(0);
    expect(psiTraffic()).toHaveLength(0);
    expect(saved).toEqual([]);
    expect(bodyText(await publish())).toContain('PSI publié (version 1)');
    const v1 = await psi().latest(caseId);
    expect(v1).toMatchObject({ version: 1, authorAadObjectId: ORGANISER.aadObjectId, change: 'sections' });
    expect(await psi().draft(caseId)).toBeNull();
    expect(v1!.content).toMatchObject({ needs: 'Rester à domicile en sécurité', referent: { name: 'Remi Referent', place: 'CPAS fictif' }, next: { date: next, periodicityMonths: 6 } });
    expect([...conversationsReached()]).toEqual([GROUP.id]);
    expect(saved).toEqual([[caseId, 1]]);
  });

  it('refuses an action without an owner (by/with whom), keeping the typed row', async () => {
    await givenV1();
    const res = await invoke('psi.saveAction', { trackingId: caseId, rowId: '', what: 'Trouver une aide ménagère', how: 'Demande au CPAS', byWhom: '  ', priorityWhen: 'Haute' }, ORGANISER);
    expect(bodyText(res)).toContain('sans responsable');
    expect(bodyText(res)).toContain('Trouver une aide ménagère');
    expect(await latestVersion()).toBe(1);
  });

  it('an action saved: version 2, the posted card is updated in place and shows the new action', async () => {
    await givenV1();
    const postsBefore = bot.fake.delivered(GROUP.id).length;
    const groupActivity = (await psi().messages(caseId)).find((m) => m.recipientKey === `conv:${GROUP.id}`)!.activityId;
    await invoke('psi.saveAction', { trackingId: caseId, rowId: '', what: 'Trouver une aide ménagère', how: 'Demande au CPAS', byWhom: 'Assistante sociale', priorityWhen: 'Haute', urgentContact: 'false' }, ORGANISER);
    expect(bodyText(await publish())).toContain('version 2');
    expect(bot.fake.delivered(GROUP.id)).toHaveLength(postsBefore);
    const update = bot.fake.requests.filter((r) => r.operation === 'update' && r.conversationId === GROUP.id).at(-1)!;
    expect(update.activityId).toBe(groupActivity);
    expect(JSON.stringify(update.body)).toContain('Nouvelle action : Trouver une aide ménagère');
  });

  it('refuses to share with someone who is not among the actors', async () => {
    await givenV2();
    const res = await invoke('psi.share', { trackingId: caseId, shareWith: 'not-an-actor' }, ORGANISER);
    expect(bodyText(res)).toContain("qu'avec des acteurs du PSI");
    expect(await latestVersion()).toBe(2);
  });

  it('actors: the GP (shared) receives the card 1:1, the nurse (not shared) receives nothing', async () => {
    await givenV2();
    await invoke('psi.saveActor', { trackingId: caseId, actorId: '', participantKey: participantKey(GP), actorRoles: 'médecin généraliste', actorShare: 'true' }, ORGANISER);
    expect(bodyText(await publish())).toContain('version 3');
    await invoke('psi.saveActor', { trackingId: caseId, actorId: '', participantKey: participantKey(NURSE), actorRoles: 'soins à domicile', actorShare: 'false' }, ORGANISER);
    expect(bodyText(await publish())).toContain('version 4');
    const content = (await psi().latest(caseId))!.content;
    expect(content.actors.map((a) => [a.name, a.share])).toEqual([[GP.name, true], [NURSE.name, false]]);
    expect([...conversationsReached()].sort()).toEqual([GROUP.id, personal(GP).id].sort());
    expect(bot.fake.delivered(personal(GP).id).filter((r) => JSON.stringify(r.body).includes('PSI — plan de services'))).toHaveLength(1);
    expect(bot.fake.requests.some((r) => r.operation === 'createConversation')).toBe(false);
    // Now shared with, the GP may read it; the nurse still may not.
    expect(JSON.stringify(cardsOf((await say(`psi ${caseId}`, GP)).body.activities))).toContain('Trouver une aide ménagère');
    expect(replyText(await say(`psi ${caseId}`, NURSE))).toMatch(/pas choisi de partager/);
  });

  it('the référent changes a row: version 5, the diff names the changed column, the GP card is updated in place', async () => {
    await givenV4();
    const row = (await psi().latest(caseId))!.content.actions[0];
    const gpMessage = (await psi().messages(caseId)).find((m) => m.recipientKey === participantKey(GP))!;
    const draft = await invoke('psi.saveAction', { trackingId: caseId, rowId: row.id, what: row.what, how: row.how, byWhom: row.byWhom, priorityWhen: 'Avant la fin du mois', urgentContact: 'true' }, REFERENT);
    // The draft already shows what changes against the published version.
    expect(bodyText(draft)).toContain('Action modifiée : Trouver une aide ménagère (Priorité — quand ?, Contact urgent)');
    const res = await publish(REFERENT);
    expect(bodyText(res)).toContain('version 5');
    expect(bodyText(res)).toContain('Action modifiée : Trouver une aide ménagère (Priorité — quand ?, Contact urgent)');
    const gpUpdate = bot.fake.requests.filter((r) => r.operation === 'update' && r.conversationId === personal(GP).id).at(-1)!;
    expect(gpUpdate.activityId).toBe(gpMessage.activityId);
    expect(JSON.stringify(gpUpdate.body)).toContain('Avant la fin du mois');
    expect((await psi().latest(caseId))!.authorAadObjectId).toBe(REFERENT.aadObjectId);
  });

  it('a professional who is not organiser or référent cannot edit, even when shared with', async () => {
    await givenV5();
    const res = await invoke('psi.saveAction', { trackingId: caseId, rowId: '', what: 'Bilan', byWhom: 'Médecin' }, GP);
    expect(res.body.type).toBe('application/vnd.microsoft.activity.message');
    expect(bodyText(res)).toMatch(/pas le droit/);
    expect(await latestVersion()).toBe(5);
  });

  it('earlier versions stay readable, by command argument and from the card', async () => {
    await givenV5();
    const v2 = JSON.stringify(cardsOf((await say(`psi ${caseId} 2`, ORGANISER)).body.activities));
    expect(v2).toContain('Vous lisez la version 2');
    expect(v2).toContain('Haute');
    expect(v2).not.toContain('Avant la fin du mois');
    const v1 = await invoke('psi.view', { trackingId: caseId, version: 1 }, REFERENT);
    expect(bodyText(v1)).toContain('Première version du PSI');
    expect(replyText(await say(`psi ${caseId} 99`, ORGANISER))).toContain("n'existe pas");
    expect((await psi().versions(caseId)).map((v) => v.version)).toEqual([5, 4, 3, 2, 1]);
  });

  it('stopping the share replaces the GP card by a notice at once (before publish), and later versions no longer reach the GP', async () => {
    await givenV5();
    const gpActivity = (await psi().messages(caseId)).find((m) => m.recipientKey === participantKey(GP))!.activityId;
    await invoke('psi.share', { trackingId: caseId, shareWith: '' }, ORGANISER);
    // The withdrawal is only in the draft, and already holds: the GP's card and the GP's reads.
    expect(await latestVersion()).toBe(5);
    const last = bot.fake.requests.filter((r) => r.conversationId === personal(GP).id && r.operation === 'update').at(-1)!;
    expect(last.activityId).toBe(gpActivity);
    expect(JSON.stringify(last.body)).toContain('ne partage plus son PSI');
    expect(JSON.stringify(last.body)).not.toContain('aide ménagère');
    expect(bodyText(await invoke('psi.open', { trackingId: caseId }, GP))).toMatch(/pas choisi de partager/);
    const gpTraffic = bot.fake.requests.filter((r) => r.conversationId === personal(GP).id).length;
    const res = await publish();
    expect(bodyText(res)).toContain('version 6');
    expect(bot.fake.requests.filter((r) => r.conversationId === personal(GP).id)).toHaveLength(gpTraffic);
    await invoke('psi.saveAction', { trackingId: caseId, rowId: '', what: 'Reprendre la chorale', byWhom: 'Aidant proche' }, ORGANISER);
    await publish();
    expect(bot.fake.requests.filter((r) => r.conversationId === personal(GP).id)).toHaveLength(gpTraffic);
    expect(replyText(await say(`psi ${caseId}`, GP))).toMatch(/pas choisi de partager/);
  });
});
