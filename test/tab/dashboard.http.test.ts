// The dashboard API on a running app: tokens for the organiser, another organiser and the
// coordination, data made through the services the bot uses, answers shaped as tab/contract.ts.
import { DateTime } from 'luxon';
import type { CoordinationView, ExportLink, OrganiserView, PsiView, PsiVersionView, RecordsView, TabMe } from '../../tab/contract';
import { BRUSSELS } from '../../domain/time';
import { COORDINATOR, GP, NURSE, ORGANISER, ORGANISER_2, REQUESTER, useTestBot } from '../support/harness';
import { validAnswers } from '../support/answers';
import { FOREIGN_TENANT, ssoClaims, ssoToken, useTabSsoKeys } from '../support/ssoTokens';

const { signer, env } = useTabSsoKeys('tab-http-key');

const brussels = (days: number, hour: number) => DateTime.now().setZone(BRUSSELS).plus({ days }).set({ hour, minute: 0, second: 0, millisecond: 0 });
const local = (d: DateTime) => d.toFormat("yyyy-MM-dd'T'HH:mm");

describe('the dashboard API', () => {
  const bot = useTestBot({ env, organisers: [ORGANISER, ORGANISER_2], coordinators: [COORDINATOR] });
  const token = (oid: string, over: Record<string, unknown> = {}, tid?: string) => ssoToken(signer, ssoClaims(oid, over, tid));
  const get = async (path: string, oid: string | null) => {
    const res = await fetch(`${bot.url}${path}`, { headers: oid ? { authorization: `Bearer ${token(oid)}` } : {} });
    return { status: res.status, body: (await res.json()) as any };
  };
  let caseId = '';
  let waitingId = '';

  beforeAll(async () => {
    const { services } = bot.app;
    caseId = await bot.admittedCase();
    await bot.addParticipants(caseId, [[GP, 'professional', 'gp'], [NURSE, 'referent', 'homeNurse']]);
    expect((await services.cases.setConcertation(caseId, { start: brussels(20, 14).toJSDate(), durationMinutes: 90, place: 'Maison médicale fictive' }, ORGANISER.aadObjectId)).ok).toBe(true);
    const poll = await services.polls.create(
      {
        trackingId: caseId,
        conversationId: null,
        organiser: { aadObjectId: ORGANISER.aadObjectId, teamsUserId: ORGANISER.id, name: ORGANISER.name, email: null },
        locale: 'fr',
        slots: [{ start: local(brussels(10, 10)), durationMinutes: 90 }, { start: local(brussels(11, 14)), durationMinutes: 90 }],
        place: { kind: 'home', details: '' },
        deadline: local(brussels(5, 18)),
        participants: [GP, NURSE].map((p, i) => ({ aadObjectId: p.aadObjectId, teamsUserId: p.id, name: p.name, email: null, required: i === 0, external: false })),
      },
      ORGANISER.aadObjectId,
    );
    if (!poll.ok) throw new Error(JSON.stringify(poll));
    expect((await services.polls.answer({ pollId: poll.value.pollId, participantKey: `u:${GP.aadObjectId}`, answers: { s1: 'yes', s2: 'ifNeedBe' }, comment: '', by: GP.aadObjectId, requestKey: 'r1' })).ok).toBe(true);
    expect((await services.psi.save(caseId, { kind: 'sections', input: { needs: 'Rester à domicile', objectives: 'Un rythme' } }, ORGANISER.aadObjectId)).ok).toBe(true);
    expect((await services.psi.publish(caseId, ORGANISER.aadObjectId)).ok).toBe(true);
    const day = DateTime.now().setZone(BRUSSELS).toISODate()!;
    const saved = await services.records.save(caseId, { date: day, consentType: 'oral', consentComment: '', preparationHours: '1', durationHours: '1.5', place: 'home', placeOther: '', firstForOrganiser: 'true', personPresent: 'true', referentPresent: 'true', professionalsPresent: '2', professionalProfiles: 'gp', relativesPresent: '0', relativesLinks: '', cateringCents: '0', roomCents: '0', amountsPreApproved: 'false', comments: '' }, ORGANISER.aadObjectId);
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    waitingId = (await services.requests.submit(validAnswers(), { aadObjectId: REQUESTER.aadObjectId, conversationId: 'a:requester', locale: 'nl' })).trackingId;
  });

  it('refuses calls without a valid token of an allowed tenant', async () => {
    const calls: Array<[string, Record<string, string>]> = [
      ['no token', {}],
      ['garbage', { authorization: 'Bearer abc.def.ghi' }],
      ['expired', { authorization: `Bearer ${token(ORGANISER.aadObjectId, { exp: Math.floor(Date.now() / 1000) - 600 })}` }],
      ['foreign tenant', { authorization: `Bearer ${token(ORGANISER.aadObjectId, {}, FOREIGN_TENANT)}` }],
    ];
    for (const [, headers] of calls) {
      const res = await fetch(`${bot.url}/api/tab/organiser`, { headers });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'unauthenticated' });
    }
  });

  it('me: the roles the bot knows', async () => {
    expect((await get('/api/tab/me', ORGANISER.aadObjectId)).body).toEqual({ displayName: ORGANISER.name, roles: ['organiser'], preferredLocale: 'fr' } satisfies TabMe);
    expect((await get('/api/tab/me', COORDINATOR.aadObjectId)).body.roles).toEqual(['coordinator']);
    expect((await get('/api/tab/me', GP.aadObjectId)).body).toEqual({ displayName: 'Fictional Person', roles: [], preferredLocale: null });
  });

  it('the organiser sees his case, the poll grid with the suggestion, the concertation and the reminders', async () => {
    const { status, body } = await get('/api/tab/organiser', ORGANISER.aadObjectId);
    expect(status).toBe(200);
    const view = body as OrganiserView;
    expect(view.cases).toEqual([expect.objectContaining({ trackingId: caseId, status: 'scheduled', nextKind: 'concertation', psiReadable: true, conversationLinked: false })]);
    expect(new Date(view.cases[0].nextDate!).toISOString()).toBe(brussels(20, 14).toUTC().toISO());
    const [grid] = view.polls;
    expect(grid).toMatchObject({ trackingId: caseId, status: 'open', suggestedSlotId: 's1' });
    expect(grid.slots.map((s) => [s.id, s.start, s.yes, s.ifNeedBe])).toEqual([
      ['s1', brussels(10, 10).toUTC().toISO(), 1, 0],
      ['s2', brussels(11, 14).toUTC().toISO(), 0, 1],
    ]);
    expect(grid.participants).toEqual([
      { key: `u:${GP.aadObjectId}`, name: GP.name, required: true, answers: { s1: 'yes', s2: 'ifNeedBe' }, answered: true },
      { key: `u:${NURSE.aadObjectId}`, name: NURSE.name, required: false, answers: {}, answered: false },
    ]);
    expect(view.concertations).toEqual([{ trackingId: caseId, seq: 1, start: brussels(20, 14).toUTC().toISO(), durationMinutes: 90, place: 'Maison médicale fictive' }]);
    expect(view.reminders.length).toBeGreaterThan(0);
    expect(view.reminders.length).toBeLessThanOrEqual(100);
    for (const r of view.reminders) expect(r).toEqual({ key: expect.any(String), trackingId: r.trackingId === null ? null : expect.stringMatching(/^CMD-/), kind: expect.any(String), dueAt: expect.any(String), delivery: expect.stringMatching(/^(scheduled|cancelled)$/), sentAt: null });
    expect(view.reminders.some((r) => r.trackingId === caseId && r.kind === 'meeting' && r.delivery === 'scheduled')).toBe(true);
    const dues = view.reminders.map((r) => r.dueAt);
    expect([...dues].sort()).toEqual(dues);
  });

  it("reminders show their delivery: sent, late, failed, ambiguous, from the outcome even before the status follows", async () => {
    const { reminders } = bot.app.services;
    const hourAgo = (h: number) => new Date(Date.now() - h * 3600_000);
    const plan = (subject: string, h: number) => ({ kind: 'followUp' as const, subject, dueAt: hourAgo(h), recipient: { aadObjectId: ORGANISER_2.aadObjectId }, locale: 'fr' as const, organiserAadObjectId: ORGANISER_2.aadObjectId });
    const planned = await reminders.plan([plan('CMD-2026-0901', 5), plan('CMD-2026-0902', 4), plan('CMD-2026-0903', 3), plan('CMD-2026-0904', 2), plan('CMD-2026-0905', 24 * 8)]);
    const [onTime, late, failed, ambiguous] = planned.inserted;
    const outcomes = [
      await reminders.delivery.recordOutcome(onTime, 0, { outcome: 'sent', late: false }),
      await reminders.delivery.recordOutcome(late, 0, { outcome: 'sent', late: true }),
      await reminders.delivery.recordOutcome(failed, 0, { outcome: 'failed', error: 'http 403', late: false }),
    ];
    // The status of these three follows; the fourth has an outcome only (the pass stopped in between).
    await reminders.delivery.applyOutcomes(outcomes.filter((o) => o !== null));
    await reminders.delivery.recordOutcome(ambiguous, 0, { outcome: 'ambiguous', late: false });
    const view = (await get('/api/tab/organiser', ORGANISER_2.aadObjectId)).body as OrganiserView;
    expect(view.reminders.map((r) => [r.trackingId, r.delivery, r.sentAt === null])).toEqual([
      ['CMD-2026-0901', 'sent', false],
      ['CMD-2026-0902', 'late', false],
      ['CMD-2026-0903', 'failed', true],
      ['CMD-2026-0904', 'ambiguous', true],
    ]);
  });

  it('another organiser sees none of it, and may not read the PSI', async () => {
    const other = (await get('/api/tab/organiser', ORGANISER_2.aadObjectId)).body as OrganiserView;
    expect(other).toMatchObject({ cases: [], polls: [], concertations: [] });
    expect(other.reminders.map((r) => r.trackingId)).not.toContain(caseId);
    expect(await get(`/api/tab/cases/${caseId}/psi`, ORGANISER_2.aadObjectId)).toEqual({ status: 403, body: { error: 'forbidden' } });
    expect(await get(`/api/tab/cases/${caseId}/psi/1`, ORGANISER_2.aadObjectId)).toEqual({ status: 403, body: { error: 'forbidden' } });
    // The coordination sees cases anonymised: not the PSI either.
    expect((await get(`/api/tab/cases/${caseId}/psi`, COORDINATOR.aadObjectId)).status).toBe(403);
  });

  it('the PSI for its readers, its versions, and the read noted for the person', async () => {
    const { status, body } = await get(`/api/tab/cases/${caseId.toLowerCase()}/psi`, ORGANISER.aadObjectId);
    expect(status).toBe(200);
    const view = body as PsiView;
    expect(view.latest).toMatchObject({ version: 1, authorName: ORGANISER.name, content: expect.objectContaining({ needs: 'Rester à domicile' }) });
    expect(view.versions).toEqual([{ version: 1, savedAt: expect.any(String), authorName: ORGANISER.name, change: expect.any(String) }]);
    expect(((await get(`/api/tab/cases/${caseId}/psi/1`, NURSE.aadObjectId)).body as PsiVersionView).content.needs).toBe('Rester à domicile');
    expect(await get(`/api/tab/cases/${caseId}/psi/2`, ORGANISER.aadObjectId)).toEqual({ status: 404, body: { error: 'notFound' } });
    expect(await get('/api/tab/cases/CMD-2020-9999/psi', ORGANISER.aadObjectId)).toEqual({ status: 404, body: { error: 'notFound' } });
    expect(await get('/api/tab/cases/nope/psi', ORGANISER.aadObjectId)).toEqual({ status: 400, body: { error: 'badRequest', field: 'trackingId' } });
    expect(await get(`/api/tab/cases/${caseId}/psi/x`, ORGANISER.aadObjectId)).toEqual({ status: 400, body: { error: 'badRequest', field: 'version' } });
    const reads = await bot.app.models.psiAccess.find({ trackingId: caseId, channel: 'tab' }).lean();
    expect(reads.map((r) => [r.aadObjectId, r.version, r.kind])).toEqual(expect.arrayContaining([[ORGANISER.aadObjectId, 1, 'read'], [NURSE.aadObjectId, 1, 'read']]));
  });

  it('the coordination sees the waiting requests and the cases per organiser, by tracking id only', async () => {
    const { status, body } = await get('/api/tab/coordination', COORDINATOR.aadObjectId);
    expect(status).toBe(200);
    const view = body as CoordinationView;
    expect(view.waiting).toEqual([{ trackingId: waitingId, submittedAt: expect.any(String), suggestion: expect.any(String), locale: 'nl' }]);
    expect(view.byOrganiser).toEqual([{ organiserName: ORGANISER.name, cases: [{ trackingId: caseId, status: 'scheduled' }] }]);
    const text = JSON.stringify(view);
    for (const name of [GP.name, NURSE.name, 'Rester à domicile']) expect(text).not.toContain(name);
    expect(await get('/api/tab/coordination', ORGANISER.aadObjectId)).toEqual({ status: 403, body: { error: 'forbidden' } });
  });

  it('the records of a period and their export, for the coordination only', async () => {
    const year = DateTime.now().year;
    const { status, body } = await get(`/api/tab/coordination/records?from=${year}-01-01&to=${year}-12-31`, COORDINATOR.aadObjectId);
    expect(status).toBe(200);
    expect((body as RecordsView).rows).toEqual([{ trackingId: caseId, date: expect.any(String), organiserName: ORGANISER.name, revision: 1, fee: expect.stringMatching(/^\d+\.\d{2}$/) }]);
    expect((await get(`/api/tab/coordination/records?from=${year}-01-01&to=${year}-12-31`, ORGANISER.aadObjectId)).status).toBe(403);
    expect(await get(`/api/tab/coordination/records?from=${year}-13-01&to=${year}-12-31`, COORDINATOR.aadObjectId)).toEqual({ status: 400, body: { error: 'badRequest', field: 'from' } });
    expect(await get(`/api/tab/coordination/records?from=${year}-12-31&to=${year}-01-01`, COORDINATOR.aadObjectId)).toEqual({ status: 400, body: { error: 'badRequest', field: 'to' } });
    expect(await get(`/api/tab/coordination/records?from=${year}-01-01&to=${year}-02-30`, COORDINATOR.aadObjectId)).toEqual({ status: 400, body: { error: 'badRequest', field: 'to' } });
    expect(await get(`/api/tab/coordination/records?from=${year}-01-01`, COORDINATOR.aadObjectId)).toEqual({ status: 400, body: { error: 'badRequest', field: 'to' } });

    const exportAs = (oid: string, body: unknown) =>
      fetch(`${bot.url}/api/tab/coordination/records/export`, { method: 'POST', headers: { authorization: `Bearer ${token(oid)}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await exportAs(ORGANISER.aadObjectId, { from: `${year}-01-01`, to: `${year}-12-31`, format: 'csv' })).status).toBe(403);
    expect(await (await exportAs(COORDINATOR.aadObjectId, { from: `${year}-01-01`, to: `${year}-12-31`, format: 'pdf' })).json()).toEqual({ error: 'badRequest', field: 'format' });
    const res = await exportAs(COORDINATOR.aadObjectId, { from: `${year}-01-01`, to: `${year}-12-31`, format: 'csv' });
    expect(res.status).toBe(200);
    const link = (await res.json()) as ExportLink;
    expect(link).toEqual({ url: expect.stringMatching(/\/exports\/[A-Za-z0-9_-]{20,64}\.csv$/), fileName: `concertations_${year}-01-01_${year}-12-31.csv`, rows: 1 });
    const file = await fetch(`${bot.url}${new URL(link.url).pathname}`);
    expect(file.status).toBe(200);
    expect(await file.text()).toContain(caseId);
  });
});
