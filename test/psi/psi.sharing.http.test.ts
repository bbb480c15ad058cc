// The PSI through the real endpoint and database: several saves make one draft and one version,
// concurrent saves and publishes, the case conversation (the full card only while every member
// there may read it, else a notice without content), and the access log of deliveries and reads.
import { cardsOf } from '../support/app';
import { bodyText, Conversation, GP, NURSE, ORGANISER, personal, REFERENT, replyText } from '../support/harness';
import { usePsiStory } from './psiStory';

describe('the PSI through the HTTP endpoint: drafts, the case conversation, the access log', () => {
  const { bot, say, invoke, saved, psi, latestVersion, psiTraffic, participantKey, publish, givenV1, givenShareStopped, givenNurseInChat, current } = usePsiStory();
  let caseId: string;
  let GROUP: Conversation;
  beforeEach(() => ({ caseId, GROUP } = current()));

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
