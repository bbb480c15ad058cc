// The shared harness of the HTTP suites: fictional people, the conversations they write in, Teams
// activities posted to a running bot, and the few facts most suites start from (an organiser in
// the pool, an admitted case, its participants).
//
//   const bot = useTestBot({ organisers: [ORGANISER] });           // one app for the file
//   it('…', async () => {
//     const caseId = await bot.admittedCase();
//     const res = await bot.invoke('case.open', { trackingId: caseId }, ORGANISER);
//     await bot.say(`lier dossier ${caseId}`, ORGANISER, group('case'));
//   });
//
// `say` types a message (replies come back in the HTTP response), `invoke` clicks an Action.Execute
// button (the invoke response is the body), `submit` clicks an Action.Submit button (a message
// carrying the card's values). Each defaults to the person's 1:1 chat with the bot, in French.
//
// Each test must run alone (`npx jest <file> -t '<name>'`): a test that needs an earlier state
// (a linked chat, a published PSI, an answered poll) calls a `given…()` step of its suite that
// plays those clicks, rather than relying on an earlier test. `useTestBot({ each: 'app' })` gives
// each test a new app and database when the state cannot be kept apart by case.
import type { App } from '../../bot/app';
import type { Clock } from '../../services/clock';
import type { AdmissibilityAnswers } from '../../domain/admissibility';
import { post, PostResult, RunningApp, startTestApp, teamsMessage } from './app';
import { validAnswers } from './answers';
import { FakeConnector } from './fakeConnector';

export const TENANT = '11111111-1111-4111-8111-111111111111';

// A type (not an interface) so a persona passes where an activity's plain `from` object is expected.
export type Persona = {
  id: string;
  aadObjectId: string;
  name: string;
  email?: string;
};

const person = (slug: string, aadObjectId: string, name: string): Persona => ({ id: `29:fictional-${slug}`, aadObjectId, name });

export const COORDINATOR = person('coordinator', 'c0000000-0000-4000-8000-0000000000c1', 'Coralie Coordination');
export const COORDINATOR_2 = person('coordinator-2', 'c0000000-0000-4000-8000-0000000000c2', 'Cas Coördinatie');
export const ORGANISER = person('organiser', 'a0000000-0000-4000-8000-0000000000a1', 'Olivia Organisatrice');
export const ORGANISER_2 = person('organiser-2', 'a0000000-0000-4000-8000-0000000000a2', 'Oscar Organisateur');
export const REFERENT = person('referent', 'd0000000-0000-4000-8000-0000000000d1', 'Remi Referent');
export const GP = person('gp', 'f0000000-0000-4000-8000-0000000000f1', 'Dr Gaby Test');
export const NURSE = person('nurse', 'b0000000-0000-4000-8000-0000000000b2', 'Nina Test');
export const OUTSIDER = person('outsider', 'e0000000-0000-4000-8000-0000000000e1', 'Eve Extern');
export const REQUESTER = { ...person('requester', '90000000-0000-4000-8000-000000000091', 'Alex Test'), email: 'alex.test@example.org' };

/** The people a transcript names with `as:` (lower case, as a reader would write them). */
export const PERSONAS: Record<string, Persona> = {
  coordinator: COORDINATOR,
  'coordinator 2': COORDINATOR_2,
  organiser: ORGANISER,
  'organiser 2': ORGANISER_2,
  referent: REFERENT,
  gp: GP,
  nurse: NURSE,
  outsider: OUTSIDER,
  requester: REQUESTER,
};

export interface Conversation {
  id: string;
  conversationType: string;
  isGroup?: boolean;
  tenantId: string;
}

/** The person's 1:1 chat with the bot. */
export const personal = (who: { aadObjectId: string }): Conversation => ({ id: `a:fictional-personal-${who.aadObjectId}`, conversationType: 'personal', tenantId: TENANT });
/** A Teams group chat, e.g. group('case') for the case's conversation. */
export const group = (name: string): Conversation => ({ id: `19:fictional-${name}@thread.v2`, conversationType: 'groupChat', isGroup: true, tenantId: TENANT });
/** The coordination's channel. */
export const COORDINATION: Conversation = { id: '19:fictional-coordination@thread.tacv2', conversationType: 'channel', tenantId: TENANT };

