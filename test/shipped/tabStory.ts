// The dashboard tab's data, made as Teams would make it (for the shipped tab test, its API and its
// page): the built bot with its SSO pointed at a local key server, then a coordination with two
// organisers, a request admitted for the organiser and another left waiting, the case in its chat
// with two participants and a date, a poll that two of its three members answer, a PSI published
// twice, a record. Tokens come from `token(who)` or `bearer(who)`; nothing here writes to the
// database directly. Fictional people only (cast.ts).
import { newSigner, Signer, ssoClaims, ssoToken, startJwksServer, tabSsoEnv } from '../support/ssoTokens';
import { EmbeddedBotRun, startOnEmbeddedDb, stopEmbeddedRun } from './botRun';
import { brussels, cardOf, member, people, pick, STORY_COORDINATORS } from './story';
import { Card, textOf, User } from './teamsClient';

export const TAB_CAST = people('fr');
const { coordinator: coord, organiser: org, requester: req, participants, words: w } = TAB_CAST;
/** A second organiser of the pool: in the case's chat and poll, but neither its organiser nor one of its participants. */
export const OTHER_ORGANISER = participants[2];
/** The first concertation of the case. */
export const TAB_MEETING = { start: () => brussels(20, 14), place: 'Maison médicale fictive' };
/** The needs of the PSI's first and second published versions. */
export const PSI_NEEDS = ['Aide au quotidien / Hulp in het dagelijks leven', 'Aide au quotidien, soins infirmiers / Hulp, verpleging'] as const;

export interface TabRun {
  run: EmbeddedBotRun;
  /** The admitted request's case. */
  caseId: string;
  /** The request left waiting for the coordination. */
  waitingId: string;
  /** A fresh SSO token for `who` (claims overridable, tenant too). */
  token(who: User, over?: Record<string, unknown>, tid?: string): string;
  /** `Authorization` header with a fresh token. */
  bearer(who: User, over?: Record<string, unknown>, tid?: string): { authorization: string };
  /** Every token handed out, to check none reaches the log. */
  tokens: string[];
  stop(): Promise<number | null | undefined>;
}

/** Starts the built bot with the tab's SSO on a local key server and plays the story; `env` is added (e.g. TAB_FRAME_ANCESTORS). */
export async function startTabStory(env: Record<string, string> = {}): Promise<TabRun> {
  const signer: Signer = newSigner('shipped-tab-key');
  const jwks = await startJwksServer([signer]);
  let run: EmbeddedBotRun | undefined;
  try {
    run = await startOnEmbeddedDb(tabSsoEnv(jwks.url, { BOOTSTRAP_COORDINATOR_IDS: STORY_COORDINATORS.join(','), DB_NAME: 'tab', ...env }));
    const ids = await playTabStory(run);
    const tokens: string[] = [];
    const token: TabRun['token'] = (who, over = {}, tid) => {
      const t = ssoToken(signer, ssoClaims(who.aadObjectId, over, tid));
      tokens.push(t);
      return t;
    };
    const started = run;
    return {
      run,
      ...ids,
      tokens,
      token,
      bearer: (...args) => ({ authorization: `Bearer ${token(...args)}` }),
      stop: async () => {
        const code = await stopEmbeddedRun(started);
        await jwks.close();
        return code;
      },
    };
  } catch (err) {
    await stopEmbeddedRun(run);
    await jwks.close();
    throw err;
  }
}

