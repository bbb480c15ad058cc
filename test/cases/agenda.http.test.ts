// The agenda card (ordre du jour) in the case conversation: posted when a date is fixed in a
// linked conversation, updated in place on every change, attendance answered from the card.
import { DateTime } from 'luxon';
import { post } from '../support/app';
import { Conversation, GP, group, messageActivity, ORGANISER, OUTSIDER, personal, useTestBot } from '../support/harness';

describe('agenda card in the case conversation', () => {
  const bot = useTestBot({ members: [ORGANISER, GP, OUTSIDER], organisers: [ORGANISER] });
  let caseId: string;
  /** The case's group chat (its own for each test). */
  let GROUP: Conversation;
  const future = DateTime.now().setZone('Europe/Brussels').plus({ days: 14 }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 });

  const say = (text: string, from: typeof ORGANISER, conversation: Conversation, locale = 'fr-BE') => bot.say(text, from, conversation, locale);
  const invoke = (verb: string, data: Record<string, unknown>, from: typeof ORGANISER, conversation: Conversation = GROUP) => bot.invoke(verb, data, from, conversation);
  const posts = () => bot.fake.delivered(GROUP.id);
  const updates = () => bot.fake.requests.filter((r) => r.operation === 'update' && r.conversationId === GROUP.id);
  const lastCardText = () => JSON.stringify((updates().at(-1) ?? posts().at(-1))?.body);

  /** The case chat linked and the GP added from the organiser's chat, as the organiser does first. */
  const givenLinkedWithGp = async () => {
    await say(`lier dossier ${caseId}`, ORGANISER, GROUP);
    await invoke('case.addParticipant', { trackingId: caseId, pRole: 'professional', pProfile: 'gp', pTeamsUser: GP.aadObjectId }, ORGANISER, personal(ORGANISER));
  };
  /** …and the date fixed: the agenda card is posted in the case chat (with these points added). */
  const givenAgendaPosted = async (...points: string[]) => {
    await givenLinkedWithGp();
    await invoke('case.schedule', { trackingId: caseId, sDate: future.toISODate(), sTime: '10:00', sDuration: '105', sPlace: 'Domicile de la personne', sLink: 'https://meet.example.org/cmd' }, ORGANISER, personal(ORGANISER));
    if (!(await bot.app.services.cases.openConcertation(caseId))?.agendaActivityId) throw new Error(`no agenda card posted for ${caseId}`);
    for (const newPoint of points) await invoke('agenda.addPoint', { trackingId: caseId, newPoint }, ORGANISER);
  };

  beforeEach(async () => {
    caseId = await bot.admittedCase();
    GROUP = group(`agenda-${caseId}`);
  });

  it('posts nothing before a date is fixed', async () => {
    await say(`lier dossier ${caseId}`, ORGANISER, GROUP);
    await invoke('case.addParticipant', { trackingId: caseId, pRole: 'professional', pProfile: 'gp', pTeamsUser: GP.aadObjectId }, ORGANISER, personal(ORGANISER));
    expect(posts().filter((p) => JSON.stringify(p.body).includes('agenda.attend'))).toHaveLength(0);
    const res = await invoke('agenda.addPoint', { trackingId: caseId, newPoint: 'Retour à domicile' }, ORGANISER);
    expect(JSON.stringify(res.body.value)).toContain("Fixez d'abord la date");
    const shown = await say('ordre du jour', ORGANISER, GROUP);
    expect(JSON.stringify(shown.body.activities)).toContain(`Aucune concertation n'est encore datée pour le dossier ${caseId}`);
  });

  it('posts the agenda to the linked conversation when the organiser fixes the date (Brussels time, reminders)', async () => {
    await givenLinkedWithGp();
    const before = posts().length;
    await invoke('case.schedule', { trackingId: caseId, sDate: future.toISODate(), sTime: '10:00', sDuration: '105', sPlace: 'Domicile de la personne', sLink: 'https://meet.example.org/cmd' }, ORGANISER, personal(ORGANISER));
    expect(posts()).toHaveLength(before + 1);
    const card = JSON.stringify(posts().at(-1)!.body);
    expect(card).toContain(`Ordre du jour — concertation du dossier ${caseId}`);
    expect(card).toContain('10:00');
    expect(card).toContain('Domicile de la personne');
    expect(card).toContain('https://meet.example.org/cmd');
    expect(card).toContain(GP.name);
    expect(card).toContain('Secret professionnel');
    expect(card).toContain('Cadre de rémunération');
    const c = await bot.app.services.cases.openConcertation(caseId);
    expect(c?.agendaActivityId).toBeTruthy();
    expect(c?.agendaConversationId).toBe(GROUP.id);
  });

  it('the organiser adds and removes points; the posted card is updated in place, not re-posted', async () => {
    await givenAgendaPosted();
    const postsBefore = posts().length;
    const activityId = (await bot.app.services.cases.openConcertation(caseId))!.agendaActivityId;
    const res = await invoke('agenda.addPoint', { trackingId: caseId, newPoint: 'Retour à domicile après hospitalisation' }, ORGANISER);
    expect(JSON.stringify(res.body.value)).toContain('Point ajouté');
    await invoke('agenda.addPoint', { trackingId: caseId, newPoint: 'Aide pour les courses' }, ORGANISER);
    expect(posts()).toHaveLength(postsBefore);
    expect(updates().at(-1)?.activityId).toBe(activityId);
    expect(lastCardText()).toContain('1. Retour à domicile après hospitalisation');
    expect(lastCardText()).toContain('2. Aide pour les courses');

    const points = await bot.app.services.cases.agendaPoints(caseId, 1);
    await invoke('agenda.removePoint', { trackingId: caseId, pointId: points[1].pointId }, ORGANISER);
    expect(lastCardText()).not.toContain('Aide pour les courses');
  });

  it('refuses an empty point, and points from anyone but the organiser', async () => {
    await givenAgendaPosted();
    expect(JSON.stringify((await invoke('agenda.addPoint', { trackingId: caseId, newPoint: '  ' }, ORGANISER)).body.value)).toContain('Écrivez le point');
    const res = await invoke('agenda.addPoint', { trackingId: caseId, newPoint: 'Point du médecin' }, GP);
    expect(res.body.type).toBe('application/vnd.microsoft.activity.message');
    expect(JSON.stringify(res.body.value)).toMatch(/pas le droit/);
    expect((await bot.app.services.cases.agendaPoints(caseId, 1)).map((p) => p.text)).not.toContain('Point du médecin');
  });

  it('participants confirm or decline from the card and everyone sees the answers', async () => {
    await givenAgendaPosted();
    const declined = await invoke('agenda.attend', { trackingId: caseId, seq: 1, answer: 'no' }, GP);
    expect(JSON.stringify(declined.body.value)).toContain('absence est notée');
    expect(lastCardText()).toContain('❌');
    const confirmed = await invoke('agenda.attend', { trackingId: caseId, seq: 1, answer: 'yes' }, GP);
    expect(JSON.stringify(confirmed.body.value)).toContain('participation est confirmée');
    await invoke('agenda.attend', { trackingId: caseId, seq: 1, answer: 'yes' }, ORGANISER);
    expect(lastCardText()).toContain('Réponses : 2 oui, 0 non, 0 en attente');
    expect((await bot.app.services.cases.attendanceOf(caseId, 1)).get(GP.aadObjectId)).toBe('yes');
  });

  it('refuses answers from someone outside the case, and for another meeting than the one prepared', async () => {
    await givenAgendaPosted();
    const outsider = await invoke('agenda.attend', { trackingId: caseId, seq: 1, answer: 'yes' }, OUTSIDER);
    expect(JSON.stringify(outsider.body.value)).toMatch(/pas le droit/);
    const stale = await invoke('agenda.attend', { trackingId: caseId, seq: 0, answer: 'yes' }, GP);
    expect(JSON.stringify(stale.body.value)).toContain('plus en préparation');
    expect((await bot.app.services.cases.attendanceOf(caseId, 1)).has(OUTSIDER.aadObjectId)).toBe(false);
  });

  it('moving the date (e.g. from the availability poll through CaseService.setConcertation) updates the same card', async () => {
    await givenAgendaPosted();
    const activityId = (await bot.app.services.cases.openConcertation(caseId))!.agendaActivityId;
    const postsBefore = posts().length;
    const moved = future.plus({ days: 1 }).set({ hour: 15 });
    const result = await bot.app.services.cases.setConcertation(caseId, { start: moved.toJSDate(), durationMinutes: 90, place: 'Maison médicale fictive' }, ORGANISER.aadObjectId);
    expect(result.ok).toBe(true);
    expect(posts()).toHaveLength(postsBefore);
    expect(updates().at(-1)?.activityId).toBe(activityId);
    expect(lastCardText()).toContain('Maison médicale fictive');
    expect(lastCardText()).toContain('15:00');
  });

  it('posts the card again when the in-place update fails (message deleted in Teams)', async () => {
    await givenAgendaPosted();
    const oldId = (await bot.app.services.cases.openConcertation(caseId))!.agendaActivityId;
    bot.fake.failNext(1, { status: 404, code: 'NotFound' }, { conversationId: GROUP.id, operations: ['update'] });
    const postsBefore = posts().length;
    await invoke('agenda.addPoint', { trackingId: caseId, newPoint: 'Nouveau point' }, ORGANISER);
    expect(posts()).toHaveLength(postsBefore + 1);
    expect(JSON.stringify(posts().at(-1)!.body)).toContain('Nouveau point');
    const newId = (await bot.app.services.cases.openConcertation(caseId))!.agendaActivityId;
    expect(newId).toBeTruthy();
    expect(newId).not.toBe(oldId);
  });

  describe('organiser controls only in the organiser view (per-user refresh)', () => {
    const cardOf = (res: { body: Record<string, any> }) => res.body.value as Record<string, any>;
    const verbsIn = (card: unknown) => [...new Set([...JSON.stringify(card).matchAll(/"verb":"([^"]+)"/g)].map((m) => m[1]))].sort();
    const texts = (card: unknown): string[] => {
      const out: string[] = [];
      const walk = (x: unknown) => {
        if (Array.isArray(x)) x.forEach(walk);
        else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) (['text', 'title', 'value', 'label'].includes(k) && typeof v === 'string' ? out.push(v) : walk(v));
      };
      walk(card);
      return out;
    };

    it('the card posted in the chat is the participants view, refreshed for the organiser only', async () => {
      await givenAgendaPosted('Retour à domicile après hospitalisation');
      const posted = (updates().at(-1) ?? posts().at(-1))!.body as Record<string, any>;
      const card = posted.attachments[0].content;
      expect(verbsIn(card)).toEqual(['agenda.attend', 'agenda.refresh']);
      expect(card.refresh.action.verb).toBe('agenda.refresh');
      expect(card.refresh.action.data).toEqual({ trackingId: caseId, seq: 1 });
      expect(card.refresh.userIds).toEqual([ORGANISER.id]);
      expect(JSON.stringify(card)).not.toContain('newPoint');
    });

    it('refresh gives the organiser the controls and everyone else the participants view', async () => {
      await givenAgendaPosted('Retour à domicile après hospitalisation');
      const organiserView = cardOf(await invoke('agenda.refresh', { trackingId: caseId, seq: 1 }, ORGANISER));
      expect(verbsIn(organiserView)).toEqual(['agenda.addPoint', 'agenda.attend', 'agenda.refresh', 'agenda.removePoint']);
      expect(organiserView.refresh.userIds).toEqual([ORGANISER.id]);
      const gpView = cardOf(await invoke('agenda.refresh', { trackingId: caseId, seq: 1 }, GP));
      expect(verbsIn(gpView)).toEqual(['agenda.attend', 'agenda.refresh']);
      // A participant's own click answers with their view too (no organiser controls slipped in).
      const answered = cardOf(await invoke('agenda.attend', { trackingId: caseId, seq: 1, answer: 'yes' }, GP));
      expect(verbsIn(answered)).toEqual(['agenda.attend', 'agenda.refresh']);
      // The organiser's click keeps the organiser's view.
      const added = cardOf(await invoke('agenda.addPoint', { trackingId: caseId, newPoint: 'Point de suivi' }, ORGANISER));
      expect(verbsIn(added)).toContain('agenda.removePoint');
    });

    it('refuses the refresh to someone outside the case, outside its conversation', async () => {
      await givenAgendaPosted();
      const res = await invoke('agenda.refresh', { trackingId: caseId, seq: 1 }, OUTSIDER, personal(OUTSIDER));
      expect(res.body.type).toBe('application/vnd.microsoft.activity.message');
      expect(JSON.stringify(res.body.value)).toMatch(/pas le droit/);
    });

    it('labels: no parentheses inside parentheses, and answers and buttons not only in the masculine', async () => {
      await givenAgendaPosted('Retour à domicile après hospitalisation');
      const card = cardOf(await invoke('agenda.refresh', { trackingId: caseId, seq: 1 }, ORGANISER));
      expect(texts(card).filter((x) => /\([^)]*\(/.test(x))).toEqual([]);
      const json = JSON.stringify(card);
      expect(json).toContain('Dr Gaby Test — médecin généraliste');
      expect(json).toContain('Je participe');
      expect(json).not.toMatch(/présent\b|excusé/);
    });
  });

  describe('"ordre du jour" shows the card again', () => {
    it('in the linked chat without the tracking id: posted for everyone, and later changes update that card', async () => {
      await givenAgendaPosted();
      const before = posts().length;
      const oldId = (await bot.app.services.cases.openConcertation(caseId))!.agendaActivityId;
      await post(bot.url, messageActivity('ordre du jour', { from: GP, conversation: GROUP, serviceUrl: bot.fake.url, locale: 'fr-BE', deliveryMode: undefined }));
      expect(posts()).toHaveLength(before + 1);
      const card = (posts().at(-1)!.body as Record<string, any>).attachments[0].content;
      expect(JSON.stringify(card)).toContain(`Ordre du jour — concertation du dossier ${caseId}`);
      expect(card.refresh.userIds).toEqual([ORGANISER.id]);
      expect(JSON.stringify(card)).not.toContain('agenda.addPoint');
      const newId = (await bot.app.services.cases.openConcertation(caseId))!.agendaActivityId;
      expect(newId).toBeTruthy();
      expect(newId).not.toBe(oldId);
      await invoke('agenda.addPoint', { trackingId: caseId, newPoint: 'Après le nouvel affichage' }, ORGANISER);
      expect(updates().at(-1)?.activityId).toBe(newId);
    });

    it('in the personal chat with the tracking id: the organiser gets the organiser view, in Dutch too', async () => {
      await givenAgendaPosted();
      const fr = await say(`ordre du jour ${caseId}`, ORGANISER, personal(ORGANISER));
      expect(JSON.stringify(fr.body.activities)).toContain('agenda.addPoint');
      const nl = await say(`agenda ${caseId}`, ORGANISER, personal(ORGANISER), 'nl-BE');
      const json = JSON.stringify(nl.body.activities);
      expect(json).toContain(`Agenda — overleg van dossier ${caseId}`);
      expect(json).toContain('Ik neem deel');
    });

    it('a participant gets the participants view; someone outside the case is refused; no id outside a linked chat is explained', async () => {
      await givenAgendaPosted();
      const gp = await say(`ordre du jour ${caseId}`, GP, personal(GP));
      expect(JSON.stringify(gp.body.activities)).toContain('agenda.attend');
      expect(JSON.stringify(gp.body.activities)).not.toContain('agenda.addPoint');
      const outsider = await say(`ordre du jour ${caseId}`, OUTSIDER, personal(OUTSIDER));
      expect(JSON.stringify(outsider.body.activities)).toMatch(/pas le droit/);
      expect(JSON.stringify(outsider.body.activities)).not.toContain(GP.name);
      const otherGroup = { ...GROUP, id: '19:fictional-other-group@thread.v2' };
      const elsewhere = await say(`ordre du jour ${caseId}`, ORGANISER, otherGroup);
      expect(JSON.stringify(elsewhere.body.activities)).toContain("n'est pas celle du dossier");
      expect(JSON.stringify(elsewhere.body.activities)).not.toContain(GP.name);
      const noId = await say('ordre du jour', GP, personal(GP));
      expect(JSON.stringify(noId.body.activities)).toContain('ordre du jour CMD-2026-0001');
    });
  });
});
