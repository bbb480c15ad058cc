// The anonymity guard through the built bot: a requester answers the free-text
// "situation" question of the anonymous sheet with identifying text (a bare name, a label "Naam:",
// an eID card number), in French and in Dutch. Each time the refusal is in her language, says the
// kind of thing and where (word n of m) without repeating it, and the question is asked again; a
// clean answer is then accepted. Afterwards none of the refused text is in any collection of the
// database nor in any line the bot logged.
import { hasKey, Locale, t } from '../../locales/i18n';
import { EmbeddedBotRun, startOnEmbeddedDb, stopEmbeddedRun } from './botRun';
import { dumpDatabase, sightingsIn } from './privacyScan';
import { Conversation, User } from './teamsClient';

// The first hook compiles the project (once per run); on a busy machine that alone can take minutes.
jest.setTimeout(240_000);

const DB_NAME = 'guard';

interface Script {
  user: User;
  chat: Conversation;
  start: string;
  /** Answers to the questions before the situation, by field id. */
  answers: Record<string, string>;
  refused: Array<{ text: string; kind: string; word: number; words: number; secret: string }>;
  clean: string;
}

const scripts: Record<Locale & ('fr' | 'nl'), Script> = {
  fr: {
    user: { id: '29:fictional-guard-fr', aadObjectId: '00000000-0000-4000-8000-0000000a0f01', name: 'Alex Test', locale: 'fr-BE' },
    chat: { id: 'a:fictional-guard-chat-fr', conversationType: 'personal' },
    start: 'nouvelle demande',
    answers: {
      'requester.role': 'professionnel',
      'requester.organisation': 'CPAS fictif de Test',
      'requester.sector': 'précarité',
      'requester.link': 'assistante sociale',
      'requester.phone': '02 123 45 67',
      'requester.email': 'passer',
      'requester.otherContact': 'passer',
      'person.age': '67',
      'person.livingPlace': 'À domicile',
      'person.communeId': 'Schaerbeek',
    },
    refused: [
      { text: 'Jean Fictivaert, 67 ans, vit seul à Schaerbeek depuis le décès de son épouse.', kind: 'personalName', word: 1, words: 14, secret: 'Fictivaert' },
      { text: "Carte d'identité 591-1234567-89 périmée, plus de mutuelle.", kind: 'idCard', word: 3, words: 7, secret: '1234567' },
    ],
    clean: "Monsieur, 67 ans, vit seul à Schaerbeek depuis le décès de son épouse ; suivi par le CPAS et la maison médicale Marconi.",
  },
  nl: {
    user: { id: '29:fictional-guard-nl', aadObjectId: '00000000-0000-4000-8000-0000000a0f02', name: 'Sam Test', locale: 'nl-BE' },
    chat: { id: 'a:fictional-guard-chat-nl', conversationType: 'personal' },
    start: 'nieuwe aanvraag',
    answers: {
      'requester.role': 'zorgverlener',
      'requester.organisation': 'Thuisverpleging Fictief Brussel',
      'requester.sector': 'ouderen',
      'requester.link': 'thuisverpleegkundige',
      'requester.phone': '02 123 45 67',
      'requester.email': 'overslaan',
      'requester.otherContact': 'overslaan',
      'person.age': '81',
      'person.livingPlace': 'thuis',
      'person.communeId': 'Anderlecht',
    },
    refused: [
      { text: 'Naam: Verzonnelinck Jan, woont alleen en valt vaak.', kind: 'personalName', word: 2, words: 8, secret: 'Verzonnelinck' },
      { text: 'Identiteitskaart 592 7654321 77 verlopen, geen ziekenfonds meer.', kind: 'idCard', word: 2, words: 8, secret: '7654321' },
    ],
    clean: 'Mevrouw woont alleen in Anderlecht, valt vaak en spreekt alleen Frans; opgevolgd door het OCMW.',
  },
};

const SECRETS = Object.values(scripts).flatMap((s) => s.refused.map((r) => r.secret));

/** The prompt of a sheet question as this requester sees it (professional wording). */
const promptOf = (lang: Locale, id: string): string => {
  const byRole = `request.field.${id}.prompt.professional`;
  return t(lang, hasKey(byRole, lang) ? byRole : `request.field.${id}.prompt`);
};
const shown = (r: { texts: string[]; cards: unknown[] }) => [...r.texts, JSON.stringify(r.cards)].join('\n');

describe('the anonymity guard in the built bot', () => {
  let run: EmbeddedBotRun;

  beforeAll(async () => {
    // Debug logging: the most the bot ever writes, so "not in the logs" means something.
    run = await startOnEmbeddedDb({ DB_NAME, LOG_LEVEL: 'debug' });
  });

  afterAll(async () => {
    const code = await stopEmbeddedRun(run);
    expect(code).toBe(0);
  });

  /** Starts the sheet and answers whatever is asked until the situation question. */
  async function reachSituation(lang: 'fr' | 'nl'): Promise<void> {
    const s = scripts[lang];
    const situation = promptOf(lang, 'person.situation');
    let reply = shown(await run.client.say(s.user, s.chat, s.start));
    for (let turn = 0; turn < 15 && !reply.includes(situation); turn++) {
      const id = Object.keys(s.answers).find((f) => hasKey(`request.field.${f}.prompt`, lang) && reply.includes(promptOf(lang, f)));
      if (!id) throw new Error(`unexpected question before the situation:\n${reply.slice(0, 800)}`);
      reply = shown(await run.client.say(s.user, s.chat, s.answers[id]));
    }
    expect(reply).toContain(situation);
  }

  it.each(['fr', 'nl'] as const)('in %s: refuses a name and an eID number, says what and where in that language, asks again, then accepts a clean answer', async (lang) => {
    const s = scripts[lang];
    await reachSituation(lang);
    for (const r of s.refused) {
      const reply = shown(await run.client.say(s.user, s.chat, r.text));
      expect(reply).toContain(t(lang, 'anonymity.lead'));
      expect(reply).toContain(t(lang, `anonymity.${r.kind}`, { word: r.word, words: r.words }));
      expect(reply).toContain(promptOf(lang, 'person.situation'));
      // The refusal does not repeat what was refused.
      expect(reply).not.toContain(r.secret);
    }
    const accepted = shown(await run.client.say(s.user, s.chat, s.clean));
    expect(accepted).not.toContain(t(lang, 'anonymity.lead'));
    expect(accepted).toContain(promptOf(lang, 'person.previousConcertations'));
    expect(run.client.problems).toEqual([]);
  });

  it('keeps nothing of the refused answers: not in any collection, not in the logs', async () => {
    const docs = await dumpDatabase(run.dbUri, DB_NAME);
    expect(docs.size).toBeGreaterThan(0);
    // The scan sees what was stored: the accepted answers are in the drafts.
    const keptClean = sightingsIn(docs, [scripts.fr.clean, scripts.nl.clean]);
    expect(keptClean.map((k) => k.collection)).toEqual(expect.arrayContaining(['requestDrafts']));
    expect(sightingsIn(docs, SECRETS)).toEqual([]);
    const logged = [JSON.stringify(run.bot.logs), ...run.bot.rawOutput].join('\n');
    expect(run.bot.logs.length).toBeGreaterThan(0);
    for (const secret of SECRETS) expect(logged).not.toContain(secret);
    expect(run.bot.errors()).toEqual([]);
  });
});
