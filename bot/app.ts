// Composition root: wires database, storage, state, features, scheduler and HTTP server.
// Used by bot/index.ts (the process) and by tests (several instances on one database).
import { CardFactory, ConversationState, UserState } from 'botbuilder';
import { planPollCard } from '../cards/poll';
import { t, toSupportedLocale } from '../locales/i18n';
import type { Reminder } from '../models/reminder';
import type { Connection } from 'mongoose';
import { createScheduler, Scheduler } from '../jobs/scheduler';
import { connectDatabase, isDatabaseKnownDown, nativeDb, pingDatabase } from '../models/db';
import { createModels, initModels, Models } from '../models';
import { Clock, systemClock } from '../services/clock';
import { DraftStore } from '../services/drafts';
import { MemberService } from '../services/members';
import { RequestService } from '../services/requests';
import { SettingsService } from '../services/settings';
import { ReminderService } from '../services/reminders';
import { defineReminderJobs, ReminderDispatcher } from '../jobs/reminders';
import { definePurgeJob } from '../jobs/purge';
import { CaseRetention } from '../services/caseRetention';
import { organiserContact, ReminderFeature } from './features/reminders';
import { PoolFeature } from './features/pool';
import { Coordination } from './features/coordination';
import { RequestFeature } from './features/requests';
import { TriageFeature } from './features/triage';
import { CaseFeature, replacePurgedCards } from './features/cases';
import { CaseService } from '../services/cases';
import { CaseReminderPlanner } from '../services/reminderPlanning';
import { PsiReminderPlanner } from '../services/psiReminders';
import { PollReminderPlanner } from '../services/pollReminders';
import { PsiService } from '../services/psi';
import { PsiFeature } from './features/psi';
import feesConfig from '../config/fees.json';
import type { FeeSchedule } from '../domain/fees';
import { EventBus, subjectOf } from '../services/events';
import { RecordService } from '../services/records';
import { RecordFeature, registerExportDownloads } from './features/records';
import { ConcertationFixed, PollService } from '../services/polls';
import { definePollJobs } from '../jobs/polls';
import { PollFeature } from './features/polls';
import { SendRateLimiter } from './outbound/rateLimiter';
import { ProactiveMessenger, ProactiveOptions } from './proactive';
import { createAdapter } from './adapter';
import { ActivityDedupe, SEEN_ACTIVITY_RETENTION_MS } from './dedupe';
import type { AppConfig } from './config';
import { ConversationReferences } from './conversationReferences';
import type { Logger } from './logger';
import { MongoStorage } from './mongoStorage';
import { BotServer, createServer } from './server';
import { ConcertationBot } from './teamsBot';

export interface App {
  config: AppConfig;
  conn: Connection;
  bot: ConcertationBot;
  storage: MongoStorage;
  scheduler: Scheduler;
  http: BotServer;
  references: ConversationReferences;
  models: Models;
  services: {
    drafts: DraftStore;
    requests: RequestService;
    members: MemberService;
    settings: SettingsService;
    reminders: ReminderService;
    cases: CaseService;
    polls: PollService;
    psi: PsiService;
    records: RecordService;
  };
  /** What the services say happened; listeners are wired here (reminders, cards, notices). */
  events: EventBus;
  features: { requests: RequestFeature; cases: CaseFeature; polls: PollFeature; psi: PsiFeature };
  messenger: ProactiveMessenger;
  /** Scheduled jobs, which tests may also run directly. */
  jobs: { reminders: ReminderDispatcher; closeDuePolls(): Promise<number> };
  clock: Clock;
  /** Starts listening; resolves with the bound port. */
  listen(port?: number): Promise<number>;
  /** Graceful stop: refuse new requests, finish in-flight turns, stop jobs, close the database. */
  close(): Promise<void>;
}

export interface AppOptions {
  config: AppConfig;
  mongodbUri: string;
  logger: Logger;
  startScheduler?: boolean;
  clock?: Clock;
  proactive?: ProactiveOptions;
}

