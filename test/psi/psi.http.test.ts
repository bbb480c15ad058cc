// The PSI through the real endpoint and database: created and edited from the card by the organiser
// and the référent (a block or a row at a time) into a draft, every "publish" a new version, the
// diff of actions on the card, bad input refused with nothing lost, and the sharing rule checked on
// what the fake Bot Connector received: the full card in the case conversation only while every
// member there may read it (else a notice without content), 1:1 only the actors the person shares
// it with; and the access log of deliveries and reads, for the organiser.
import { DateTime } from 'luxon';
import { BRUSSELS } from '../../domain/time';
import { cardsOf } from '../support/app';
import { bodyText, Conversation, COORDINATOR, GP, group, NURSE, ORGANISER, OUTSIDER, personal, REFERENT, replyText, useTestBot } from '../support/harness';

const USERS = [ORGANISER, REFERENT, GP, NURSE, OUTSIDER, COORDINATOR];
type User = typeof ORGANISER;

describe('the PSI through the HTTP endpoint', () => {
  // One app for the file; each test has its own case and case chat, and a fresh fake connector.
  const bot = useTestBot({ each: 'connector', members: USERS, organisers: [ORGANISER] });
  const { say, invoke } = bot;
  let caseId: string;
  /** The case's group chat. */
  let GROUP: Conversation;
  const saved: Array<[string, number]> = [];

  const psi = () => bot.app.services.psi;
  const latestVersion = async () => (await psi().latest(caseId))?.version ?? 0;
  /** Every request to the fake connector that carried a PSI card (post or update), by conversation. */
  const psiTraffic = () => bot.fake.requests.filter((r) => (r.operation === 'send' || r.operation === 'update') && (r.status ?? 500) < 300 && JSON.stringify(r.body).includes('PSI — plan de services'));
  const conversationsReached = () => new Set(psiTraffic().map((r) => r.conversationId));
  const participantKey = (u: User) => `aad:${u.aadObjectId}`;
  const publish = (by: User = ORGANISER) => invoke('psi.publish', { trackingId: caseId }, by);

  beforeAll(() => {
    bot.app.events.on('psi.saved', async ({ trackingId, version }) => {
      saved.push([trackingId, version.version]);
    });
  });
  beforeEach(async () => {
    saved.length = 0;
    caseId = await bot.admittedCase();
    GROUP = group(`psi-${caseId}`);
    // The case conversation starts with the organiser and the référent only: both read the PSI.
    bot.fake.setMembers([ORGANISER, REFERENT].map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name })), GROUP.id);
    // Everyone has talked to the bot 1:1 once, so a 1:1 card would go to their known personal chat.
    for (const u of USERS) await say('aide', u);
    await say(`lier dossier ${caseId}`, ORGANISER, GROUP);
    await bot.addParticipants(caseId, [[REFERENT, 'referent', 'socialWorker'], [GP, 'professional', 'gp'], [NURSE, 'professional', 'homeNurse']]);
    expect((await bot.app.services.cases.addParticipant(caseId, { role: 'personConcerned', displayName: 'Madame X', contact: '' }, ORGANISER.aadObjectId)).ok).toBe(true);
  });

  // The PSI's story, each chapter what the tests below start from (the clicks only; the tests check them).
  const published = async (expectedVersion: number, by: User = ORGANISER) => {
    const res = await publish(by);
    if (!bodyText(res).includes(`version ${expectedVersion}`)) throw new Error(`setting up: not published as version ${expectedVersion}: ${bodyText(res).slice(0, 300)}`);
  };
  /** Version 1: the sections, by the organiser. */
  const givenV1 = async () => {
    const next = DateTime.now().setZone(BRUSSELS).plus({ months: 6 }).toISODate();
    await invoke('psi.saveSections', { trackingId: caseId, baseVersion: 0, needs: 'Rester à domicile en sécurité', objectives: 'Retrouver un rythme', projects: 'Reprendre la chorale', avoid: "Une hospitalisation d'urgence", referentName: 'Remi Referent', referentPhone: '02 000 00 00', referentAddress: 'Rue Fictive 1', referentPlace: 'CPAS fictif', limits: 'Pas de visite le dimanche', noteText: 'Revoir en juin', nextDate: next, periodicity: '6' }, ORGANISER);
    await published(1);
  };
  /** Version 2: an action, "Trouver une aide ménagère", priority "Haute". */
  const givenV2 = async () => {
    await givenV1();
    await invoke('psi.saveAction', { trackingId: caseId, rowId: '', what: 'Trouver une aide ménagère', how: 'Demande au CPAS', byWhom: 'Assistante sociale', priorityWhen: 'Haute', urgentContact: 'false' }, ORGANISER);
    await published(2);
  };
  /** Versions 3 and 4: the GP as an actor the person shares it with, then the nurse, not shared. */
  const givenV4 = async () => {
    await givenV2();
    await invoke('psi.saveActor', { trackingId: caseId, actorId: '', participantKey: participantKey(GP), actorRoles: 'médecin généraliste', actorShare: 'true' }, ORGANISER);
    await published(3);
    await invoke('psi.saveActor', { trackingId: caseId, actorId: '', participantKey: participantKey(NURSE), actorRoles: 'soins à domicile', actorShare: 'false' }, ORGANISER);
    await published(4);
  };
  /** Version 5: the référent changes the action's priority and urgent contact. */
  const givenV5 = async () => {
    await givenV4();
    const row = (await psi().latest(caseId))!.content.actions[0];
    await invoke('psi.saveAction', { trackingId: caseId, rowId: row.id, what: row.what, how: row.how, byWhom: row.byWhom, priorityWhen: 'Avant la fin du mois', urgentContact: 'true' }, REFERENT);
    await published(5, REFERENT);
  };
  /** Versions 6 and 7: the person stops sharing with the GP; an action "Reprendre la chorale". */
  const givenShareStopped = async () => {
    await givenV5();
    await invoke('psi.share', { trackingId: caseId, shareWith: '' }, ORGANISER);
    await published(6);
    await invoke('psi.saveAction', { trackingId: caseId, rowId: '', what: 'Reprendre la chorale', byWhom: 'Aidant proche' }, ORGANISER);
    await published(7);
  };
  /** Version 8: the nurse has joined the case chat (the chat gets a notice), a physiotherapist's visit added; the référent opened it there. */
  const givenNurseInChat = async () => {
    await givenShareStopped();
    bot.fake.setMembers([ORGANISER, REFERENT, NURSE].map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name })), GROUP.id);
    await invoke('psi.saveAction', { trackingId: caseId, rowId: '', what: 'Visite du kinésithérapeute', byWhom: 'Kiné fictif' }, ORGANISER);
    await published(8);
    await invoke('psi.open', { trackingId: caseId }, REFERENT, GROUP);
  };

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

  it('several blocks saved in one sitting make one version: nothing is distributed or reminded before "publish"', async () => {
    await givenV1();
    const before = await latestVersion();
    const traffic = psiTraffic().length;
    const heard = saved.length;
    const first = await invoke('psi.saveSections', { trackingId: caseId, baseVersion: before, baseRev: 0, needs: 'Rester à domicile, avec aide', nextDate: '', periodicity: '6' }, ORGANISER);
    expect(bodyText(first)).toContain('Gardé dans le brouillon');
    expect(bodyText(first)).toContain('psi.publish');
    expect(bodyText(first)).toContain('Brouillon de la version');
    await invoke('psi.saveAction', { trackingId: caseId, rowId: '', what: 'Organiser les courses', byWhom: 'Aidant proche' }, ORGANISER);
    await invoke('psi.saveAction', { trackingId: caseId, rowId: '', what: 'Passage infirmier', byWhom: 'Nina Test' }, REFERENT);
    expect(await latestVersion()).toBe(before);
    expect(psiTraffic()).toHaveLength(traffic);
    expect(saved).toHaveLength(heard);
    expect((await psi().draft(caseId))?.rev).toBe(3);

    // The other editor sees the shared draft; the published card and the readers do not.
    expect(bodyText(await invoke('psi.edit', { trackingId: caseId }, REFERENT))).toContain('Organiser les courses');
    const read = JSON.stringify(cardsOf((await say(`psi ${caseId}`, ORGANISER)).body.activities));
    expect(read).toContain('Des modifications attendent');
    expect(read).not.toContain('Organiser les courses');
    // A sections form rendered before the others' edits would overwrite them: refused, text kept.
    const stale = await invoke('psi.saveSections', { trackingId: caseId, baseVersion: before, baseRev: 1, needs: 'Texte en retard' }, REFERENT);
    expect(bodyText(stale)).toContain('entre-temps');
    expect(bodyText(stale)).toContain('Texte en retard');

    const published = await publish();
    expect(bodyText(published)).toContain(`PSI publié (version ${before + 1})`);
    const latest = (await psi().latest(caseId))!;
    expect(latest.version).toBe(before + 1);
    expect(latest.change).toBe('sections,saveAction');
    expect(latest.content.actions.map((x) => x.what)).toEqual(expect.arrayContaining(['Organiser les courses', 'Passage infirmier']));
    expect(latest.content.needs).toBe('Rester à domicile, avec aide');
    expect(psiTraffic()).toHaveLength(traffic + 1); // the case conversation's card, updated once
    expect(saved.slice(heard)).toEqual([[caseId, before + 1]]);
    expect(await psi().draft(caseId)).toBeNull();
    expect(bodyText(await publish())).toContain('Rien à publier');
    expect(await latestVersion()).toBe(before + 1);
  });

  it('"discard" drops the draft; the PSI stays as published; readers cannot publish', async () => {
    await givenV1();
    const before = await latestVersion();
    await invoke('psi.saveAction', { trackingId: caseId, rowId: '', what: 'Action abandonnée', byWhom: 'Organisatrice' }, ORGANISER);
    expect(bodyText(await publish(GP))).toMatch(/pas le droit|pas choisi de partager/);
    const res = await invoke('psi.discard', { trackingId: caseId }, ORGANISER);
    expect(bodyText(res)).toContain('Brouillon abandonné');
    expect(await psi().draft(caseId)).toBeNull();
    expect(await latestVersion()).toBe(before);
    expect((await psi().latest(caseId))!.content.actions.map((x) => x.what)).not.toContain('Action abandonnée');
  });

  it('two saves at the same time both land in the draft; two publishes at once make one version (unique version index)', async () => {
    await givenV1();
    const before = await latestVersion();
    const [a, b] = await Promise.all([
      psi().save(caseId, { kind: 'saveAction', newId: 'cc-a', input: { what: 'Action A', byWhom: 'Organisatrice' } }, ORGANISER.aadObjectId),
      psi().save(caseId, { kind: 'saveAction', newId: 'cc-b', input: { what: 'Action B', byWhom: 'Référent' } }, REFERENT.aadObjectId),
    ]);
    expect(a.ok && b.ok).toBe(true);
    expect((await psi().draft(caseId))!.content.actions.map((x) => x.what)).toEqual(expect.arrayContaining(['Action A', 'Action B']));
    const [p1, p2] = await Promise.all([psi().publish(caseId, ORGANISER.aadObjectId), psi().publish(caseId, REFERENT.aadObjectId)]);
    expect([p1.ok, p2.ok].filter(Boolean)).toHaveLength(1);
    const latest = (await psi().latest(caseId))!;
    expect(latest.version).toBe(before + 1);
    expect(latest.content.actions.map((x) => x.what)).toEqual(expect.arrayContaining(['Action A', 'Action B']));
    await expect(bot.app.models.psiVersions.create({ trackingId: caseId, version: 1, contentJson: '{}', change: 'x', authorAadObjectId: 'x', authorName: '', savedAt: new Date() })).rejects.toMatchObject({ code: 11000 });
    // The reminders hook heard every version once.
    expect(saved.map(([, v]) => v).sort((x, y) => x - y)).toEqual(Array.from({ length: latest.version }, (_, i) => i + 1));
    expect(saved.every(([id]) => id === caseId)).toBe(true);
  });

  it('"psi" typed in the case conversation finds the case by itself; the other members there are noted as having received it', async () => {
    await givenV1();
    const count = (q: Record<string, unknown>) => bot.app.models.psiAccess.countDocuments({ trackingId: caseId, ...q });
    const [organiserBefore, referentBefore] = [await count({ channel: 'groupCard', aadObjectId: ORGANISER.aadObjectId }), await count({ channel: 'command', aadObjectId: REFERENT.aadObjectId })];
    const res = await say('psi', REFERENT, GROUP);
    expect(JSON.stringify(cardsOf(res.body.activities))).toContain(`dossier ${caseId}`);
    expect(await count({ channel: 'groupCard', kind: 'delivered', aadObjectId: ORGANISER.aadObjectId, version: await latestVersion() })).toBeGreaterThan(0);
    expect([await count({ channel: 'groupCard', aadObjectId: ORGANISER.aadObjectId }), await count({ channel: 'command', aadObjectId: REFERENT.aadObjectId })]).toEqual([organiserBefore + 1, referentBefore + 1]);
  });

  it('is not shown in another group chat, even to its editors', async () => {
    await givenV1();
    const res = await say(`psi ${caseId}`, ORGANISER, { ...GROUP, id: '19:fictional-unrelated-group@thread.v2' });
    expect(cardsOf(res.body.activities)).toHaveLength(0);
    expect(replyText(res)).toContain("n'est pas celle du dossier");
  });

  it('a member the person did not share it with joins the case chat: the next version replaces the full card there by a notice, in place, without content', async () => {
    await givenShareStopped();
    bot.fake.setMembers([ORGANISER, REFERENT, NURSE].map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name })), GROUP.id);
    const groupActivity = (await psi().messages(caseId)).find((m) => m.recipientKey === `conv:${GROUP.id}`)!.activityId;
    const mark = bot.fake.requests.length;
    await invoke('psi.saveAction', { trackingId: caseId, rowId: '', what: 'Visite du kinésithérapeute', byWhom: 'Kiné fictif' }, ORGANISER);
    const version = (await latestVersion()) + 1;
    expect(bodyText(await publish())).toContain(`version ${version}`);
    const toGroup = bot.fake.requests.slice(mark).filter((r) => r.conversationId === GROUP.id && (r.operation === 'send' || r.operation === 'update'));
    expect(toGroup.map((r) => [r.operation, r.activityId])).toEqual([['update', groupActivity]]);
    // What the chat's members see: the card (the envelope's recipient is Teams addressing, not shown).
    const shown = JSON.stringify((toGroup[0].body as { attachments: unknown }).attachments);
    expect(shown).toContain(`Version ${version}`);
    expect(shown).toContain("n'est pas affiché dans cette conversation");
    for (const planted of ['Visite du kinésithérapeute', 'Rester à domicile', 'Pas de visite le dimanche', 'Trouver une aide ménagère', 'Remi Referent', GP.name]) expect(shown).not.toContain(planted);
    // "psi" typed there now answers with the same notice; "open" shows it to a reader only.
    const typed = JSON.stringify(cardsOf((await say('psi', REFERENT, GROUP)).body.activities));
    expect(typed).toContain('psi.open');
    expect(typed).not.toContain('Visite du kinésithérapeute');
    expect(bodyText(await invoke('psi.open', { trackingId: caseId }, REFERENT, GROUP))).toContain('Visite du kinésithérapeute');
    expect(bodyText(await invoke('psi.open', { trackingId: caseId }, NURSE, GROUP))).toMatch(/pas choisi de partager/);
    const log = await bot.app.models.psiAccess.find({ trackingId: caseId, version }).lean();
    expect(log.map((e) => [e.kind, e.channel, e.aadObjectId])).toEqual(expect.arrayContaining([['delivered', 'groupNotice', null], ['read', 'open', REFERENT.aadObjectId]]));
    expect(log.some((e) => e.aadObjectId === NURSE.aadObjectId)).toBe(false);
  });

  it('the access log: the organiser sees who received or read which version, 1:1; nobody else, and never in a group chat', async () => {
    await givenNurseInChat();
    const res = await say(`psi accès ${caseId}`, ORGANISER);
    const card = JSON.stringify(cardsOf(res.body.activities));
    expect(card).toContain(`Qui a lu ou reçu le PSI — dossier ${caseId}`);
    expect(card).toContain(`${GP.name}"`);
    expect(card).toContain('a reçu la version 3 en conversation privée');
    expect(card).toContain('PSI plus partagé');
    expect(card).toMatch(/Remi Referent.*a ouvert la version \d+ depuis une carte/);
    expect(card).toContain('(carte complète dans la conversation du dossier)');
    expect(card).not.toContain('Rester à domicile');
    const nl = JSON.stringify(cardsOf((await say(`zorgplan toegang ${caseId}`, ORGANISER, personal(ORGANISER), 'nl-BE')).body.activities));
    expect(nl).toContain('ontving versie 3 in een persoonlijk gesprek');
    expect(replyText(await say(`psi accès ${caseId}`, REFERENT))).toMatch(/pas le droit/);
    expect(replyText(await say(`psi accès ${caseId}`, GP))).toMatch(/pas le droit/);
    expect(replyText(await say(`psi accès ${caseId}`, ORGANISER, GROUP))).toContain('conversation privée avec le bot');
  });

  it('a consent given again counts only once published: then the GP card shows the PSI again, in place', async () => {
    await givenNurseInChat();
    const gp = () => psi().messages(caseId).then((ms) => ms.find((m) => m.recipientKey === participantKey(GP))!);
    const before = await gp();
    expect(before.revoked).toBe(true);
    const actorId = (await psi().latest(caseId))!.content.actors.find((a) => a.participantKey === participantKey(GP))!.id;
    await invoke('psi.share', { trackingId: caseId, shareWith: actorId }, ORGANISER);
    expect(bodyText(await invoke('psi.open', { trackingId: caseId }, GP))).toMatch(/pas choisi de partager/);
    expect((await gp()).revoked).toBe(true);
    const version = (await latestVersion()) + 1;
    expect(bodyText(await publish())).toContain(`version ${version}`);
    const after = await gp();
    expect(after).toMatchObject({ revoked: false, version, activityId: before.activityId });
    const update = bot.fake.requests.filter((r) => r.operation === 'update' && r.conversationId === personal(GP).id).at(-1)!;
    expect(update.activityId).toBe(before.activityId);
    expect(JSON.stringify(update.body)).toContain('Visite du kinésithérapeute');
    expect(bodyText(await invoke('psi.open', { trackingId: caseId }, GP))).toContain('Visite du kinésithérapeute');
  });
});
