// A short story for the dashboard tab's shipped test, played through the built bot as Teams would:
// the coordination adds an organiser, two anonymous requests arrive, one is admitted for the
// organiser, who links its group chat and opens an availability poll that two participants answer
// (the third does not), then publishes the case's PSI twice; the other request waits for triage. Fictional people only (cast.ts).
import type { Cast } from './cast';
import { brussels, cardOf, member, onlyCard, pick } from './story';
import { Card, TeamsClient, textOf, User } from './teamsClient';

/** The needs of the PSI's first and second published versions. */
export const PSI_NEEDS = ['Aide au quotidien / Hulp in het dagelijks leven', 'Aide au quotidien, soins infirmiers / Hulp, verpleging'] as const;

export interface TabStory {
  /** The admitted case, with its open poll and two published PSI versions. */
  caseId: string;
  /** The request still waiting for triage. */
  waitingId: string;
}

async function request(client: TeamsClient, cast: Cast, who: User): Promise<string> {
  const mine = cast.personal(who);
  let last = await client.say(who, mine, cast.words.newRequest);
  for (const answer of cast.sheet) last = typeof answer === 'string' ? await client.say(who, mine, answer) : await client.submit(who, mine, answer);
  const id = /CMD-\d{4}-\d{4,}/.exec(last.texts.join(' '))?.[0];
  if (!id) throw new Error(`no tracking id after the sheet: ${textOf(last).slice(0, 400)}`);
  return id;
}

export async function playTabStory(client: TeamsClient, cast: Cast): Promise<TabStory> {
  const { coordinator: coord, organiser: org, requester: req, participants, words: w } = cast;
  const mine = cast.personal;
  client.connector.setMembers([coord, org, req, ...participants].map(member));

  await client.say(coord, cast.coordination, w.setCoordination);
  const pool = onlyCard('pool card', (await client.say(coord, mine(coord), w.organisers)).cards);
  cardOf('pool after save', await client.click(coord, mine(coord), pool, 'pool.save', { person: `${org.aadObjectId}|${org.id}|${org.name}`, role: 'organiser', languages: cast.lang, sectors: '' }));

  const mark = client.mark();
  const caseId = await request(client, cast, req);
  const triage = await client.waitForProactive((a) => textOf(a).includes(caseId) && textOf(a).includes('triage.yes'), mark, 'the triage card');
  await client.click(coord, cast.coordination, triage.attachments[0].content, 'triage.yes', { organiser: org.aadObjectId, notes: '' });
  const waitingId = await request(client, cast, req);

  client.connector.setMembers([org, ...participants].map(member), cast.caseChat.id);
  await client.say(org, cast.caseChat, `${w.linkCase} ${caseId}`);
  const form = onlyCard('poll form', (await client.say(org, cast.caseChat, `${w.newPoll} ${caseId}`)).cards);
  const slot = (d: number) => brussels(d, 10);
  const pollMark = client.mark();
  cardOf('poll created', await client.click(org, cast.caseChat, form, 'poll.create', {
    placeKind: 'home', placeDetails: '', deadline_date: brussels(5, 18).toISODate(), deadline_time: '18:00',
    members: participants.map((p) => p.aadObjectId).join(','), requiredMembers: participants[0].aadObjectId, externalsRequired: '', externalsOptional: '',
    slot1_date: slot(10).toISODate(), slot1_time: '10:00', slot1_duration: '90',
    slot2_date: slot(11).toISODate(), slot2_time: '10:00', slot2_duration: '90',
  }));
  const shared = (await client.waitForProactive((a) => textOf(a).includes('poll.refresh'), pollMark, 'the poll card in the chat')).attachments[0].content as Card;
  const answer = async (who: User, choices: Record<string, string>) => client.click(who, cast.caseChat, await client.viewAs(who, cast.caseChat, shared), 'poll.answer', choices);
  await answer(participants[0], { slot_s1: 'yes', slot_s2: 'ifNeedBe' });
  await answer(participants[1], { slot_s1: 'yes', slot_s2: 'no' });

  let psi = onlyCard('psi card', (await client.say(org, cast.caseChat, `${w.psi} ${caseId}`)).cards);
  const step = async (verb: string, inputs: Record<string, unknown> = {}) => {
    psi = cardOf(`psi after ${verb}`, await client.click(org, cast.caseChat, psi, verb, inputs));
  };
  for (const needs of PSI_NEEDS) {
    await step('psi.edit');
    await step('psi.saveSections', { needs, objectives: 'Rester à domicile / Thuis blijven wonen', projects: '', avoid: '', limits: '', referentName: org.name, referentPhone: '', referentAddress: '', referentPlace: '', noteText: '', noteDate: '', nextDate: brussels(30, 10).toISODate(), periodicity: pick(psi, 'periodicity', 0) });
    await step('psi.publish');
  }
  return { caseId, waitingId };
}
