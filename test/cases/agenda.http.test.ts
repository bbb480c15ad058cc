// The agenda card (ordre du jour) in the case conversation: posted when a date is fixed in a
// linked conversation, updated in place on every change, attendance answered from the card.
import { DateTime } from 'luxon';
import { post, RunningApp, startTestApp, teamsMessage } from '../support/app';
import { validAnswers } from '../support/answers';
import { FakeConnector } from '../support/fakeConnector';

const TENANT = '11111111-1111-4111-8111-111111111111';
const COORDINATOR = { id: '29:fictional-coordinator', aadObjectId: 'c0000000-0000-4000-8000-0000000000c1', name: 'Coralie Coordination' };
const ORGANISER = { id: '29:fictional-organiser', aadObjectId: 'a0000000-0000-4000-8000-0000000000a1', name: 'Olivia Organisatrice' };
const GP = { id: '29:fictional-gp', aadObjectId: 'g0000000-0000-4000-8000-0000000000g1', name: 'Dr Gaby Test' };
const OUTSIDER = { id: '29:fictional-outsider', aadObjectId: 'e0000000-0000-4000-8000-0000000000e1', name: 'Eve Extern' };
const GROUP = { id: '19:fictional-agenda-group@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId: TENANT };
const personal = (u: { id: string }) => ({ id: `a:personal-${u.id}`, conversationType: 'personal', tenantId: TENANT });

describe('agenda card in the case conversation', () => {
  let fake: FakeConnector;
  let running: RunningApp;
  let caseId: string;
  const future = DateTime.now().setZone('Europe/Brussels').plus({ days: 14 }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 });

  const say = (text: string, from: typeof ORGANISER, conversation: object, locale = 'fr-BE') => post(running.url, teamsMessage(text, { from, conversation, serviceUrl: fake.url, locale }));
  const invoke = (verb: string, data: Record<string, unknown>, from: typeof ORGANISER, conversation: object = GROUP) =>
    post(running.url, teamsMessage(undefined, { type: 'invoke', name: 'adaptiveCard/action', from, conversation, serviceUrl: fake.url, value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }, deliveryMode: undefined }));
  const posts = () => fake.delivered(GROUP.id);
  const updates = () => fake.requests.filter((r) => r.operation === 'update' && r.conversationId === GROUP.id);
  const lastCardText = () => JSON.stringify((updates().at(-1) ?? posts().at(-1))?.body);

  beforeAll(async () => {
    fake = await FakeConnector.start();
    fake.setMembers([ORGANISER, GP, OUTSIDER].map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name })));
    running = await startTestApp({ BOOTSTRAP_COORDINATOR_IDS: COORDINATOR.aadObjectId }, { startScheduler: false });
    const { services } = running.app;
    await services.members.addRole({ aadObjectId: ORGANISER.aadObjectId, teamsUserId: ORGANISER.id, displayName: ORGANISER.name }, 'organiser', COORDINATOR.aadObjectId, { languages: ['fr'] });
    const request = await services.requests.submit(validAnswers(), { aadObjectId: 'b0000000-0000-4000-8000-0000000000b1', conversationId: 'a:requester', locale: 'fr' });
    caseId = request.trackingId;
    await services.requests.decide({ trackingId: caseId, status: 'yes', organiserAadObjectId: ORGANISER.aadObjectId, notes: '', decidedBy: COORDINATOR.aadObjectId, decidedByName: COORDINATOR.name });
  });
  afterAll(async () => {
    await running?.close();
    await fake?.close();
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
    const c = await running.app.services.cases.openConcertation(caseId);
    expect(c?.agendaActivityId).toBeTruthy();
    expect(c?.agendaConversationId).toBe(GROUP.id);
  });

  it('the organiser adds and removes points; the posted card is updated in place, not re-posted', async () => {
    const postsBefore = posts().length;
    const activityId = (await running.app.services.cases.openConcertation(caseId))!.agendaActivityId;
    const res = await invoke('agenda.addPoint', { trackingId: caseId, newPoint: 'Retour à domicile après hospitalisation' }, ORGANISER);
    expect(JSON.stringify(res.body.value)).toContain('Point ajouté');
    await invoke('agenda.addPoint', { trackingId: caseId, newPoint: 'Aide pour les courses' }, ORGANISER);
    expect(posts()).toHaveLength(postsBefore);
    expect(updates().at(-1)?.activityId).toBe(activityId);
    expect(lastCardText()).toContain('1. Retour à domicile après hospitalisation');
    expect(lastCardText()).toContain('2. Aide pour les courses');

    const points = await running.app.services.cases.agendaPoints(caseId, 1);
    await invoke('agenda.removePoint', { trackingId: caseId, pointId: points[1].pointId }, ORGANISER);
    expect(lastCardText()).not.toContain('Aide pour les courses');
  });

  it('refuses an empty point, and points from anyone but the organiser', async () => {
    expect(JSON.stringify((await invoke('agenda.addPoint', { trackingId: caseId, newPoint: '  ' }, ORGANISER)).body.value)).toContain('Écrivez le point');
    const res = await invoke('agenda.addPoint', { trackingId: caseId, newPoint: 'Point du médecin' }, GP);
    expect(res.body.type).toBe('application/vnd.microsoft.activity.message');
    expect(JSON.stringify(res.body.value)).toMatch(/pas le droit/);
    expect((await running.app.services.cases.agendaPoints(caseId, 1)).map((p) => p.text)).not.toContain('Point du médecin');
  });

  it('participants confirm or decline from the card and everyone sees the answers', async () => {
    const declined = await invoke('agenda.attend', { trackingId: caseId, seq: 1, answer: 'no' }, GP);
    expect(JSON.stringify(declined.body.value)).toContain('absence est notée');
    expect(lastCardText()).toContain('❌');
    const confirmed = await invoke('agenda.attend', { trackingId: caseId, seq: 1, answer: 'yes' }, GP);
    expect(JSON.stringify(confirmed.body.value)).toContain('participation est confirmée');
    await invoke('agenda.attend', { trackingId: caseId, seq: 1, answer: 'yes' }, ORGANISER);
    expect(lastCardText()).toContain('Réponses : 2 oui, 0 non, 0 en attente');
    expect((await running.app.services.cases.attendanceOf(caseId, 1)).get(GP.aadObjectId)).toBe('yes');
  });

  it('refuses answers from someone outside the case, and for another meeting than the one prepared', async () => {
    const outsider = await invoke('agenda.attend', { trackingId: caseId, seq: 1, answer: 'yes' }, OUTSIDER);
    expect(JSON.stringify(outsider.body.value)).toMatch(/pas le droit/);
    const stale = await invoke('agenda.attend', { trackingId: caseId, seq: 0, answer: 'yes' }, GP);
    expect(JSON.stringify(stale.body.value)).toContain('plus en préparation');
    expect((await running.app.services.cases.attendanceOf(caseId, 1)).has(OUTSIDER.aadObjectId)).toBe(false);
  });

  it('moving the date (e.g. from the availability poll through CaseService.setConcertation) updates the same card', async () => {
    const activityId = (await running.app.services.cases.openConcertation(caseId))!.agendaActivityId;
    const postsBefore = posts().length;
    const moved = future.plus({ days: 1 }).set({ hour: 15 });
    const result = await running.app.services.cases.setConcertation(caseId, { start: moved.toJSDate(), durationMinutes: 90, place: 'Maison médicale fictive' }, ORGANISER.aadObjectId);
    expect(result.ok).toBe(true);
    expect(posts()).toHaveLength(postsBefore);
    expect(updates().at(-1)?.activityId).toBe(activityId);
    expect(lastCardText()).toContain('Maison médicale fictive');
    expect(lastCardText()).toContain('15:00');
  });

  it('posts the card again when the in-place update fails (message deleted in Teams)', async () => {
    const oldId = (await running.app.services.cases.openConcertation(caseId))!.agendaActivityId;
    fake.failNext(1, { status: 404, code: 'NotFound' }, { conversationId: GROUP.id, operations: ['update'] });
    const postsBefore = posts().length;
    await invoke('agenda.addPoint', { trackingId: caseId, newPoint: 'Nouveau point' }, ORGANISER);
    expect(posts()).toHaveLength(postsBefore + 1);
    expect(JSON.stringify(posts().at(-1)!.body)).toContain('Nouveau point');
    const newId = (await running.app.services.cases.openConcertation(caseId))!.agendaActivityId;
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
      const posted = (updates().at(-1) ?? posts().at(-1))!.body as Record<string, any>;
      const card = posted.attachments[0].content;
      expect(verbsIn(card)).toEqual(['agenda.attend', 'agenda.refresh']);
      expect(card.refresh.action.verb).toBe('agenda.refresh');
      expect(card.refresh.action.data).toEqual({ trackingId: caseId, seq: 1 });
      expect(card.refresh.userIds).toEqual([ORGANISER.id]);
      expect(JSON.stringify(card)).not.toContain('newPoint');
    });

    it('refresh gives the organiser the controls and everyone else the participants view', async () => {
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
      const res = await invoke('agenda.refresh', { trackingId: caseId, seq: 1 }, OUTSIDER, personal(OUTSIDER));
      expect(res.body.type).toBe('application/vnd.microsoft.activity.message');
      expect(JSON.stringify(res.body.value)).toMatch(/pas le droit/);
    });

    it('labels: no parentheses inside parentheses, and answers and buttons not only in the masculine', async () => {
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
      const before = posts().length;
      const oldId = (await running.app.services.cases.openConcertation(caseId))!.agendaActivityId;
      await post(running.url, teamsMessage('ordre du jour', { from: GP, conversation: GROUP, serviceUrl: fake.url, locale: 'fr-BE', deliveryMode: undefined }));
      expect(posts()).toHaveLength(before + 1);
      const card = (posts().at(-1)!.body as Record<string, any>).attachments[0].content;
      expect(JSON.stringify(card)).toContain(`Ordre du jour — concertation du dossier ${caseId}`);
      expect(card.refresh.userIds).toEqual([ORGANISER.id]);
      expect(JSON.stringify(card)).not.toContain('agenda.addPoint');
      const newId = (await running.app.services.cases.openConcertation(caseId))!.agendaActivityId;
      expect(newId).toBeTruthy();
      expect(newId).not.toBe(oldId);
      await invoke('agenda.addPoint', { trackingId: caseId, newPoint: 'Après le nouvel affichage' }, ORGANISER);
      expect(updates().at(-1)?.activityId).toBe(newId);
    });

    it('in the personal chat with the tracking id: the organiser gets the organiser view, in Dutch too', async () => {
      const fr = await say(`ordre du jour ${caseId}`, ORGANISER, personal(ORGANISER));
      expect(JSON.stringify(fr.body.activities)).toContain('agenda.addPoint');
      const nl = await say(`agenda ${caseId}`, ORGANISER, personal(ORGANISER), 'nl-BE');
      const json = JSON.stringify(nl.body.activities);
      expect(json).toContain(`Agenda — overleg van dossier ${caseId}`);
      expect(json).toContain('Ik neem deel');
    });

    it('a participant gets the participants view; someone outside the case is refused; no id outside a linked chat is explained', async () => {
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
