// Data-driven conversation tests: a YAML file is a scenario a non-developer can read.
//
//   title: …
//   user: { name: Alex Test, locale: fr-BE, email: alex@example.org }   (optional)
//   env: { DRAFT_EXPIRY_DAYS: "30" }                                      (optional)
//   steps:
//     - user: nouvelle demande        the requester types this
//     - submit: { requestField: person.livingPlace, answer: home }   clicks a card button
//     - bot: fragment                  the bot's next message contains this (text or card)
//     - bot: [fragment, fragment]      … all of these
//     - restart: true                  the bot restarts (same database)
//     - clock: 31d                     time moves forward
//     - store: { requests: 1, requestDrafts: 0 }   documents in those collections
//     - answers: [CPAS fictif, "72", { submit: { requestField: person.livingPlace, answer: home } }]
//                                      the requester answers several questions in a row (typed text,
//                                      or { submit: … } for a card button); the bot must move on after
//                                      each one: a reply that repeats the question it just asked (a
//                                      refused answer) fails the step. The bot's reply to the last
//                                      answer is left for the next "bot" steps.
//
// Debugging: TRANSCRIPT_DEBUG=1 npx jest test/transcripts -t <file> prints every exchange;
// TRANSCRIPT_DEBUG=explore also lets unread bot messages pass (to draft a new scenario).
//
// Replies come back in the HTTP response (deliveryMode expectReplies) through the real restify
// endpoint, CloudAdapter, dialogs and the real database. Every reply must be expected: a step
// "user" with unread bot messages left fails. Each scenario has its own database, fake connector
// and clock, so transcripts.test.ts runs them concurrently.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ManualClock } from '../../services/clock';
import { post, RunningApp, startTestApp, teamsMessage } from './app';
import { uniqueDbName } from './db';
import { FakeConnector } from './fakeConnector';

export interface Transcript {
  title: string;
  user?: { name?: string; locale?: string; email?: string; aadObjectId?: string };
  env?: Record<string, string>;
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

export async function runTranscript(t: Transcript): Promise<void> {
  const dbName = uniqueDbName('tx');
  const clock = new ManualClock();
  const fake = await FakeConnector.start();
  const aadObjectId = t.user?.aadObjectId ?? '00000000-0000-4000-8000-00000000b0b0';
  const from = { id: '29:fictional-transcript-user', aadObjectId, name: t.user?.name ?? 'Alex Test' };
  fake.setMembers([{ id: from.id, name: from.name, aadObjectId, email: t.user?.email, userPrincipalName: t.user?.email }]);
  const conversation = { id: 'a:fictional-transcript-conversation', conversationType: 'personal', tenantId: '11111111-1111-4111-8111-111111111111' };
  const start = () => startTestApp(t.env ?? {}, { dbName, clock, startScheduler: false });
  let running: RunningApp = await start();
  let pending: Array<Record<string, any>> = [];
  const where = (i: number) => `step ${i + 1} of "${t.title}"`;
  let lastQuestion = ''; // text of the bot's last reply, to see whether an answer was accepted
  const debug = Boolean(process.env.TRANSCRIPT_DEBUG);
  /** Sends one typed message ({ user }) or card submit ({ submit }); returns the bot's replies. */
  const say = async (step: Record<string, unknown>, i: number): Promise<Array<Record<string, any>>> => {
    const activity = teamsMessage('user' in step ? String(step.user) : undefined, {
      from,
      conversation,
      serviceUrl: fake.url,
      locale: t.user?.locale ?? 'fr-BE',
      ...('submit' in step ? { value: step.submit } : {}),
    });
    const res = await post(running.url, activity);
    if (res.status !== 200) throw new Error(`${where(i)}: HTTP ${res.status}`);
    const replies = [...(res.body.activities ?? [])];
    lastQuestion = flat(String(replies[replies.length - 1]?.text ?? ''));
    if (process.env.TRANSCRIPT_DEBUG === 'explore') pending = [];
    if (debug) console.log(`> ${JSON.stringify(step)}\n${replies.map((a) => `< ${a.text ?? ''} ${a.attachments ? '[card] ' + visibleText({ attachments: a.attachments }).slice(0, 400) : ''}`).join('\n')}`);
    return replies;
  };
  try {
    for (const [i, step] of t.steps.entries()) {
      if (process.env.TRANSCRIPT_DEBUG === 'explore' && ('user' in step || 'submit' in step || 'answers' in step)) pending = [];
      if ('user' in step || 'submit' in step) {
        if (pending.length) throw new Error(`${where(i)}: unexpected bot message(s) not covered by the transcript:\n${pending.map((a) => visibleText(a).slice(0, 300)).join('\n')}`);
        pending = await say(step, i);
      } else if ('answers' in step) {
        if (pending.length) throw new Error(`${where(i)}: unexpected bot message(s) not covered by the transcript:\n${pending.map((a) => visibleText(a).slice(0, 300)).join('\n')}`);
        if (!Array.isArray(step.answers) || !step.answers.length) throw new Error(`${where(i)}: "answers" needs a list`);
        let asked = lastQuestion;
        for (const [k, answer] of (step.answers as unknown[]).entries()) {
          const replies = await say(answer !== null && typeof answer === 'object' ? (answer as Record<string, unknown>) : { user: String(answer) }, i);
          const question = flat(String(replies[replies.length - 1]?.text ?? ''));
          if (!replies.length) throw new Error(`${where(i)}: no reply to answer ${k + 1} (${JSON.stringify(answer)})`);
          if (asked && question.includes(asked)) {
            throw new Error(`${where(i)}: answer ${k + 1} (${JSON.stringify(answer)}) was not accepted:\n${replies.map((a) => visibleText(a).slice(0, 600)).join('\n')}`);
          }
          asked = question;
          pending = replies;
        }
      } else if ('bot' in step) {
        const reply = pending.shift();
        const expected = (Array.isArray(step.bot) ? step.bot : [step.bot]).map(String);
        if (!reply) throw new Error(`${where(i)}: expected a bot message containing "${expected.join('", "')}" but there is none`);
        const seen = flat(visibleText(reply));
        for (const e of expected) {
          if (!seen.includes(flat(e))) throw new Error(`${where(i)}: expected "${e}" in the bot's message:\n${visibleText(reply).slice(0, 1500)}`);
        }
      } else if ('restart' in step) {
        await running.close();
        running = await start();
      } else if ('clock' in step) {
        clock.advance(parseDuration(String(step.clock)));
      } else if ('store' in step) {
        const db = running.app.conn.db!;
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
    await running.close();
    await fake.close();
  }
}
