// Data-driven conversation tests: a YAML file is a scenario a non-developer can read.
//
//   title: …
//   user: { name: Alex Test, locale: fr-BE, email: alex@example.org }   (optional) the person who types
//                                    when a step names nobody, in their own 1:1 chat with the bot
//   locale: nl-BE                    (optional) the language every message is written in (default fr-BE)
//   env: { DRAFT_EXPIRY_DAYS: "30" }                                      (optional)
//   given:                           (optional) what exists before the conversation starts:
//     - admitted case organised by organiser   a request admitted by the coordination: {case}
//     - gp, referent and nurse take part       Teams participants of the case (GP, référent, nurse)
//     - case chat linked               the organiser typed "lier dossier {case}" in the case chat
//     - case chat linked in Dutch      … "dossier koppelen {case}" (the chat's cards are then in Dutch)
//     - concertation in 14 days at 10:00        the organiser fixed the date from the case card
//     - the case chat's members are organiser and referent   (default: everyone above)
//     - gp and referent have written to the bot   each has a 1:1 chat the bot can post to
//     - coordination chat set          the coordinator typed "définir coordination" in the coordination
//     - psi published                  the organiser saved and published a first PSI
//   steps:
//     - user: nouvelle demande         someone types this
//       as: organiser                  … who (organiser, organiser 2, coordinator, referent, gp, nurse,
//                                        outsider, requester, or a first name such as Olivia)
//       in: case chat                  … where (private = their 1:1 chat with the bot, the default;
//                                        case chat, other chat, coordination)
//       locale: nl-BE                  … in which language (this step only)
//     - submit: { requestField: person.livingPlace, answer: home }   clicks a card button (Action.Submit)
//     - click: { verb: poll.answer, data: { pollId: "{poll}", slot_s1: "yes" } }
//                                      clicks a card button (Action.Execute) with these values
//     - click: Créer le sondage        clicks the button with this title on the last card shown in that
//       fill: { slot1_time: "10:00" }  conversation, after typing these values into its fields (the
//                                      others keep what the card shows); a card that Teams refreshes
//                                      for that person is refreshed first, as Teams does
//     - bot: fragment                  the bot's next reply contains this (text or card; for a click,
//                                      the card or message the button answers with)
//     - bot: [fragment, fragment]      … all of these
//     - posted in case chat: [fragment, …]   the bot's next new message in that conversation (outside
//                                      any reply), e.g. the agenda card; "updated in case chat" for a
//                                      card changed in place; "posted to gp" for gp's 1:1 chat
//     - restart: true                  the bot restarts (same database)
//     - clock: 31d                     time moves forward
//     - store: { requests: 1, requestDrafts: 0 }   documents in those collections
//     - answers: [CPAS fictif, "72", { submit: { requestField: person.livingPlace, answer: home } }]
//                                      the person answers several questions in a row (typed text,
//                                      or { submit: … } for a card button); the bot must move on after
//                                      each one: a reply that repeats the question it just asked (a
//                                      refused answer) fails the step. The bot's reply to the last
//                                      answer is left for the next "bot" steps.
//
// In any text: {case} is the case's number, {poll} its latest poll, {in 5 days}, {3 days ago} and
// {today} Brussels dates (2026-03-14), {gp} (any person) their Teams id. Quote a value that starts
// with "{" ("{poll}").
//
// Debugging: TRANSCRIPT_DEBUG=1 npx jest test/transcripts -t <file> prints every exchange;
// TRANSCRIPT_DEBUG=explore also lets unread bot messages pass (to draft a new scenario).
//
// Messages' replies come back in the HTTP response (deliveryMode expectReplies), clicks' answers as
// the invoke response, through the real restify endpoint, CloudAdapter, dialogs and the real
// database. Every reply must be expected: an action step with unread replies left fails. Each
// scenario has its own database, fake connector and clock, so transcripts.test.ts runs them
// concurrently.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ManualClock } from '../../services/clock';
import type { PostResult } from './app';
import { CardButton, cardIn, cardWords, click } from './cardActions';
import type { RecordedRequest } from './fakeConnector';
import { COORDINATOR, Conversation, Persona, PERSONAS, personal, TENANT, TestBot } from './harness';
import { Scene } from './transcriptScene';