export interface Sent {
  from: Persona | Record<string, unknown>;
  conversation?: Conversation;
  serviceUrl: string;
  locale?: string;
  [key: string]: unknown;
}

const sender = ({ from, conversation, ...over }: Sent) => ({ from, conversation: conversation ?? personal(from as Persona), ...over });

/** A typed message (replies returned in the HTTP response). */
export const messageActivity = (text: string | undefined, sent: Sent) => teamsMessage(text, sender(sent));
/** A click on an Action.Submit button: a message carrying the card's values. */
export const submitActivity = (value: Record<string, unknown>, sent: Sent) => teamsMessage(undefined, { ...sender(sent), value });
/** A click on an Action.Execute button, posted as Teams posts invokes: the invoke response is the HTTP body. */
export const invokeActivity = (verb: string, data: Record<string, unknown>, sent: Sent) =>
  teamsMessage(undefined, { type: 'invoke', name: 'adaptiveCard/action', deliveryMode: undefined, ...sender(sent), value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } });

export interface BotOptions {
  env?: Record<string, string>;
  /** A clock, or a function giving a new one at each start (tests that move time stay apart). */
  clock?: Clock | (() => Clock);
  startScheduler?: boolean;
  /** Coordinators from the start (BOOTSTRAP_COORDINATOR_IDS). */
  coordinators?: Persona[];
  /** Put in the organiser pool (French-speaking) by the first coordinator. */
  organisers?: Persona[];
  /** The Teams roster the fake connector answers. */
  members?: Array<Persona & { userPrincipalName?: string }>;
  /** The database to use (a new one by default); a restart keeps it. */
  dbName?: string;
  /** Waits for work the app finishes after a turn (e.g. shared cards being refreshed) before it stops. */
  settle?: (app: App) => Promise<unknown>;
}

export interface CaseOptions {
  organiser?: Persona;
  requesterAadObjectId?: string;
  answers?: AdmissibilityAnswers;
  role?: 'professional' | 'carer' | 'self';
  status?: 'yes' | 'conditional' | 'no';
}

/** A running bot, its fake Bot Connector, and helpers that talk to it as Teams would. */
export class TestBot {
  running!: RunningApp;
  fake!: FakeConnector;
  /** The clock given at start, if any. */
  clock?: Clock;
  private coordinator: Persona = COORDINATOR;

  get app(): App {
    return this.running.app;
  }
  get url(): string {
    return this.running.url;
  }

  private settle?: (app: App) => Promise<unknown>;
  private options: BotOptions = {};

  async start(options: BotOptions = {}): Promise<this> {
    this.options = options;
    this.settle = options.settle;
    this.fake ??= await FakeConnector.start();
    const coordinators = options.coordinators ?? [COORDINATOR];
    this.coordinator = coordinators[0] ?? COORDINATOR;
    if (options.members) this.fake.setMembers(options.members.map((m) => ({ ...m })));
    const env = { ...(coordinators.length ? { BOOTSTRAP_COORDINATOR_IDS: coordinators.map((c) => c.aadObjectId).join(',') } : {}), ...options.env };
    this.clock = typeof options.clock === 'function' ? options.clock() : options.clock;
    this.running = await startTestApp(env, { dbName: options.dbName, startScheduler: options.startScheduler ?? false, clock: this.clock });
    for (const o of options.organisers ?? []) await this.makeOrganiser(o);
    return this;
  }

  /** Waits for the work the app finishes after a turn (the `settle` option). */
  async settled(): Promise<void> {
    if (this.settle) await this.settle(this.app);
  }

  /** The bot restarts on the same database, with the same clock and fake connector. */
  async restart(): Promise<void> {
    const { dbName } = this.running;
    await this.running.close();
    await this.start({ ...this.options, dbName, clock: this.clock, organisers: [] });
  }

  /** Closes the app; the fake connector too unless `keepConnector` (then its records are reset). */
  async stop(keepConnector = false): Promise<void> {
    if (this.running) await this.settled();
    await this.running?.close();
    if (keepConnector) this.fake?.reset();
    else await this.fake?.close();
  }

