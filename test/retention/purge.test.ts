// The retention job against the test database, every document seeded through the services as the
// bot writes them: a stopped case past CASE_RETENTION_MONTHS loses every piece of personal data
// (scanned in every collection), keeps what billing and the figures need, is audited once, and
// refuses any change afterwards. Fictional people only.
import { DateTime } from 'luxon';
import { retentionEnd } from '../../domain/retention';
import { purgeOnce } from '../../jobs/purge';
import { CASE_PURGED, CaseRetention } from '../../services/caseRetention';
import { ManualClock } from '../../services/clock';
import { validAnswers } from '../support/answers';
import { RunningApp, startTestApp } from '../support/app';
import { createLogger } from '../../bot/logger';

const COORDINATOR = 'c0000000-0000-4000-8000-00000000r0c1';
const ORGANISER = { aadObjectId: 'a0000000-0000-4000-8000-00000000r0a1', teamsUserId: '29:fictional-retention-organiser', displayName: 'Olivia Organisatrice' };
const GP = { aadObjectId: 'g0000000-0000-4000-8000-00000000r0g1', teamsUserId: '29:fictional-retention-gp' };
const MONTHS = 6;

// Planted personal data: each must be gone from every collection after the purge.
const PERSON = 'Marie Plantéretention';
const CARER_PHONE = '0470 99 88 71';
const GP_NAME = 'Dr Gaby Retentiontest';
const PLACE = 'Rue Fictive-Retention 12';
const AGENDA = 'Logement de la personne (point planté)';
const PSI_NEED = 'Besoin planté retention';
const REFERENT_PHONE = '02 555 01 99';
const POLL_EXTERNAL = 'Kim Pollretention';
const POLL_COMMENT = 'commentaire planté retention';
const REQUESTER_NAME = 'Rita Requesterretention';
const REQUESTER_PHONE = '02 555 77 66';
const SELF_IDENTITY = 'Identité séparée retention';
const STOP_TEXT = 'déménagée chez sa fille retention';
const SITUATION = 'Situation plantée retention : isolement et chutes.';
const NEEDLES = [PERSON, CARER_PHONE, GP_NAME, PLACE, AGENDA, PSI_NEED, REFERENT_PHONE, POLL_EXTERNAL, POLL_COMMENT, REQUESTER_NAME, REQUESTER_PHONE, SELF_IDENTITY, STOP_TEXT, SITUATION];