export interface Transcript {
  title: string;
  user?: { name?: string; locale?: string; email?: string; aadObjectId?: string };
  locale?: string;
  env?: Record<string, string>;
  given?: string | string[];
  steps: Array<Record<string, unknown>>;
}

export function loadTranscripts(dir: string): Array<[string, Transcript]> {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => [f, YAML.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Transcript]);
}

const flat = (s: string) =>
  s
    .normalize('NFC')
    .replace(/\\n/g, ' ')
    .replace(/\s+/g, ' ')
    .toLowerCase();

/** What a person would see of a reply: its text and the texts of its cards. */
export function visibleText(activity: Record<string, any>): string {
  const parts: string[] = [activity.text ?? ''];
  for (const a of activity.attachments ?? []) parts.push(JSON.stringify(a.content ?? {}));
  return parts.join(' ');
}

function parseDuration(s: string): number {
  const m = /^(\d+)\s*(d|h|m|s)$/.exec(String(s).trim());
  if (!m) throw new Error(`bad clock step "${s}" (use 31d, 2h, 10m, 30s)`);
  return Number(m[1]) * { d: 86400000, h: 3600000, m: 60000, s: 1000 }[m[2] as 'd' | 'h' | 'm' | 's'];
}

type Activity = Record<string, any>;

/** The replies to one action: the messages sent back, or the click's answer (a card or a message). */
function repliesOf(res: PostResult): Activity[] {
  if (res.body.activities) return [...res.body.activities];
  const { type, value } = res.body;
  if (type === 'application/vnd.microsoft.card.adaptive') return [{ attachments: [{ contentType: type, content: value }] }];
  if (type === 'application/vnd.microsoft.activity.message') return [{ text: String(value) }];
  return [];
}

const ACTIONS = ['user', 'submit', 'click', 'answers'];
const isAction = (step: Record<string, unknown>) => ACTIONS.some((k) => k in step);