async function playTabStory(run: EmbeddedBotRun): Promise<{ caseId: string; waitingId: string }> {
  const { client } = run;
  const cast = TAB_CAST;
  const mine = cast.personal;
  /** A request typed through the whole sheet: its tracking id. */
  const request = async () => {
    let last = await client.say(req, mine(req), w.newRequest);
    for (const answer of cast.sheet) last = typeof answer === 'string' ? await client.say(req, mine(req), answer) : await client.submit(req, mine(req), answer);
    const id = /CMD-\d{4}-\d{4,}/.exec(last.texts.join(' '))?.[0];
    if (!id) throw new Error(`no tracking id after the sheet: ${textOf(last).slice(0, 400)}`);
    return id;
  };
  client.connector.setMembers([coord, org, req, ...participants].map(member));

  // The coordination and its pool: the organiser, and another who will not run the case.
  await client.say(coord, cast.coordination, w.setCoordination);
  let pool = cardOf('pool card', await client.say(coord, mine(coord), w.organisers));
  for (const o of [org, OTHER_ORGANISER]) pool = cardOf('pool after save', await client.click(coord, mine(coord), pool, 'pool.save', { person: `${o.aadObjectId}|${o.id}|${o.name}`, role: 'organiser', languages: cast.lang, sector: 'hospital', sectors: '' }));

  // A request, admitted for the organiser; another one left waiting.
  const mark = client.mark();
  const caseId = await request();
  const triage = await client.waitForProactive((a) => textOf(a).includes(caseId) && textOf(a).includes('triage.yes'), mark, 'the triage card');
  await client.click(coord, cast.coordination, triage.attachments[0].content, 'triage.yes', { organiser: org.aadObjectId, notes: '' });
  const waitingId = await request();

  // The case in its chat: two participants and a date.
  client.connector.setMembers([org, ...participants].map(member), cast.caseChat.id);
  await client.say(org, cast.caseChat, `${w.linkCase} ${caseId}`);
  const list = cardOf('my cases', await client.say(org, mine(org), w.myCases));
  let caseCard = cardOf('case card', await client.click(org, mine(org), list, 'case.open', {}, (a) => a.data?.trackingId === caseId));
  for (const p of participants.slice(0, 2)) {
    caseCard = cardOf('case after adding', await client.click(org, mine(org), caseCard, 'case.addParticipant', { pRole: 'professional', pProfile: 'gp', pName: p.name, pTeamsUser: p.aadObjectId, pContact: '', pRelation: '' }));
  }
  cardOf('case scheduled', await client.click(org, mine(org), caseCard, 'case.schedule', { sDate: TAB_MEETING.start().toISODate(), sTime: '14:00', sDuration: '90', sPlace: TAB_MEETING.place, sLink: '' }));

  // A poll for the three in the chat, the first required; the third does not answer.
  const form = cardOf('poll form', await client.say(org, cast.caseChat, `${w.newPoll} ${caseId}`));
  const pollMark = client.mark();
  cardOf('poll created', await client.click(org, cast.caseChat, form, 'poll.create', {
    placeKind: 'home', placeDetails: '', deadline_date: brussels(5, 18).toISODate(), deadline_time: '18:00',
    members: participants.map((p) => p.aadObjectId).join(','), requiredMembers: participants[0].aadObjectId, externalsRequired: '', externalsOptional: '',
    slot1_date: brussels(10, 10).toISODate(), slot1_time: '10:00', slot1_duration: '90',
    slot2_date: brussels(11, 10).toISODate(), slot2_time: '10:00', slot2_duration: '90',
  }));
  const shared = (await client.waitForProactive((a) => textOf(a).includes('poll.refresh'), pollMark, 'the poll card in the chat')).attachments[0].content as Card;
  const answer = async (who: User, choices: Record<string, string>) => client.click(who, cast.caseChat, await client.viewAs(who, cast.caseChat, shared), 'poll.answer', choices);
  await answer(participants[0], { slot_s1: 'yes', slot_s2: 'ifNeedBe' });
  await answer(participants[1], { slot_s1: 'yes', slot_s2: 'no' });

  // The PSI, published twice (the page shows the earlier version too), and the record.
  let psi = cardOf('psi card', await client.say(org, cast.caseChat, `${w.psi} ${caseId}`));
  const step = async (verb: string, inputs: Record<string, unknown> = {}) => {
    psi = cardOf(`psi after ${verb}`, await client.click(org, cast.caseChat, psi, verb, inputs));
  };
  for (const needs of PSI_NEEDS) {
    await step('psi.edit');
    await step('psi.saveSections', { needs, objectives: 'Rester à domicile / Thuis blijven wonen', projects: '', avoid: '', limits: '', referentName: org.name, referentPhone: '', referentAddress: '', referentPlace: '', noteText: '', noteDate: '', nextDate: brussels(30, 10).toISODate(), periodicity: pick(psi, 'periodicity', 0) });
    await step('psi.publish');
  }

  const record = cardOf('record', await client.say(org, mine(org), `${w.record} ${caseId}`));
  await client.click(org, mine(org), record, 'record.save', { date: brussels(0, 0).toISODate(), consentType: 'oral', consentComment: '', preparationHours: '1', durationHours: '1.5', place: 'home', placeOther: '', firstForOrganiser: 'true', personPresent: 'true', referentPresent: 'true', professionalsPresent: '2', professionalProfiles: 'gp', relativesPresent: '0', relativesLinks: '', cateringCents: '0', roomCents: '0', amountsPreApproved: 'false', comments: '' });
  if (client.problems.length) throw new Error(`the tab story met problems: ${client.problems.join('; ')}`);
  return { caseId, waitingId };
}
