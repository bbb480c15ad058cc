// Against the built bot (dist/bot/index.js as a child process): a case filled through
// Teams (participants, date and place, agenda, poll, PSI, record), then stopped, is purged by the
// retention job once its period is over (CASE_RETENTION_MONTHS=0, the purge every second: the bot
// has no clock to move, so the period is made zero). Then no planted string is in any collection
// or in the bot's log, the billing record stays, the purge is audited once, and the case card
// says what happened, in French and in Dutch. Fictional people only.
import type { Connection } from 'mongoose';
import { DateTime } from 'luxon';
import type { Models } from '../../models';
import { t } from '../../locales/i18n';
import { validAnswers } from '../support/answers';
import { testMongoUri, uniqueDbName } from '../support/db';
import { FakeConnector } from '../support/fakeConnector';
import { createData, localIn, until } from '../polls/support';
import { collectionsOf, sightingsIn } from './privacyScan';
import { BuiltBot, buildOnce, startBuiltBot } from './builtBot';
import { openTestDatabase, stopWithTestDatabase } from './botRun';
import { Card, choicesOf, Conversation, TeamsClient, textOf, User } from './teamsClient';

jest.setTimeout(120_000);

/**
 * Does `act` until `done` holds (at most 5 times). The roster reads behind adding a Teams member
 * and creating a poll give up after a few seconds on a loaded machine (best effort by design).
 */
async function until5(what: string, act: () => Promise<unknown>, done: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 5 && !(await done()); i++) await act();
  if (!(await done())) throw new Error(`not done after 5 tries: ${what}`);
}

const aad = (n: number) => `00000000-0000-4000-8000-${String(820000 + n).padStart(12, '0')}`;
const ORGANISER: User = { id: '29:retention-organiser', aadObjectId: aad(1), name: 'Olivia Organisatrice', locale: 'fr-BE' };
const COORDINATOR: User = { id: '29:retention-coordinator', aadObjectId: aad(2), name: 'Kees Coördinatie', locale: 'nl-BE' };
const GP: User = { id: '29:retention-gp', aadObjectId: aad(3), name: 'Dr Gaby Retentiegeval', locale: 'fr-BE' };
const CHAT: Conversation = { id: '19:retention-case-chat@thread.v2', conversationType: 'groupChat' };
const COORDINATION: Conversation = { id: '19:retention-coordination@thread.v2', conversationType: 'groupChat' };
const personal = (u: User): Conversation => ({ id: `a:retention-personal-${u.aadObjectId}`, conversationType: 'personal' });

// Planted personal data, one string per place the bot keeps it.
const PERSON = 'Marie Plantéretention';
const PERSON_PHONE = '0470 99 88 72';
const PLACE = 'Rue Fictive-Retention 14';
const AGENDA = 'Logement (point planté retention)';
const POLL_EXTERNAL = 'Kim Pollretention';
const POLL_COMMENT = 'commentaire planté retention';
const PSI_NEED = 'Besoin planté retention';
const REFERENT_PHONE = '02 555 01 98';
const STOP_TEXT = 'déménagée chez sa fille retention';
const STOP_NOTE = 'note plantée retention';
const REQUESTER_NAME = 'Rita Requesterretention';
const REQUESTER_PHONE = '02 555 77 65';
const SITUATION = 'Situation plantée retention : isolement et chutes.';
const NEEDLES = [PERSON, PERSON_PHONE, PLACE, AGENDA, POLL_EXTERNAL, POLL_COMMENT, PSI_NEED, REFERENT_PHONE, STOP_TEXT, STOP_NOTE, REQUESTER_NAME, REQUESTER_PHONE, SITUATION, GP.name];