export async function runTranscript(t: Transcript): Promise<void> {
  const clock = new ManualClock();
  const defaultUser: Persona = { id: '29:fictional-transcript-user', aadObjectId: t.user?.aadObjectId ?? '00000000-0000-4000-8000-00000000b0b0', name: t.user?.name ?? 'Alex Test' };
  const castUsed = Boolean(t.given) || t.steps.some((s) => 'as' in s);
  const bot = new TestBot();
  await bot.start({
    env: t.env ?? {},
    clock,
    coordinators: castUsed ? [COORDINATOR] : [],
    members: [{ ...defaultUser, email: t.user?.email, userPrincipalName: t.user?.email }, ...(castUsed ? Object.values(PERSONAS) : [])],
    // Shared poll cards are refreshed after the turn that changed them.
    settle: (app) => app.features.polls.settled(),
  });
  const scene = new Scene(bot, defaultUser, { id: 'a:fictional-transcript-conversation', conversationType: 'personal', tenantId: TENANT });
  let pending: Activity[] = [];
  const where = (i: number) => `step ${i + 1} of "${t.title}"`;
  let lastQuestion = ''; // text of the bot's last reply, to see whether an answer was accepted
  const debug = Boolean(process.env.TRANSCRIPT_DEBUG);
  const explore = process.env.TRANSCRIPT_DEBUG === 'explore';
  /** The last card seen in each conversation (replies, posts, updates), for clicks by title. */
  const cards = new Map<string, Record<string, unknown>>();
  /** The bot's messages outside replies, not yet checked by a "posted"/"updated" step. */
  const unread: RecordedRequest[] = [];
  let scanned = 0;
  const scan = () => {
    const records = bot.fake.requests;
    for (const r of records.slice(scanned)) {
      if (!['send', 'reply', 'update'].includes(r.operation ?? '') || (r.status ?? 500) >= 300) continue;
      unread.push(r);
      const card = cardIn(r.body as Activity);
      if (card && r.conversationId) cards.set(r.conversationId, card);
    }
    scanned = records.length;
  };
  const unexpected = (i: number) => {
    if (pending.length) throw new Error(`${where(i)}: unexpected bot message(s) not covered by the transcript:\n${pending.map((a) => visibleText(a).slice(0, 300)).join('\n')}`);
  };

  /** What the person clicks: an explicit verb and values, or a button of the card in front of them. */
  const target = async (step: Record<string, unknown>, who: Persona, conversation: Conversation, locale: string): Promise<CardButton> => {
    if (typeof step.click !== 'string') {
      const { verb, data } = await scene.fill(step.click as { verb: string; data?: Record<string, unknown> });
      return { type: 'Action.Execute', title: verb, verb, data: data ?? {} };
    }
    let card = cards.get(conversation.id);
    if (!card) throw new Error(`no card in ${conversation.id} to click "${step.click}" on`);
    const refresh = card.refresh as { action?: { verb?: string; data?: Record<string, unknown> }; userIds?: string[] } | undefined;
    if (refresh?.action?.verb && (!refresh.userIds || refresh.userIds.includes(who.id))) {
      card = cardIn(repliesOf(await bot.invoke(refresh.action.verb, refresh.action.data ?? {}, who, conversation, { locale }))[0]) ?? card;
    }
    return click(card, await scene.fill(step.click), await scene.fill((step.fill as Record<string, unknown>) ?? {}));
  };

  /** Sends one action step (typed text, Action.Submit, Action.Execute); returns the bot's replies. */
  const act = async (step: Record<string, unknown>, i: number): Promise<Activity[]> => {
    const who = scene.persona(step.as);
    const conversation = scene.conversation(step.in, who);
    const locale = String(step.locale ?? t.locale ?? t.user?.locale ?? 'fr-BE');
    let res: PostResult;
    if ('user' in step) res = await bot.say(await scene.fill(String(step.user)), who, conversation, locale);
    else if ('submit' in step) res = await bot.submit(await scene.fill(step.submit as Record<string, unknown>), who, conversation, { locale });
    else {
      const button = await target(step, who, conversation, locale);
      res = button.type === 'Action.Execute' ? await bot.invoke(button.verb!, button.data, who, conversation, { locale }) : await bot.submit(button.data, who, conversation, { locale });
    }
    if (res.status !== 200) throw new Error(`${where(i)}: HTTP ${res.status}`);
    scan();
    const replies = repliesOf(res);
    for (const r of replies) {
      const card = cardIn(r);
      if (card) cards.set(conversation.id, card);
    }
    lastQuestion = flat(String(replies[replies.length - 1]?.text ?? ''));
    if (explore) pending = [];
    if (debug) {
      const posted = unread.slice(-5).map((r) => `  (${r.operation} in ${r.conversationId}) ${r.operation === 'update' ? '' : String((r.body as Activity)?.text ?? '')} ${cardWords(cardIn(r.body as Activity)).slice(0, 300)}`);
      console.log(`> ${JSON.stringify(step)}\n${replies.map((a) => `< ${a.text ?? ''} ${cardIn(a) ? '[card] ' + cardWords(cardIn(a)).slice(0, 1500) : ''}`).join('\n')}\n${posted.join('\n')}`);
    }
    return replies;
  };

  /** A "posted in …", "updated in …" or "posted to …" step: the next such message of the bot. */
  const checkPosted = async (key: string, value: unknown, i: number) => {
    const [, kind, preposition, place] = /^(posted|updated) (in|to) (.+)$/.exec(key)!;
    const conversation = preposition === 'to' ? personal(scene.persona(place)) : scene.conversation(place, defaultUser);
    const ops = kind === 'posted' ? ['send', 'reply'] : ['update'];
    await bot.settled();
    scan();
    const at = unread.findIndex((r) => r.conversationId === conversation.id && ops.includes(r.operation!));
    const expected = (Array.isArray(value) ? value : [value]).map(String);
    if (at < 0) throw new Error(`${where(i)}: expected a message ${kind} ${preposition} ${place} containing "${expected.join('", "')}" but there is none`);
    const [message] = unread.splice(at, 1);
    const seen = flat(visibleText(message.body as Activity));
    for (const e of expected) {
      if (!seen.includes(flat(e))) throw new Error(`${where(i)}: expected "${e}" in the message ${kind} ${preposition} ${place}:\n${visibleText(message.body as Activity).slice(0, 1500)}`);
    }
  };

  try {
    for (const fact of [t.given ?? []].flat()) await scene.given(fact);
    scan();
    unread.length = 0; // what the setup made the bot post is not part of the scenario
    for (const [i, step] of t.steps.entries()) {
      const key = Object.keys(step).find((k) => !['as', 'in', 'locale', 'fill'].includes(k)) ?? '';
      if (explore && isAction(step)) pending = [];
      if ('answers' in step) {
        unexpected(i);
        if (!Array.isArray(step.answers) || !step.answers.length) throw new Error(`${where(i)}: "answers" needs a list`);
        let asked = lastQuestion;
        for (const [k, answer] of (step.answers as unknown[]).entries()) {
          const single = answer !== null && typeof answer === 'object' ? (answer as Record<string, unknown>) : { user: String(answer) };
          const replies = await act({ as: step.as, in: step.in, locale: step.locale, ...single }, i);
          const question = flat(String(replies[replies.length - 1]?.text ?? ''));
          if (!replies.length) throw new Error(`${where(i)}: no reply to answer ${k + 1} (${JSON.stringify(answer)})`);
          if (asked && question.includes(asked)) {
            throw new Error(`${where(i)}: answer ${k + 1} (${JSON.stringify(answer)}) was not accepted:\n${replies.map((a) => visibleText(a).slice(0, 600)).join('\n')}`);
          }
          asked = question;
          pending = replies;
        }
      } else if (isAction(step)) {
        unexpected(i);
        pending = await act(step, i);
      } else if ('bot' in step) {
        const reply = pending.shift();
        const expected = (Array.isArray(step.bot) ? step.bot : [step.bot]).map(String);
        if (!reply) throw new Error(`${where(i)}: expected a bot message containing "${expected.join('", "')}" but there is none`);
        const seen = flat(visibleText(reply));
        for (const e of await scene.fill(expected)) {
          if (!seen.includes(flat(e))) throw new Error(`${where(i)}: expected "${e}" in the bot's message:\n${visibleText(reply).slice(0, 1500)}`);
        }
      } else if (/^(posted|updated) (in|to) /.test(key)) {
        await checkPosted(key, await scene.fill(step[key]), i);
      } else if ('restart' in step) {
        await bot.restart();
      } else if ('clock' in step) {
        clock.advance(parseDuration(String(step.clock)));
      } else if ('store' in step) {
        const db = bot.app.conn.db!;
        for (const [collection, count] of Object.entries(step.store as Record<string, number>)) {
          const n = await db.collection(collection).countDocuments();
          if (n !== count) throw new Error(`${where(i)}: expected ${count} document(s) in ${collection}, found ${n}`);
        }
      } else {
        throw new Error(`${where(i)}: unknown step ${JSON.stringify(step)}`);
      }
    }
    if (pending.length) throw new Error(`end of "${t.title}": unexpected bot message(s):\n${pending.map((a) => visibleText(a).slice(0, 300)).join('\n')}`);
  } finally {
    await bot.stop();
  }
}
