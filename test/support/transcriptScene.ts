// The world a transcript plays in: who is who, which conversation is which, the facts given before
// the conversation starts, and the {placeholders} a scenario may write (see transcript.ts).
import { DateTime } from 'luxon';
import { BRUSSELS } from '../../domain/time';
import { COORDINATION, Conversation, group, ORGANISER, Persona, PERSONAS, personal, TestBot } from './harness';

/** How each persona takes part in a case when a scenario says "gp takes part". */
const ROLES: Record<string, [string, string | null]> = {
  gp: ['professional', 'gp'],
  nurse: ['professional', 'homeNurse'],
  referent: ['referent', 'socialWorker'],
};

const listOf = (s: string) => s.split(/\s*,\s*|\s+and\s+|\s+et\s+/).map((x) => x.trim()).filter(Boolean);

export class Scene {
  /** The case the scenario is about (given or created), for {case}. */
  caseId = '';

  constructor(
    readonly bot: TestBot,
    /** The one person of the older scenarios (no "as:"), in their own 1:1 chat. */
    readonly defaultUser: Persona,
    readonly defaultConversation: Conversation,
  ) {}

  persona(name: unknown): Persona {
    if (name === undefined) return this.defaultUser;
    const key = String(name).trim().toLowerCase();
    const found = PERSONAS[key] ?? Object.values(PERSONAS).find((p) => p.name.toLowerCase().split(' ').includes(key));
    if (!found) throw new Error(`unknown person "${name}" (known: ${Object.keys(PERSONAS).join(', ')}, or a first name)`);
    return found;
  }

  /** "case chat", "other chat", "coordination", "private" (the person's 1:1 chat, the default). */
  conversation(name: unknown, who: Persona): Conversation {
    const key = name === undefined ? 'private' : String(name).trim().toLowerCase();
    if (key === 'private') return who === this.defaultUser ? this.defaultConversation : personal(who);
    if (key === 'coordination') return COORDINATION;
    const chat = /^(\w+) chat$/.exec(key);
    if (chat) return group(chat[1]);
    throw new Error(`unknown conversation "${name}" (case chat, other chat, coordination, private)`);
  }

  private day(days: number): string {
    return DateTime.fromJSDate(this.bot.clock?.now() ?? new Date()).setZone(BRUSSELS).plus({ days }).toISODate()!;
  }

  private async placeholder(name: string): Promise<string> {
    const key = name.trim().toLowerCase();
    if (key === 'case') {
      if (!this.caseId) throw new Error('{case} used before any case exists (given: admitted case …)');
      return this.caseId;
    }
    if (key === 'poll') {
      const polls = await this.bot.app.services.polls.forTrackingId(this.caseId);
      if (!polls.length) throw new Error(`{poll} used but case ${this.caseId} has no poll`);
      return polls.at(-1)!.pollId;
    }
    const inDays = /^in (\d+) days?$/.exec(key);
    if (inDays) return this.day(Number(inDays[1]));
    const ago = /^(\d+) days? ago$/.exec(key);
    if (ago) return this.day(-Number(ago[1]));
    if (key === 'today') return this.day(0);
    return this.persona(key).aadObjectId;
  }

  /** The value with every {placeholder} in its strings replaced. */
  async fill<T>(value: T): Promise<T> {
    if (typeof value === 'string') {
      let out = value as string;
      for (const m of value.matchAll(/\{([^{}]+)\}/g)) out = out.replace(m[0], await this.placeholder(m[1]));
      return out as T;
    }
    if (Array.isArray(value)) return (await Promise.all(value.map((v) => this.fill(v)))) as T;
    if (value && typeof value === 'object') {
      const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await this.fill(v)] as const));
      return Object.fromEntries(entries) as T;
    }
    return value;
  }

  /** A message the setup sends as `who`; its reply must contain `expected` (else the setup is wrong, not the scenario). */
  private async play(text: string, who: Persona, conversation: Conversation, expected: string, locale = 'fr-BE'): Promise<void> {
    const res = await this.bot.say(text, who, conversation, locale);
    if (!JSON.stringify(res.body).includes(expected)) throw new Error(`given: "${text}" did not answer "${expected}": ${JSON.stringify(res.body).slice(0, 400)}`);
  }

  private async click(verb: string, data: Record<string, unknown>, who: Persona, conversation: Conversation, expected: string): Promise<void> {
    const res = await this.bot.invoke(verb, data, who, conversation);
    if (!JSON.stringify(res.body).includes(expected)) throw new Error(`given: ${verb} did not answer "${expected}": ${JSON.stringify(res.body).slice(0, 400)}`);
  }

  /** One fact of `given:`, prepared through the app's services or by playing the earlier conversation. */
  async given(fact: string): Promise<void> {
    const text = fact.trim();
    let m: RegExpExecArray | null;
    if ((m = /^admitted case(?: organised by (.+))?$/i.exec(text))) {
      const organiser = m[1] ? this.persona(m[1]) : ORGANISER;
      await this.bot.makeOrganiser(organiser);
      this.caseId = await this.bot.admittedCase({ organiser });
    } else if ((m = /^(.+?) takes? part$/i.exec(text))) {
      const people = listOf(m[1]).map((n) => this.persona(n));
      await this.bot.addParticipants(this.caseId, people.map((p) => [p, ...(ROLES[Object.keys(PERSONAS).find((k) => PERSONAS[k] === p) ?? ''] ?? ['carer', null])]));
    } else if ((m = /^case chat linked( in Dutch)?$/i.exec(text))) {
      await this.play(`${m[1] ? 'dossier koppelen' : 'lier dossier'} ${this.caseId}`, ORGANISER, group('case'), this.caseId, m[1] ? 'nl-BE' : 'fr-BE');
    } else if ((m = /^concertation in (\d+) days at (\d\d:\d\d)$/i.exec(text))) {
      const data = { trackingId: this.caseId, sDate: this.day(Number(m[1])), sTime: m[2], sDuration: '105', sPlace: 'Domicile de la personne' };
      await this.click('case.schedule', data, ORGANISER, personal(ORGANISER), 'Concertation fixée');
    } else if ((m = /^(.+?) (?:has|have) written to the bot$/i.exec(text))) {
      for (const p of listOf(m[1])) await this.bot.say('aide', this.persona(p));
    } else if ((m = /^the case chat's members are (.+)$/i.exec(text))) {
      this.bot.fake.setMembers(listOf(m[1]).map((n) => ({ ...this.persona(n) })), group('case').id);
    } else if (/^coordination chat set$/i.test(text)) {
      await this.play('définir coordination', this.persona('coordinator'), COORDINATION, 'reçoit désormais');
    } else if (/^psi published$/i.test(text)) {
      await this.click('psi.saveSections', { trackingId: this.caseId, baseVersion: 0, needs: 'Rester à domicile en sécurité', objectives: 'Retrouver un rythme' }, ORGANISER, personal(ORGANISER), 'brouillon');
      await this.click('psi.publish', { trackingId: this.caseId }, ORGANISER, personal(ORGANISER), 'PSI publié');
    } else {
      throw new Error(`unknown given "${fact}"`);
    }
  }
}