describe('the retention job purges a closed case past its period', () => {
  let running: RunningApp;
  let clock: ManualClock;
  let retention: CaseRetention;
  const logger = createLogger('silent');

  beforeAll(async () => {
    clock = new ManualClock();
    running = await startTestApp({ BOOTSTRAP_COORDINATOR_IDS: COORDINATOR }, { startScheduler: false, clock });
    retention = new CaseRetention(running.app.models, clock, MONTHS);
    await running.app.services.members.addRole(ORGANISER, 'organiser', COORDINATOR, { languages: ['fr'] });
  });
  afterAll(async () => {
    await running?.close();
  });

  /** Every document of every collection, as text. */
  async function everything(): Promise<Array<{ collection: string; text: string }>> {
    const db = running.app.models.cases.db.db!;
    const out: Array<{ collection: string; text: string }> = [];
    for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
      for (const doc of await db.collection(name).find({}).toArray()) out.push({ collection: name, text: JSON.stringify(doc) });
    }
    return out;
  }
  /**
   * Where planted data still is. The professional's Teams id may stay in the audit trail only
   * (who did what: ids, never names); anywhere else it ties her to the person's case.
   */
  const sightings = async () =>
    (await everything()).flatMap(({ collection, text }) => [...NEEDLES, ...(collection === 'auditTrail' ? [] : [GP.aadObjectId])].filter((n) => text.includes(n)).map((n) => `${n} in ${collection}`));

  /** A case with personal data in every place the bot puts it, then stopped. */
  async function stoppedCase(): Promise<string> {
    const { services, models } = running.app;
    const { psi, polls, records } = services;
    const answers = { ...validAnswers({ situation: SITUATION }), requester: { name: REQUESTER_NAME, organisation: 'CPAS fictif', link: 'assistante sociale', phone: REQUESTER_PHONE, email: 'rita.retention@example.org', otherContact: '' } };
    const request = await services.requests.submit(answers, { aadObjectId: 'b0000000-0000-4000-8000-00000000r0b1', conversationId: 'a:fictional-retention-requester', locale: 'fr' });
    const id = request.trackingId;
    await services.requests.decide({ trackingId: id, status: 'yes', organiserAadObjectId: ORGANISER.aadObjectId, notes: `À rappeler : ${REQUESTER_PHONE}`, decidedBy: COORDINATOR, decidedByName: 'Coralie Coordination' });
    // A separate identity (the person or a carer asking) as models/requesterIdentity.ts keeps it.
    await models.cases.db.collection('requesterIdentities').insertOne({ _id: id as never, role: 'carer', name: SELF_IDENTITY, link: 'sa fille', phone: '', email: '', otherContact: '', createdAt: clock.now() });
    const cases = services.cases;
    expect((await cases.addParticipant(id, { role: 'personConcerned', displayName: PERSON, contact: '', relation: '' }, ORGANISER.aadObjectId)).ok).toBe(true);
    expect((await cases.addParticipant(id, { role: 'carer', displayName: 'Kim Fictif', contact: CARER_PHONE, relation: 'sa fille' }, ORGANISER.aadObjectId)).ok).toBe(true);
    expect((await cases.addParticipant(id, { role: 'referent', profile: 'gp', displayName: GP_NAME, contact: 'gp@example.org', relation: '', aadObjectId: GP.aadObjectId, teamsUserId: GP.teamsUserId }, ORGANISER.aadObjectId)).ok).toBe(true);
    const start = DateTime.fromJSDate(clock.now()).setZone('Europe/Brussels').plus({ days: 10 }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
    expect((await cases.setConcertation(id, { start: start.toJSDate(), durationMinutes: 105, place: PLACE, onlineLink: null }, ORGANISER.aadObjectId)).ok).toBe(true);
    expect((await cases.addAgendaPoint(id, AGENDA, ORGANISER.aadObjectId)).ok).toBe(true);
    const seq = (await cases.openConcertation(id))!.seq;
    expect((await cases.respondAttendance(id, seq, 'yes', GP.aadObjectId)).ok).toBe(true);
    expect((await psi.save(id, { kind: 'sections', input: { needs: PSI_NEED, referentName: GP_NAME, referentPhone: REFERENT_PHONE } }, ORGANISER.aadObjectId)).ok).toBe(true);
    expect((await psi.publish(id, ORGANISER.aadObjectId)).ok).toBe(true);
    expect((await psi.save(id, { kind: 'sections', input: { needs: `${PSI_NEED} (brouillon)` } }, ORGANISER.aadObjectId)).ok).toBe(true);
    await psi.recordAccess([{ trackingId: id, kind: 'read', channel: 'command', version: 1, aadObjectId: GP.aadObjectId }]);
    const slots = [1, 2].map((d) => ({ start: start.plus({ days: d }).toFormat("yyyy-MM-dd'T'HH:mm"), durationMinutes: 105 }));
    const poll = await polls.create(
      {
        trackingId: id,
        conversationId: null,
        organiser: { aadObjectId: ORGANISER.aadObjectId, teamsUserId: ORGANISER.teamsUserId, name: ORGANISER.displayName, email: 'olivia@example.org' },
        locale: 'fr',
        slots,
        place: { kind: 'home', details: PLACE },
        deadline: start.minus({ days: 1 }).toFormat("yyyy-MM-dd'T'HH:mm"),
        participants: [
          { aadObjectId: GP.aadObjectId, teamsUserId: GP.teamsUserId, name: GP_NAME, email: 'gp@example.org', required: true, external: false },
          { aadObjectId: null, teamsUserId: null, name: POLL_EXTERNAL, email: null, required: false, external: true },
        ],
      },
      ORGANISER.aadObjectId,
    );
    if (!poll.ok) throw new Error(JSON.stringify(poll.error));
    const answered = await polls.answer({ pollId: poll.value.pollId, participantKey: `u:${GP.aadObjectId}`, answers: { s1: 'yes', s2: 'no' }, comment: POLL_COMMENT, by: GP.aadObjectId, requestKey: `retention-${id}` });
    expect(answered.ok).toBe(true);
    // The concertation record (annex 10, billing): anonymised by design, it stays.
    const today = DateTime.fromJSDate(clock.now()).setZone('Europe/Brussels').toISODate()!;
    const saved = await records.save(id, { date: today, consentType: 'oral', preparationHours: '4', durationHours: '1.5', place: 'home', firstForOrganiser: 'yes', personPresent: 'yes', referentPresent: 'yes', professionalsPresent: '2', relativesPresent: '1', cateringCents: '0', roomCents: '0', amountsPreApproved: 'no' }, ORGANISER.aadObjectId);
    expect(saved.ok).toBe(true);
    const stop = await cases.changeStatus(id, 'stopped', ORGANISER.aadObjectId, { code: 'other', text: STOP_TEXT }, `Note : ${PERSON}`);
    expect(stop.ok).toBe(true);
    // Every planted string is somewhere before the purge (else the scan below would prove nothing).
    const before = (await everything()).map((d) => d.text).join('\n');
    for (const n of NEEDLES) expect([n, before.includes(n)]).toEqual([n, true]);
    return id;
  }

  it('keeps everything before the end of the period, purges after it, audits once, and keeps the billing record', async () => {
    const id = await stoppedCase();
    const { models } = running.app;
    const recordBefore = await models.concertationRecords.find({ trackingId: id }).lean();
    const deps = { drafts: running.app.services.drafts, reminders: running.app.services.reminders, logger, reminderRetentionDays: 90, cases: retention, now: () => clock.now() };

    const stoppedAt = (await running.app.services.cases.history(id)).at(-1)!.at;
    clock.advance(retentionEnd(stoppedAt, MONTHS).getTime() - clock.now().getTime() - 60_000);
    expect((await purgeOnce(deps)).cases).toBe(0);
    expect((await sightings()).length).toBeGreaterThan(0);

    clock.advance(120_000);
    expect((await purgeOnce(deps)).cases).toBe(1);
    expect(await sightings()).toEqual([]);

    // What billing and the figures need is still there.
    const c = (await models.cases.findOne({ trackingId: id }).lean())!;
    expect(c.purgedAt).toBeInstanceOf(Date);
    expect(c.organiserAadObjectId).toBe(ORGANISER.aadObjectId);
    expect(await models.concertationRecords.find({ trackingId: id }).lean()).toEqual(recordBefore);
    const history = await running.app.services.cases.history(id);
    expect(history.map((h) => h.to)).toEqual(['inPreparation', 'scheduled', 'stopped']);
    expect(JSON.parse(history[2].reasonJson!)).toEqual({ code: 'other', text: '' });
    const concertation = (await models.concertations.findOne({ trackingId: id }).lean())!;
    expect([concertation.durationMinutes, concertation.place]).toEqual([105, '']);
    const request = (await models.requests.findOne({ trackingId: id }).lean())!;
    expect([request.answers.person.age, request.answers.person.communeId, request.answers.requester.organisation]).toEqual([72, 'saint-gilles', 'CPAS fictif']);
    expect((await models.decisions.findOne({ trackingId: id }).lean())!.status).toBe('yes');
    for (const m of [models.caseParticipants, models.agendaPoints, models.attendance, models.polls, models.psiVersions, models.psiMessages, models.psiAccess]) {
      expect(await (m as typeof models.caseParticipants).countDocuments({ trackingId: id })).toBe(0);
    }
    expect(await models.psiDrafts.countDocuments({ _id: id })).toBe(0);
    expect(await models.cases.db.collection('requesterIdentities').countDocuments({ _id: id as never })).toBe(0);
    expect(await models.reminders.countDocuments({ subject: { $regex: `^${id}(#|$)` } })).toBe(0);

    // One audit entry, counts only.
    const audit = await models.audit.find({ subject: id, action: CASE_PURGED }).lean();
    expect(audit).toHaveLength(1);
    expect(audit[0].actor).toBe('system');
    expect(audit[0].details).toMatchObject({ retentionMonths: MONTHS, participantsByRole: { organiser: 1, personConcerned: 1, carer: 1, referent: 1 }, removed: { psiVersions: 1, psiDrafts: 1, agendaPoints: 1, polls: 1, requesterIdentities: 1 } });

    // A second run finds nothing more to do and writes nothing more.
    expect((await purgeOnce(deps)).cases).toBe(0);
    expect(await models.audit.countDocuments({ subject: id, action: CASE_PURGED })).toBe(1);
  });

  it('refuses every change to a purged case (no reactivation into an empty case), still shows it', async () => {
    const id = (await running.app.models.cases.findOne({ purgedAt: { $ne: null } }).lean())!.trackingId;
    const cases = running.app.services.cases;
    expect(await cases.changeStatus(id, 'reactivated', ORGANISER.aadObjectId)).toEqual({ ok: false, code: 'purged' });
    expect(await cases.addParticipant(id, { role: 'professional', profile: 'gp', displayName: 'Dr Nouveau', contact: '', relation: '' }, ORGANISER.aadObjectId)).toEqual({ ok: false, code: 'purged' });
    expect((await running.app.services.records.save(id, {}, ORGANISER.aadObjectId)).ok).toBe(false);
    expect((await cases.authorise(id, ORGANISER.aadObjectId, 'view')).ok).toBe(true);
    expect((await cases.authorise(id, COORDINATOR, 'view')).ok).toBe(true);
    expect((await cases.authorise(id, GP.aadObjectId, 'view')).ok).toBe(false);
  });

  it('tells whoever still has the agenda card of a purged case why it is empty, member or not', async () => {
    const c = (await running.app.models.cases.findOne({ purgedAt: { $ne: null } }).lean())!;
    const cases = running.app.services.cases;
    for (const who of [ORGANISER.aadObjectId, GP.aadObjectId, COORDINATOR]) {
      expect(await cases.agendaReader(c.trackingId, who, { conversationId: 'a:some-chat' })).toEqual({ ok: false, code: 'purged' });
    }
    // A change by someone who is no member (any more) is refused as such, not as purged.
    expect(await cases.authorise(c.trackingId, GP.aadObjectId, 'changeStatus')).toEqual({ ok: false, code: 'notAllowed' });
  });

  it('two instances purging at once write one audit entry and leave nothing behind (a case stored before purgedAt existed too)', async () => {
    const id = await stoppedCase();
    await running.app.models.cases.db.collection('cases').updateOne({ trackingId: id }, { $unset: { purgedAt: '' } });
    clock.advance(DateTime.fromJSDate(clock.now()).plus({ months: MONTHS, days: 1 }).toMillis() - clock.now().getTime());
    const other = new CaseRetention(running.app.models, clock, MONTHS);
    await Promise.all([retention.purgeDue(), other.purgeDue()]);
    expect(await running.app.models.audit.countDocuments({ subject: id, action: CASE_PURGED })).toBe(1);
    expect(await sightings()).toEqual([]);
  });

  it('never purges a case in stand-by, however long ago', async () => {
    const id = await stoppedCase();
    expect((await running.app.services.cases.changeStatus(id, 'reactivated', ORGANISER.aadObjectId)).ok).toBe(true);
    expect((await running.app.services.cases.changeStatus(id, 'standBy', ORGANISER.aadObjectId, { code: 'noImprovement' })).ok).toBe(true);
    clock.advance(DateTime.fromJSDate(clock.now()).plus({ months: MONTHS * 4 }).toMillis() - clock.now().getTime());
    await retention.purgeDue();
    expect((await running.app.models.cases.findOne({ trackingId: id }).lean())!.purgedAt).toBeNull();
    expect(await running.app.models.caseParticipants.countDocuments({ trackingId: id })).toBe(4);
  });
});
