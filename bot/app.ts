// Composition root: wires database, storage, state, features, scheduler and HTTP server.
// Used by bot/index.ts (the process) and by tests (several instances on one database).
import { ConversationState, UserState } from 'botbuilder';
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
import { CaseRetention, purgedCardsReplacer } from '../services/caseRetention';
import { ReminderFeature } from './features/reminders';
import { organiserContact, teamsReminderMessenger } from './reminderMessenger';
import { PoolFeature } from './features/pool';
import { Coordination } from './features/coordination';
import { RequestFeature } from './features/requests';
import { TriageFeature } from './features/triage';
import { CaseFeature } from './features/cases';
import { AgendaFeature } from './features/agenda/agendaFeature';
import { CaseService } from '../services/cases';
import { CaseReminderPlanner } from '../services/reminderPlanning';
import { PsiReminderPlanner } from '../services/psiReminders';
import { PollReminderPlanner } from '../services/pollReminders';
import { PsiService } from '../services/psi';
import { PsiFeatures } from './features/psi';
import feesConfig from '../config/fees.json';
import type { FeeSchedule } from '../domain/fees';
import { EventBus, subjectOf } from '../services/events';
import { RecordService } from '../services/records';
import { RecordFeature, registerExportDownloads } from './features/records';
import { ActivityReportService } from '../services/activityReport';
import { ReportFeature } from './features/report';
import { DashboardService } from '../services/dashboard';
import { registerTab } from './tab/routes';
import { PollService } from '../services/polls';
import { PollAccess } from '../services/pollAccess';
import { caseConcertationFromPoll } from '../services/pollConcertation';
import { definePollJobs } from '../jobs/polls';
import { PollFeatures } from './features/polls';
import { SendRateLimiter } from './outbound/rateLimiter';
import { ProactiveMessenger, ProactiveOptions } from './proactive';
import { createAdapter } from './adapter';
import { ActivityDedupe, SEEN_ACTIVITY_RETENTION_MS } from './dedupe';
import { AppConfig, publicBaseOf } from './config';
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
  features: { requests: RequestFeature; cases: CaseFeature; agenda: AgendaFeature; polls: PollFeatures; psi: PsiFeatures };
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
  // Case → reminders: meeting reminders follow the date, participants and per-case offsets;
  // stand-by plans the organiser's review, re-activation cancels it, stop cancels everything.
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
    reminders: services.reminders.delivery,
    messenger: teamsReminderMessenger(messenger, contactOf),
    clock,
    logger,
    preferredLocales: (ids) => services.members.preferredLocales(ids),
    lateGraceMs: config.reminderLateGraceMinutes * 60_000,
  });
  const reminderJobs = defineReminderJobs(scheduler, reminderDispatcher, { every: config.reminderDispatchEvery });
  const caseRetention = new CaseRetention(models, clock, config.caseRetentionMonths, purgedCardsReplacer(messenger, logger));
  const purgeJob = definePurgeJob(scheduler, { drafts: services.drafts, reminders: services.reminders, botState: storage, seenActivities: dedupe, seenRetentionMs: SEEN_ACTIVITY_RETENTION_MS, cases: caseRetention, now: () => clock.now(), logger, reminderRetentionDays: config.reminderRetentionDays }, config.retentionPurgeEvery);
  const pollService = new PollService(models.polls, models.pollAnswers, models.pollNotices, clock, events);
  // The deadline reminder to the Teams non-respondents, cancelled by an answer or the end of the poll.
  const pollReminders = new PollReminderPlanner({ ...planning, polls: pollService });
  events.on('poll.changed', (e) => pollReminders.onPollChanged(e));
  const applyPollDecision = caseConcertationFromPoll({ cases, defaultLocale: config.defaultLocale, log: logger });
  const pollAccess = new PollAccess({ cases, requests: services.requests, members: services.members });
  const pollFeatures = new PollFeatures({ polls: pollService, access: pollAccess, members: services.members, references, messenger, clock, logger, defaultLocale: config.defaultLocale, cases });
  // The poll's decision gives the case its date and place (agenda card, reminders and the requester's
  // notice follow through the case's own events), after the click has answered: a slow Teams must
  // not hold the organiser's click.
  events.on('poll.concertationFixed', (e) => pollFeatures.afterClick('poll.caseDate', e.fixed.pollId, () => applyPollDecision(e)));
  const pollJobs = definePollJobs(scheduler, { polls: pollService, onClosed: (poll) => pollFeatures.onAutoClosed(poll) }, { every: config.schedulerProcessEvery });

  const psiFeatures = new PsiFeatures({ psi: psiService, cases, messenger, adapter, botAppId: config.microsoftAppId, references, logger });
  const coordination = new Coordination({ ...services, references, messenger, defaultLocale: config.defaultLocale, logger });
  const requestFeature = new RequestFeature({ ...services, coordination, messenger, clock, draftExpiryDays: config.draftExpiryDays, logger });
  // A new or moved date: the requester learns it (tracking id only).
  events.on('case.scheduleChanged', (e) => requestFeature.notifyRequesterDateFixed(e.trackingId, e.concertation.start));
  const caseFeature = new CaseFeature({ cases, members: services.members, references, adapter, botAppId: config.microsoftAppId, logger });
  const agendaFeature = new AgendaFeature({ cases, members: services.members, messenger, logger });
  // Every change that shows on the agenda card updates it, whoever made it (the organiser, the poll).
  events.on('case.agendaChanged', (e) => agendaFeature.cards.refresh(e.trackingId));
  // The PSI cards follow each publish, and whoever lost the person's consent loses the content at once.
  events.on('psi.changed', (e) => psiFeatures.distribution.distribute(e.trackingId));
  events.on('psi.consentChanged', (e) => psiFeatures.distribution.distribute(e.trackingId));
  const features = [
    requestFeature,
    new TriageFeature({ ...services, coordination }),
    new PoolFeature({ members: services.members, requests: services.requests }),
    caseFeature,
    agendaFeature,
    new ReminderFeature({ reminders: services.reminders, members: services.members, cases, references, messenger, defaultLocale: config.defaultLocale }),
    ...pollFeatures.all,
    ...psiFeatures.routed,
    new RecordFeature({ records: recordService, cases, clock, publicBase: publicBaseOf(config), logger }),
    new ReportFeature({ reports: new ActivityReportService(models, services.members, clock), publicBase: publicBaseOf(config), reminderRetentionDays: config.reminderRetentionDays }),
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
    onMembersJoined: (conversationId) => psiFeatures.distribution.onMembersAdded(conversationId),
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
  const dashboard = new DashboardService({ cases, polls: pollService, psi: psiService, reminders: services.reminders, requests: services.requests, members: services.members, clock });
  registerTab(http.server, { config, dashboard, records: recordService, members: services.members, logger });

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
    features: { requests: requestFeature, cases: caseFeature, agenda: agendaFeature, polls: pollFeatures, psi: psiFeatures },
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