export async function createApp(options: AppOptions): Promise<App> {
  const { config, logger } = options;
  const conn = await connectDatabase(options.mongodbUri, config.dbName);
  const db = nativeDb(conn);

  const storage = new MongoStorage(db);
  await storage.ensureIndexes();
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const models = createModels(conn);
  await initModels(models);
  const clock = options.clock ?? systemClock;
  const references = new ConversationReferences(models.conversationReferences);
  // One failure policy for every listener: logged and audited (ids only), the action stands.
  const events = new EventBus(async (event, payload, err) => {
    const error = (err as Error)?.name ?? 'Error';
    logger.error({ event: 'event.listenerFailed', domainEvent: event, err: error }, 'event listener failed');
    await models.audit.create({ at: clock.now(), actor: 'system', action: 'event.listenerFailed', subject: subjectOf(payload), details: { event, error } });
  });
  const services = {
    drafts: new DraftStore(models.drafts, clock, config.draftExpiryDays),
    requests: new RequestService(models.requests, models.decisions, models.audit, clock, events),
    members: new MemberService(models.members, models.audit, clock, config.bootstrapCoordinatorIds),
    settings: new SettingsService(models.settings, clock),
    reminders: new ReminderService(models.reminders, models.reminderClaims, models.reminderOutcomes, models.audit, clock, { leaseMs: config.reminderClaimLeaseSeconds * 1000 }),
  };
  await services.members.bootstrap();
  // The case opens when the coordination admits a request (idempotent; CaseService.get also opens it lazily).
  const cases = new CaseService(models, services.members, clock, events);
  events.on('request.decided', (decision) => cases.createFromDecision(decision));
  // Case → reminders (issues 5 and 6): meeting reminders follow the date, participants and per-case
  // offsets; stand-by plans the organiser's review, re-activation cancels it, stop cancels everything.
  // What every reminder planner needs: the engine, a recipient's language (from their 1:1 chat), time.
  const planning = {
    cases,
    reminders: services.reminders,
    reminderModel: models.reminders,
    // The member's preferred language (pool, last language used) wins over their 1:1 chat's.
    localeOf: async (aad: string) => services.members.localeOf(aad, (await references.personalFor(aad))?.locale as string | undefined),
    clock,
    defaultLocale: config.defaultLocale,
    log: logger,
  };
  const caseReminders = new CaseReminderPlanner(planning);
  events.on('case.participantAdded', (e) => caseReminders.replanMeeting(e.trackingId, e.by));
  events.on('case.reminderOffsetsChanged', (e) => caseReminders.replanMeeting(e.trackingId, e.by));
  events.on('case.scheduleChanged', (e) => caseReminders.replanMeeting(e.trackingId, e.by));
  events.on('case.statusChanged', (e) => caseReminders.onStatusChanged(e));
  events.on('case.participantRemoved', (e) => caseReminders.onParticipantRemoved(e));
  const psiService = new PsiService(models, cases, clock, events);
  // The référent's follow-up before the next concertation, the actions' due dates.
  const psiReminders = new PsiReminderPlanner({ ...planning, psi: psiService });
  events.on('psi.saved', (e) => psiReminders.onPsiSaved(e.trackingId, e.version.authorAadObjectId));
  const recordService = new RecordService(models, cases, services.members, feesConfig.schedules as FeeSchedule[], clock);

  const scheduler = createScheduler(db, { processEvery: config.schedulerProcessEvery, lockLifetime: config.schedulerLockLifetime });
  const adapter = createAdapter(config, logger);
  const dedupe = new ActivityDedupe(models.seenActivities, logger, { defaultLocale: config.defaultLocale, now: () => clock.now() });
  adapter.use(dedupe); // a redelivered activity (same id) is processed once: bot/dedupe.ts
  const messenger = new ProactiveMessenger(adapter, config.microsoftAppId, references, new SendRateLimiter({ global: [{ limit: config.outboundGlobalPerSecond, windowMs: 1000 }] }), logger, options.proactive);
  const contactOf = (aad: string) => organiserContact(services.members, references, aad, config.defaultLocale);
  const reminderDispatcher = new ReminderDispatcher({
    reminders: services.reminders,
    messenger,
    clock,
    logger,
    organiserContact: contactOf,
    preferredLocales: (ids) => services.members.preferredLocales(ids),
    lateGraceMs: config.reminderLateGraceMinutes * 60_000,
  });
  const reminderJobs = defineReminderJobs(scheduler, reminderDispatcher, { every: config.reminderDispatchEvery });
  const caseRetention = new CaseRetention(models, clock, config.caseRetentionMonths, (trackingId, locale, cards) => replacePurgedCards(messenger, logger, trackingId, locale, cards));
  const purgeJob = definePurgeJob(scheduler, { drafts: services.drafts, reminders: services.reminders, botState: storage, seenActivities: dedupe, seenRetentionMs: SEEN_ACTIVITY_RETENTION_MS, cases: caseRetention, now: () => clock.now(), logger, reminderRetentionDays: config.reminderRetentionDays }, config.retentionPurgeEvery);
  const pollService = new PollService(models.polls, models.pollAnswers, models.pollNotices, clock, events);
  // The deadline reminder to the Teams non-respondents, cancelled by an answer or the end of the poll.
  const pollReminders = new PollReminderPlanner({ ...planning, polls: pollService });
  events.on('poll.changed', (e) => pollReminders.onPollChanged(e));
  // The poll's final choice gives the case its concertation date and place (agenda card and meeting
  // reminders follow through the case's own hooks). A cancelled choice leaves the case to the organiser.
  const onConcertationFixed = async (fixed: ConcertationFixed, by: string) => {
    if (fixed.cancelled) return;
    const link = /^https:\/\/\S+$/.test(fixed.place.details.trim()) ? fixed.place.details.trim() : null;
    // Without details the case shows the kind of place in words, in the case's language (never a code).
    const caseLocale = toSupportedLocale((await cases.get(fixed.trackingId))?.locale) ?? config.defaultLocale;
    const place = fixed.place.kind === 'online' && link ? 'Teams' : fixed.place.details.trim() || t(caseLocale, `poll.place.${fixed.place.kind}`);
    const result = await cases.setConcertation(fixed.trackingId, { start: fixed.start, durationMinutes: fixed.slot.durationMinutes, place, onlineLink: link }, by);
    if (!result.ok) logger.warn({ trackingId: fixed.trackingId, code: result.code }, 'poll decision not applied to the case');
  };
  const pollFeature = new PollFeature({ polls: pollService, requests: services.requests, members: services.members, references, messenger, clock, logger, defaultLocale: config.defaultLocale, onConcertationFixed, cases });
  const pollJobs = definePollJobs(scheduler, { polls: pollService, onClosed: (poll) => pollFeature.onAutoClosed(poll) }, { every: config.schedulerProcessEvery });

  // "Plan a concertation" on a follow-up reminder: the case conversation gets a button that opens the
  // availability poll there (the organiser clicks it). No linked conversation: the organiser is told 1:1.
  const onPlanConcertation = async (reminder: Reminder): Promise<boolean> => {
    const trackingId = reminder.subject.split('#')[0];
    const c = await cases.get(trackingId);
    if (!c?.conversationId) return false;
    if (!(await services.reminders.once(reminder.key, 'planConcertation'))) return true;
    const locale = toSupportedLocale(c.locale) ?? config.defaultLocale;
    const res = await messenger.send(c.conversationId, { attachments: [CardFactory.adaptiveCard(planPollCard(trackingId, locale))] });
    if (!res.ok) await services.reminders.releaseOnce(reminder.key, 'planConcertation');
    return res.ok;
  };
  const psiFeature = new PsiFeature({ psi: psiService, cases, messenger, adapter, botAppId: config.microsoftAppId, references, logger });
  const coordination = new Coordination({ ...services, references, messenger, defaultLocale: config.defaultLocale, logger });
  const requestFeature = new RequestFeature({ ...services, coordination, messenger, clock, draftExpiryDays: config.draftExpiryDays, logger });
  // A new or moved date: the requester learns it (tracking id only).
  events.on('case.scheduleChanged', (e) => requestFeature.notifyRequesterDateFixed(e.trackingId, e.concertation.start));
  const caseFeature = new CaseFeature({ cases, members: services.members, references, messenger, adapter, botAppId: config.microsoftAppId, logger });
  // Every change that shows on the agenda card updates it, whoever made it (the organiser, the poll).
  events.on('case.agendaChanged', (e) => caseFeature.refreshAgenda(e.trackingId));
  // The PSI cards follow each publish, and whoever lost the person's consent loses the content at once.
  events.on('psi.changed', (e) => psiFeature.distribute(e.trackingId));
  events.on('psi.consentChanged', (e) => psiFeature.distribute(e.trackingId));
  const features = [
    requestFeature,
    new TriageFeature({ ...services, coordination }),
    new PoolFeature({ members: services.members, requests: services.requests }),
    caseFeature,
    new ReminderFeature({ reminders: services.reminders, members: services.members, cases, references, messenger, logger, defaultLocale: config.defaultLocale, onPlanConcertation }),
    pollFeature,
    psiFeature,
    new RecordFeature({ records: recordService, cases, members: services.members, feeSchedules: feesConfig.schedules as FeeSchedule[], clock, publicBaseUrl: config.publicBaseUrl || `http://localhost:${config.port}`, logger }),
  ];
  const bot = new ConcertationBot({
    noteLocale: (aad, locale) => services.members.notePreferredLocale(aad, locale),
    conversationState,
    userState,
    references,
    logger,
    defaultLocale: config.defaultLocale,
    features,
    // Someone joining a case conversation may be someone the person does not share her PSI with.
    onMembersJoined: (conversationId) => psiFeature.onMembersAdded(conversationId),
  });
  const http = createServer({
    config,
    adapter,
    bot,
    logger,
    health: async () => ({
      db: (await pingDatabase(conn)) ? 'up' : 'down',
      scheduler: scheduler.isRunning() ? 'running' : 'stopped',
    }),
    databaseKnownDown: () => isDatabaseKnownDown(conn),
  });

  registerExportDownloads(http.server, recordService, logger);

  if (options.startScheduler !== false) {
    await scheduler.start();
    await reminderJobs.schedule();
    await purgeJob.schedule();
    await pollJobs.schedule();
  }

  let closed = false;
  return {
    config,
    conn,
    bot,
    storage,
    scheduler,
    http,
    references,
    models,
    services: { ...services, cases, polls: pollService, psi: psiService, records: recordService },
    events,
    features: { requests: requestFeature, cases: caseFeature, polls: pollFeature, psi: psiFeature },
    messenger,
    jobs: { reminders: reminderDispatcher, closeDuePolls: pollJobs.runOnce },
    clock,
    listen: (port = config.port) =>
      new Promise((resolve, reject) => {
        http.server.once('error', reject);
        http.server.listen(port, '0.0.0.0', () => resolve(http.server.address().port));
      }),
    close: async () => {
      if (closed) return;
      closed = true;
      await http.drain(config.shutdownTimeoutMs);
      await scheduler.stop().catch((err) => logger.warn({ err: (err as Error).message }, 'scheduler stop failed'));
      await conn.close();
    },
  };
}