  say = (text: string, from: Persona, conversation: Conversation = personal(from), locale = 'fr-BE', over: Record<string, unknown> = {}): Promise<PostResult> =>
    post(this.url, messageActivity(text, { from, conversation, serviceUrl: this.fake.url, locale, ...over }));

  invoke = (verb: string, data: Record<string, unknown>, from: Persona, conversation: Conversation = personal(from), over: Record<string, unknown> = {}): Promise<PostResult> =>
    post(this.url, invokeActivity(verb, data, { from, conversation, serviceUrl: this.fake.url, ...over }));

  submit = (value: Record<string, unknown>, from: Persona, conversation: Conversation = personal(from), over: Record<string, unknown> = {}): Promise<PostResult> =>
    post(this.url, submitActivity(value, { from, conversation, serviceUrl: this.fake.url, ...over }));

  /** Puts `who` in the organiser pool (French-speaking), as the coordination does. */
  async makeOrganiser(who: Persona): Promise<void> {
    await this.app.services.members.addRole({ aadObjectId: who.aadObjectId, teamsUserId: who.id, displayName: who.name }, 'organiser', this.coordinator.aadObjectId, { languages: ['fr'] });
  }

  /** A request (the fictional sheet of answers.ts) decided by the coordination: its tracking id (the case opens when admitted). */
  async admittedCase(options: CaseOptions = {}): Promise<string> {
    const { services } = this.app;
    const request = await services.requests.submit(options.answers ?? validAnswers(), { aadObjectId: options.requesterAadObjectId ?? REQUESTER.aadObjectId, conversationId: 'a:requester', locale: 'fr', ...(options.role ? { role: options.role } : {}) });
    const status = options.status ?? 'yes';
    const organiser = status === 'no' ? null : (options.organiser ?? ORGANISER).aadObjectId;
    await services.requests.decide({ trackingId: request.trackingId, status, organiserAadObjectId: organiser, notes: status === 'no' ? 'hors critères' : '', decidedBy: this.coordinator.aadObjectId, decidedByName: this.coordinator.name });
    return request.trackingId;
  }

  /** Adds Teams users to the case, as its organiser does: [person, role, profile]. */
  async addParticipants(trackingId: string, people: Array<[Persona, string, string | null]>, by: Persona = ORGANISER): Promise<void> {
    for (const [who, role, profile] of people) {
      const added = await this.app.services.cases.addParticipant(trackingId, { role, profile, displayName: who.name, aadObjectId: who.aadObjectId, teamsUserId: who.id }, by.aadObjectId);
      if (!added.ok) throw new Error(`could not add ${who.name} to ${trackingId}: ${JSON.stringify(added)}`);
    }
  }
}

/** Starting an app creates its database and indexes: on a busy machine that alone can pass jest's 30 s. */
const START_TIMEOUT_MS = 90_000;

/**
 * A TestBot started before the file's tests and stopped after. With `each: 'app'` a new app (and
 * database) for each test, the fake connector kept and reset between tests; with `each: 'connector'`
 * one app for the file, the fake connector's records and rosters reset before each test (cheaper:
 * each test then works on its own case).
 */
export function useTestBot(options: BotOptions & { each?: 'app' | 'connector' } = {}): TestBot {
  const bot = new TestBot();
  if (options.each === 'app') {
    beforeEach(() => bot.start(options), START_TIMEOUT_MS);
    afterEach(() => bot.stop(true), START_TIMEOUT_MS);
    afterAll(() => bot.fake?.close());
    return bot;
  }
  beforeAll(() => bot.start(options), START_TIMEOUT_MS);
  afterAll(() => bot.stop(), START_TIMEOUT_MS);
  if (options.each === 'connector') {
    beforeEach(async () => {
      await bot.settled();
      bot.fake.reset();
      if (options.members) bot.fake.setMembers(options.members.map((m) => ({ ...m })));
    });
  }
  return bot;
}

/** The text of the messages in a reply. */
export const textOf = (res: PostResult): string => (res.body.activities ?? []).map((a) => a.text ?? '').join(' ');
/** Everything in a reply (messages and cards) or in an invoke response, as one string to search. */
export const replyText = (res: PostResult): string => JSON.stringify(res.body.activities ?? []);
export const bodyText = (res: PostResult): string => JSON.stringify(res.body.value ?? res.body);