describe('the built bot purges a closed case after its retention period', () => {
  let bot: BuiltBot;
  let connector: FakeConnector;
  let client: TeamsClient;
  let conn: Connection;
  let models: Models;
  const dbName = uniqueDbName('retention');
  const trackingId = 'CMD-2026-0821';

  // Compiling is slow on a loaded machine: its own time budget, apart from starting and seeding.
  beforeAll(() => buildOnce(), 300_000);
  beforeAll(async () => {
    connector = await FakeConnector.start();
    connector.setMembers([ORGANISER, GP].map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name, email: `${u.id.slice(3)}@example.org` })));
    bot = await startBuiltBot({ MONGODB_URI: testMongoUri(), DB_NAME: dbName, BOOTSTRAP_COORDINATOR_IDS: COORDINATOR.aadObjectId, CASE_RETENTION_MONTHS: '0', RETENTION_PURGE_EVERY: '1 second' });
    client = new TeamsClient(bot.url, connector);
    ({ conn, models } = await openTestDatabase(dbName));
  });
  afterAll(() => stopWithTestDatabase({ bot, conn, connector }));

  /** Each planted string with the collections it is in (the professional's Teams id may stay in the audit trail only). */
  async function sightings(): Promise<string[]> {
    const where = sightingsIn(await collectionsOf(conn.db!), [...NEEDLES, GP.aadObjectId]).filter((w) => !(w.needle === GP.aadObjectId && w.collection === 'auditTrail'));
    return [...new Set(where.map((w) => `${w.needle} in ${w.collection}`))];
  }

  it('removes every personal datum, keeps the billing record, audits once and shows the purged case in FR and NL', async () => {
    // The anonymous request and its admission (the sheet itself is the request feature's story).
    const answers = { ...validAnswers({ situation: SITUATION }), requester: { name: REQUESTER_NAME, organisation: 'CPAS fictif', link: 'assistante sociale', phone: REQUESTER_PHONE, email: 'rita.retention@example.org', otherContact: '' } };
    await models.requests.create({ trackingId, year: 2026, seq: 821, requesterAadObjectId: aad(9), requesterConversationId: 'a:retention-requester', locale: 'fr', answers, suggestion: { verdict: 'eligible', reasons: [] }, status: 'admitted', triageConversationId: COORDINATION.id, triageActivityId: 'retention-triage-card', submittedAt: new Date() } as never);
    await models.decisions.create({ trackingId, status: 'yes', organiserAadObjectId: ORGANISER.aadObjectId, notes: `Rappeler ${REQUESTER_PHONE}`, decidedBy: COORDINATOR.aadObjectId, decidedByName: COORDINATOR.name, decidedAt: new Date() });

    // The coordination's chat, where the triage card of the request was posted (the bot knows it from a message there).
    await client.say(COORDINATOR, COORDINATION, 'hulp');
    // Through Teams: the case's chat, its people, date and place, agenda, poll, PSI, record, stop.
    expect(textOf(await client.say(ORGANISER, CHAT, `lier dossier ${trackingId}`))).toContain(trackingId);
    const org = (verb: string, data: Record<string, unknown>, where = personal(ORGANISER)) => client.execute(ORGANISER, where, verb, { trackingId, ...data });
    expect((await org('case.addParticipant', { pRole: 'personConcerned', pName: PERSON, pContact: PERSON_PHONE })).card).toBeDefined();
    await until5('the GP as referent', () => org('case.addParticipant', { pRole: 'referent', pProfile: 'gp', pTeamsUser: GP.aadObjectId }), () => models.caseParticipants.findOne({ trackingId, aadObjectId: GP.aadObjectId }).lean());
    const day = localIn(10, 10);
    expect(textOf((await org('case.schedule', { sDate: day.date, sTime: day.time, sDuration: '105', sPlace: PLACE, sLink: '' })).card)).toContain(PLACE);
    expect(textOf((await org('agenda.addPoint', { newPoint: AGENDA }, CHAT)).card)).toContain(AGENDA);
    const create = createData(trackingId, { slots: [localIn(11, 10), localIn(12, 14)], deadline: localIn(9, 18), members: [GP.aadObjectId], externalsRequired: POLL_EXTERNAL });
    await until5('the poll', () => client.execute(ORGANISER, CHAT, 'poll.create', create), () => models.polls.findOne({ trackingId, 'participants.aadObjectId': GP.aadObjectId }).lean());
    const pollId = (await models.polls.findOne({ trackingId, 'participants.aadObjectId': GP.aadObjectId }).lean())!.pollId;
    expect((await client.execute(GP, CHAT, 'poll.answer', { pollId, slot_s1: 'yes', slot_s2: 'no', comment: POLL_COMMENT })).card).toBeDefined();
    let psi: Card = (await client.say(ORGANISER, CHAT, `psi ${trackingId}`)).cards[0];
    const psiStep = async (verb: string, inputs: Record<string, unknown> = {}) => {
      const res = await client.click(ORGANISER, CHAT, psi, verb, inputs);
      if (!res.card) throw new Error(`${verb}: ${res.message ?? 'no card'}`);
      psi = res.card;
    };
    await psiStep('psi.edit');
    await psiStep('psi.saveSections', { needs: PSI_NEED, objectives: '', projects: '', avoid: '', limits: '', referentName: GP.name, referentPhone: REFERENT_PHONE, referentAddress: '', referentPlace: '', noteText: '', noteDate: '', nextDate: '', periodicity: choicesOf(psi, 'periodicity')[0] ?? '' });
    await psiStep('psi.publish');
    const today = DateTime.now().setZone('Europe/Brussels').toISODate()!;
    const record = { date: today, consentType: 'oral', preparationHours: '4', durationHours: '1.5', place: 'home', firstForOrganiser: 'yes', personPresent: 'yes', referentPresent: 'yes', professionalsPresent: '1', relativesPresent: '0', cateringCents: '0', roomCents: '0', amountsPreApproved: 'no' };
    expect(textOf((await org('record.save', record)).card)).toContain('216,39');
    // Every planted string is stored somewhere before the stop (else the scan would prove nothing);
    // the stop's reason and note come with the stop itself (shown on the card it answers with).
    const before = await sightings();
    expect(NEEDLES.filter((n) => n !== STOP_TEXT && n !== STOP_NOTE && !before.some((x) => x.startsWith(`${n} in `)))).toEqual([]);
    expect(await models.cases.countDocuments({ trackingId, purgedAt: null })).toBe(1);

    // The cards the bot posted in Teams for the case: the coordination's triage card, the agenda, the PSI, the poll.
    const posted = [
      'retention-triage-card',
      ...(await models.concertations.find({ trackingId }).lean()).map((c) => c.agendaActivityId),
      ...(await models.psiMessages.find({ trackingId }).lean()).map((m) => m.activityId),
      (await models.polls.findOne({ trackingId }).sort({ rev: -1 }).lean())!.activityId,
    ].filter((id): id is string => Boolean(id));
    expect(posted.length).toBeGreaterThanOrEqual(4);

    const stopped = await org('case.status', { statusTo: 'stopped', reason: 'other', reasonText: STOP_TEXT, statusNote: STOP_NOTE });
    for (const shown of [t('fr', 'cases.status.stopped'), STOP_TEXT, STOP_NOTE]) expect(textOf(stopped.card)).toContain(shown);

    // The purge job runs every second: wait for the case's purge mark, then look everywhere.
    const purged = await until(async () => (await models.cases.findOne({ trackingId }).lean())?.purgedAt, 'the purge of the stopped case', 20_000);
    expect(purged).toBeInstanceOf(Date);
    expect(await sightings()).toEqual([]);
    expect(bot.logs.filter((l) => NEEDLES.some((n) => JSON.stringify(l).includes(n)))).toEqual([]);

    // In Teams, each posted card was replaced by a notice in the case's language, without its content.
    const notice = t('fr', 'cases.purged.posted', { trackingId });
    for (const activityId of posted) {
      const last = connector.requests.filter((r) => r.operation === 'update' && r.activityId === activityId && r.status === 200).at(-1);
      expect([activityId, (last?.body as { text?: string } | undefined)?.text]).toEqual([activityId, notice]);
      for (const n of NEEDLES) expect(textOf(last?.body)).not.toContain(n);
    }

    // Kept: the billing record as saved, the status codes, the dates; one audit entry, counts only.
    const records = await models.concertationRecords.find({ trackingId }).lean();
    expect(records).toHaveLength(1);
    expect(JSON.parse(records[0].dataJson)).toMatchObject({ date: today, professionalsPresent: 1, personPresent: true });
    expect((await models.caseStatusEvents.find({ trackingId }).sort({ seq: 1 }).lean()).map((e) => e.to)).toEqual(['inPreparation', 'scheduled', 'stopped']);
    const audit = await models.audit.find({ subject: trackingId, action: 'case.purged' }).lean();
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toMatchObject({ retentionMonths: 0, participantsByRole: { organiser: 1, personConcerned: 1, referent: 1 }, removed: { polls: 1, psiVersions: 1, agendaPoints: 1 } });

    // The case card: the organiser (French) and the coordination (Dutch) see the purged state.
    const fr = await client.execute(ORGANISER, personal(ORGANISER), 'case.open', { trackingId });
    expect(textOf(fr.card)).toContain('Dossier clôturé : ses données personnelles');
    const nl = await client.execute(COORDINATOR, personal(COORDINATOR), 'case.open', { trackingId });
    expect(textOf(nl.card)).toContain('Afgesloten dossier: de persoonsgegevens');
    for (const card of [fr.card, nl.card]) for (const n of NEEDLES) expect(textOf(card)).not.toContain(n);
    // No change is possible any more, and the agenda card in the chat says why it is empty.
    expect((await org('case.status', { statusTo: 'reactivated' })).message).toBe(t('fr', 'cases.error.purged'));
    expect((await client.execute(GP, CHAT, 'agenda.refresh', { trackingId })).message).toBe(t('fr', 'cases.error.purged'));
    expect(textOf(await client.say(ORGANISER, personal(ORGANISER), `nouveau sondage ${trackingId}`))).toContain(t('fr', 'cases.error.purged'));
    expect(client.problems).toEqual([]);
    expect(bot.errors()).toEqual([]);
  });
});
