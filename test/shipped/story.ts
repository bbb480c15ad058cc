// The story a new team plays on Monday morning, as data and steps: who types what, in which
// conversation, and which buttons they press on the cards the bot sent them. Fictional people only.
import { DateTime } from 'luxon';
import { BRUSSELS } from '../../domain/time';
import { t } from '../../locales/i18n';
import type { Cast } from './cast';
import { CARER_NAME, PSI_WORDS, SELF_REQUESTERS } from './cast';
import { actionsOf, Card, choicesOf, routeOf, TeamsClient, textOf, User } from './teamsClient';

export { CARER_NAME, people, PSI_WORDS, REFUSED_IDENTIFIERS, SELF_REQUESTERS, STORY_COORDINATORS } from './cast';
export type { Cast, Lang } from './cast';

export const brussels = (days: number, hour: number) => DateTime.now().setZone(BRUSSELS).plus({ days }).set({ hour, minute: 0, second: 0, millisecond: 0 });

function expectText(what: string, haystack: unknown, needle: RegExp | string): void {
  const text = textOf(haystack);
  const ok = typeof needle === 'string' ? text.includes(needle) : needle.test(text);
  if (!ok) throw new Error(`${what}: expected ${String(needle)} in ${text.slice(0, 800)}`);
}

/** The card that replaced the clicked one (or came as a reply); a notice instead fails with its text. */
export function cardOf(what: string, r: { card?: Card; cards?: Card[]; message?: string; texts?: string[] }): Card {
  const c = r.card ?? r.cards?.[0];
  if (!c) throw new Error(`${what}: no card (${r.message ?? r.texts?.join(' / ') ?? ''})`);
  return c;
}

/** The n-th value (negative: from the end) of a choice set on the card. */
export function pick(card: Card, inputId: string, n: number): string {
  const values = choicesOf(card, inputId);
  const v = values.at(n);
  if (!v) throw new Error(`no choice in "${inputId}" (card: ${textOf(card).slice(0, 400)})`);
  return v;
}

/** The error line a card shows (Attention-coloured text), if any. */
function errorsOn(card: Card | undefined): string {
  return (textOf(card).match(/"text":"[^"]*","wrap":true,"color":"Attention"/g) ?? []).join(' ');
}

export function onlyCard(what: string, cards: Card[] | undefined): Card {
  const c = cards?.[0];
  if (!c) throw new Error(`${what}: no card`);
  return c;
}

export const member = (u: User) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name, email: `${u.id.slice(3)}@example.org`, userPrincipalName: `${u.id.slice(3)}@example.org` });

export async function playStory(client: TeamsClient, cast: Cast): Promise<void> {
  const { coordinator: coord, organiser: org, requester: req, participants, words: w } = cast;
  const mine = cast.personal;
  const everyone = [coord, org, req, ...participants];
  client.connector.setMembers(everyone.map(member));

  // --- Help and language, anywhere.
  expectText('help', await client.say(req, mine(req), w.help), /CMD|concertation|overleg/i);
  expectText('language', await client.say(req, mine(req), w.language), /./);

  // --- Coordination: the conversation where requests arrive. The organiser pool starts empty (the
  // Dutch run first deactivates the organisers the French run added).
  expectText('set coordination', await client.say(coord, cast.coordination, w.setCoordination), /./);
  let pool = onlyCard('pool card', (await client.say(coord, mine(coord), w.organisers)).cards);
  for (const earlier of cast.earlierOrganisers) {
    const off = actionsOf(pool).find((a) => routeOf(a) === 'pool.toggle' && a.data?.aadObjectId === earlier);
    if (off) pool = cardOf('pool card after deactivating', await client.click(coord, mine(coord), pool, 'pool.toggle', {}, (a) => a.data?.aadObjectId === earlier));
  }

  // --- The requester: cancel a first attempt, then the whole anonymous sheet.
  await client.say(req, mine(req), w.newRequest);
  expectText('cancel', await client.say(req, mine(req), w.cancel), /./);
  const coordinationMark = client.mark();
  let last = await client.say(req, mine(req), w.newRequest);
  for (const answer of cast.sheet) last = typeof answer === 'string' ? await client.say(req, mine(req), answer) : await client.submit(req, mine(req), answer);
  const trackingId = /CMD-\d{4}-\d{4,}/.exec(last.texts.join(' '))?.[0];
  if (!trackingId) throw new Error(`no tracking id after the sheet: ${textOf(last).slice(0, 600)}`);
  expectText('my requests', await client.say(req, mine(req), w.myRequests), trackingId);

  // --- Nobody to assign yet: the coordination is told to add organisers; it does, then shows the request.
  const waiting = await client.waitForProactive((a) => textOf(a).includes(trackingId) && textOf(a).includes('triage.show'), coordinationMark, 'the "add organisers" notice');
  const saved = await client.click(coord, mine(coord), pool, 'pool.save', { person: `${org.aadObjectId}|${org.id}|${org.name}`, role: 'organiser', languages: cast.lang, sector: 'mentalHealth', sectors: 'soins palliatifs' });
  expectText('organiser added', saved, org.name);
  const extra = participants[2];
  const savedExtra = await client.click(coord, mine(coord), cardOf('pool card after save', saved), 'pool.save', { person: `${extra.aadObjectId}|${extra.id}|${extra.name}`, role: 'organiser', languages: cast.lang, sector: 'elderly' });
  cardOf('pool card after toggle', await client.click(coord, mine(coord), cardOf('pool card', savedExtra), 'pool.toggle', {}, (a) => a.data?.aadObjectId === extra.aadObjectId));
  const shown = await client.click(coord, cast.coordination, waiting.attachments[0].content, 'triage.show');
  const triage = cardOf('triage card once the pool has someone', shown);
  const organiserMark = client.mark();
  const decided = await client.click(coord, cast.coordination, triage, 'triage.yes', { organiser: org.aadObjectId, notes: '' });
  expectText('triage decided', decided, org.name);
  // Two more requests are decided "under condition" and "no" to exercise every triage verb. The
  // first comes from the person herself: the coordination sees only that she is the requester.
  const otherCases: string[] = [];
  const person = cast.person;
  let selfRequest = '';
  for (const verb of ['triage.conditional', 'triage.no'] as const) {
    const mark = client.mark();
    const [who, sheet] = verb === 'triage.conditional' ? [person, cast.selfSheet] : [req, cast.sheet];
    let l = await client.say(who, mine(who), w.newRequest);
    for (const answer of sheet) l = typeof answer === 'string' ? await client.say(who, mine(who), answer) : await client.submit(who, mine(who), answer);
    const id = /CMD-\d{4}-\d{4,}/.exec(l.texts.join(' '))?.[0];
    const post = await client.waitForProactive((a) => Boolean(id) && textOf(a).includes(id!) && textOf(a).includes(verb), mark, `triage card of ${id}`);
    if (verb === 'triage.conditional') {
      if (textOf(post).includes(person.name) || textOf(post).includes(SELF_REQUESTERS[cast.lang].phone)) throw new Error('the triage card names the person who asked');
      selfRequest = id!;
    }
    const r = await client.click(coord, cast.coordination, post.attachments[0].content, verb, { organiser: org.aadObjectId, refusalReason: 'noNeed', notes: 'Situation suivie ailleurs / elders opgevolgd' });
    expectText(verb, r, id!);
    if (verb === 'triage.no') expectText('the refusal reason', r, cast.lang === 'nl' ? 'De situatie vereist geen of geen overleg meer' : 'La situation ne nécessite pas ou plus de concertation');
    if (verb === 'triage.conditional') otherCases.push(id!);
  }
  // Only the organiser assigned after admission may see who she is and how to reach her.
  const selfAssignment = await client.waitForProactive((a) => textOf(a).includes(selfRequest) && textOf(a).includes('requester.contact'), organiserMark, 'the assignment card of her request');
  expectText('her contact, for the organiser', await client.click(org, mine(org), selfAssignment.attachments[0].content, 'requester.contact'), SELF_REQUESTERS[cast.lang].phone);

  // --- The organiser is told, with the sheet and a button to open the case (an assignment card
  // posted by the previous version has an Action.Submit "openCase" instead: it still works).
  const assignment = await client.waitForProactive((a) => textOf(a).includes(trackingId) && textOf(a).includes('case.open'), organiserMark, 'the assignment card');
  expectText('open case', cardOf('case card from the assignment', await client.click(org, mine(org), assignment.attachments[0].content, 'case.open')), trackingId);

  cardOf('case card from an older assignment card', { cards: (await client.submit(org, mine(org), { action: 'openCase', trackingId })).cards });

  // --- The case's group chat: link it, see the case, add people, schedule, statuses.
  client.connector.setMembers([org, ...participants].map(member), cast.caseChat.id);
  expectText('link', await client.say(org, cast.caseChat, `${w.linkCase} ${trackingId}`), trackingId);
  const list = onlyCard('my cases', (await client.say(org, mine(org), w.myCases)).cards);
  const caseOpen = await client.click(org, mine(org), list, 'case.open', {}, (a) => a.data?.trackingId === trackingId);
  let caseCard = cardOf('case card', caseOpen);
  for (const p of [...participants, req, coord]) {
    const r = await client.click(org, mine(org), caseCard, 'case.addParticipant', { pRole: 'professional', pProfile: 'gp', pName: p.name, pTeamsUser: p.aadObjectId, pContact: '', pRelation: '' });
    caseCard = cardOf('case card after adding', r);
  }
  let r = await client.click(org, mine(org), caseCard, 'case.addParticipant', { pRole: 'carer', pProfile: '', pName: 'Kim Fictif', pTeamsUser: '', pContact: '', pRelation: 'fille' });
  caseCard = cardOf('case card after adding a carer', r);
  // The carer added last is removed again; the professionals stay on the case.
  const carerKey = actionsOf(caseCard).filter((a) => a.verb === 'case.removeParticipant').at(-1)?.data?.key;
  r = await client.click(org, mine(org), caseCard, 'case.removeParticipant', {}, (a) => a.data?.key === carerKey);
  caseCard = cardOf('case card after removing', r);
  r = await client.click(org, mine(org), caseCard, 'case.reminderOffsets', { rOffsets: '9,7,5,3,1' });
  caseCard = cardOf('case card after offsets', r);
  const when = brussels(20, 14);
  r = await client.click(org, mine(org), caseCard, 'case.schedule', { sDate: when.toISODate(), sTime: '14:00', sDuration: '105', sPlace: 'Maison médicale fictive', sLink: '' });
  caseCard = cardOf('case card after scheduling', r);
  r = await client.click(org, mine(org), caseCard, 'case.status', { statusTo: 'standBy', reason: 'other', reasonText: 'En attente du retour de la personne', statusNote: '' });
  caseCard = cardOf('case card after stand-by', r);
  r = await client.click(org, mine(org), caseCard, 'case.status', { statusTo: 'reactivated', reason: '', reasonText: '', statusNote: '' });
  caseCard = cardOf('case card after re-activation', r);

  // The organiser's second case (admitted under condition) gets its own date: five more reminders.
  for (const other of otherCases) {
    let c2 = cardOf('second case', await client.click(org, mine(org), list, 'case.open', {}, (a) => a.data?.trackingId === other));
    c2 = cardOf('second case offsets', await client.click(org, mine(org), c2, 'case.reminderOffsets', { rOffsets: '9,7,5,3,1' }));
    cardOf('second case scheduled', await client.click(org, mine(org), c2, 'case.schedule', { sDate: brussels(12, 10).toISODate(), sTime: '10:00', sDuration: '90', sPlace: 'CPAS fictif', sLink: '' }));
  }

  // --- The availability poll in the case's chat.
  const form = onlyCard('poll form', (await client.say(org, cast.caseChat, `${w.newPoll} ${trackingId}`)).cards);
  const more = await client.click(org, cast.caseChat, form, 'poll.moreSlots', {});
  const form2 = cardOf('poll form with more rows', more);
  const slot = (d: number) => brussels(d, 10);
  const deadline = brussels(5, 18);
  const pollMark = client.mark();
  const created = await client.click(org, cast.caseChat, form2, 'poll.create', {
    placeKind: 'home', placeDetails: '', deadline_date: deadline.toISODate(), deadline_time: '18:00',
    members: participants.map((p) => p.aadObjectId).join(','), requiredMembers: participants[0].aadObjectId, externalsRequired: 'Kim Fictif (aidante)', externalsOptional: '',
    slot1_date: slot(10).toISODate(), slot1_time: '10:00', slot1_duration: '105',
    slot2_date: slot(11).toISODate(), slot2_time: '10:00', slot2_duration: '105',
    slot3_date: slot(12).toISODate(), slot3_time: '14:00', slot3_duration: '105',
  });
  // The organiser gets their management view back; the chat gets the shared card, which each
  // participant's Teams refreshes into their own view.
  let manage = await client.viewAs(org, cast.caseChat, cardOf('poll management view', created));
  const sharedPost = await client.waitForProactive((a) => textOf(a).includes('poll.refresh'), pollMark, 'the poll card in the chat');
  const shared = sharedPost.attachments[0].content as Card;
  const answer = async (who: User, choices: Record<string, string>) => client.click(who, cast.caseChat, await client.viewAs(who, cast.caseChat, shared), 'poll.answer', choices);
  await answer(participants[0], { slot_s1: 'yes', slot_s2: 'yes', slot_s3: 'yes' });
  await answer(participants[1], { slot_s1: 'no', slot_s2: 'yes', slot_s3: 'ifNeedBe' });
  await answer(participants[1], { slot_s1: 'yes', slot_s2: 'yes', slot_s3: 'no' }); // changes their mind
  await answer(participants[2], { slot_s1: 'ifNeedBe', slot_s2: 'no', slot_s3: 'no' });
  manage = cardOf('poll refreshed', await client.click(org, cast.caseChat, manage, 'poll.refresh'));
  const act = async (verb: string, inputs: Record<string, unknown>) => {
    const res = await client.click(org, cast.caseChat, manage, verb, inputs);
    if (res.card) manage = res.card;
    return res;
  };
  await act('poll.answerFor', { answer_for: pick(manage, 'answer_for', 0), slot_s1: 'yes' });
  await act('poll.remind', {});
  await act('poll.extend', { deadline_date: brussels(6, 18).toISODate(), deadline_time: '18:00' });
  await act('poll.addSlot', { new_date: slot(13).toISODate(), new_time: '09:00', new_duration: '90' });
  await act('poll.removeSlot', { remove_slot: pick(manage, 'remove_slot', -1) });
  await act('poll.close', {});
  const agendaMark = client.mark();
  await act('poll.choose', { final_slot: pick(manage, 'final_slot', 0) });
  // A second poll, cancelled.
  const form3 = onlyCard('second poll form', (await client.say(org, cast.caseChat, `${w.newPoll} ${trackingId}`)).cards);
  const second = await client.click(org, cast.caseChat, form3, 'poll.create', {
    placeKind: 'online', placeDetails: '', deadline_date: deadline.toISODate(), deadline_time: '18:00', members: participants[0].aadObjectId, requiredMembers: '', externalsRequired: 'Kim Fictif', externalsOptional: '',
    slot1_date: slot(15).toISODate(), slot1_time: '10:00', slot1_duration: '60',
    slot2_date: slot(16).toISODate(), slot2_time: '10:00', slot2_duration: '60',
  });
  manage = await client.viewAs(org, cast.caseChat, cardOf('second poll', second));
  await act('poll.choose', { final_slot: pick(manage, 'final_slot', 0) });
  await act('poll.cancel', {});

  // The requester learns the date in their 1:1 chat: the tracking id and the date, nothing about the person.
  const told = await client.waitForProactive((a) => textOf(a).includes(trackingId) && a.conversation?.id === mine(req).id, agendaMark, "the requester's date notice");
  if (/Saint-Gilles|Schaarbeek|Madame|Mevrouw/.test(textOf(told.text))) throw new Error(`the requester's notice says more than the date: ${told.text}`);

  await legacyPoll(client, cast, trackingId);

  // --- The agenda card in the case's chat: confirm, add and remove a point, show it again.
  const agendaPost = await client.waitForProactive((a) => textOf(a).includes('agenda.attend'), agendaMark, 'the agenda card');
  const agenda = agendaPost.attachments[0].content as Card;
  const participantView = await client.viewAs(participants[0], cast.caseChat, agenda);
  await client.click(participants[0], cast.caseChat, participantView, 'agenda.attend', {});
  let organiserView = await client.viewAs(org, cast.caseChat, agenda);
  organiserView = cardOf('agenda with a point', await client.click(org, cast.caseChat, organiserView, 'agenda.addPoint', { newPoint: 'Retour à domicile / Terugkeer naar huis' }));
  await client.click(org, cast.caseChat, organiserView, 'agenda.removePoint', {});
  // The poll's place ("at the person's home") reads in words on the agenda, never as a code.
  expectText('agenda place', organiserView, t(cast.lang, 'poll.place.home'));
  expectText('agenda again', await client.say(org, cast.caseChat, `${w.agenda} ${trackingId}`), trackingId);

  // --- The PSI: sections, an action, an actor, sharing; versions.
  const psiMark = client.mark();
  const psiReply = await client.say(org, cast.caseChat, `${w.psi} ${trackingId}`);
  let psi = onlyCard('psi card', psiReply.cards);
  const psiStep = async (verb: string, inputs: Record<string, unknown> = {}, match?: (a: Record<string, any>) => boolean) => {
    const res = await client.click(org, cast.caseChat, psi, verb, inputs, match);
    if (res.card) psi = res.card;
    const refused = errorsOn(res.card) || res.message;
    if (process.env.STORY_DEBUG) console.log(verb, refused, textOf(res.card).match(/"text":"[^"]*"/g)?.slice(0, 30).join(' '));
    return res;
  };
  await psiStep('psi.edit');
  await psiStep('psi.saveSections', { needs: 'Aide au quotidien / Hulp in het dagelijks leven', objectives: 'Rester à domicile / Thuis blijven wonen', projects: '', avoid: '', limits: '', referentName: org.name, referentPhone: '', referentAddress: '', referentPlace: '', noteText: '', noteDate: '', nextDate: brussels(7, 10).toISODate(), periodicity: pick(psi, 'periodicity', 0) });
  for (const what of ['Passage infirmier / Verpleegbezoek', 'Repas à domicile / Maaltijden aan huis']) {
    await psiStep('psi.saveAction', { rowId: '', what, how: 'quotidien', byWhom: participants[0].name, priorityWhen: 'urgent', dueDate: brussels(0, 9).toISODate(), urgentContact: '' });
  }
  const participantKeys = choicesOf(psi, 'participantKey', participants[0].name).filter(Boolean);
  await psiStep('psi.saveActor', { actorId: '', participantKey: participantKeys[0] ?? '', actorName: participants[0].name, actorRoles: 'infirmier', actorContact: '', actorShare: 'true' });
  await psiStep('psi.saveActor', { actorId: '', participantKey: '', actorName: 'Kim Fictif', actorRoles: 'aidante', actorContact: '', actorShare: 'false' });
  await psiStep('psi.removeAction', {}, (a) => textOf(a.data).includes('rowId'));
  // The carer is removed again (the last actor added); the Teams participant stays and is shared with.
  const carerActor = actionsOf(psi).filter((a) => a.verb === 'psi.removeActor').at(-1)?.data?.actorId;
  await psiStep('psi.removeActor', {}, (a) => a.data?.actorId === carerActor);
  await psiStep('psi.share', { shareWith: choicesOf(psi, 'shareWith').join(',') });
  await psiStep('psi.publish', {});
  await psiStep('psi.edit');
  await psiStep('psi.saveSections', { needs: 'Aide au quotidien, soins / Hulp, verzorging', objectives: 'Rester à domicile / Thuis blijven wonen', projects: '', avoid: '', limits: '', referentName: org.name, referentPhone: '', referentAddress: '', referentPlace: '', noteText: '', noteDate: '', nextDate: brussels(7, 10).toISODate(), periodicity: pick(psi, 'periodicity', 0) });
  await psiStep('psi.publish', {});
  await psiStep('psi.view', {});
  await psiStep('psi.edit');
  await psiStep('psi.saveSections', { needs: 'Aide au quotidien, courses / Hulp, boodschappen', objectives: 'Rester à domicile / Thuis blijven wonen', projects: '', avoid: '', limits: '', referentName: org.name, referentPhone: '', referentAddress: '', referentPlace: '', noteText: '', noteDate: '', nextDate: brussels(7, 10).toISODate(), periodicity: pick(psi, 'periodicity', 0) });
  await psiStep('psi.discard', {});
  // The published PSI reaches the case's chat and the consenting actors with an "open" button.
  const posted = await client.waitForProactive((a) => textOf(a).includes('psi.open'), psiMark, 'the PSI card in the chat');
  cardOf('PSI opened from the chat', await client.click(participants[0], cast.caseChat, posted.attachments[0].content, 'psi.open'));
  // The network map of the published version, alone, in the organiser's 1:1 chat.
  const networkMap = await client.say(org, mine(org), `${w.networkMap} ${trackingId}`);
  expectText('network map', networkMap, trackingId);
  expectText('network map picture', networkMap, 'data:image/png;base64,');

  // --- The concertation record and fees (1:1 only), then the coordination's export and activity report.
  const record = onlyCard('record', (await client.say(org, mine(org), `${w.record} ${trackingId}`)).cards);
  const recSaved = await client.click(org, mine(org), record, 'record.save', { date: brussels(0, 0).toISODate(), consentType: 'oral', consentComment: '', preparationHours: '1', durationHours: '1.75', place: 'home', placeOther: '', firstForOrganiser: 'true', personPresent: 'true', referentPresent: 'true', professionalsPresent: '3', professionalProfiles: 'gp', relativesPresent: '1', relativesLinks: 'fille', cateringCents: '0', roomCents: '0', amountsPreApproved: 'false', comments: '' });
  if (errorsOn(recSaved.card)) throw new Error(`record not saved: ${errorsOn(recSaved.card)}`);
  // The same record opens from the case card.
  cardOf('record from the case card', await client.click(org, mine(org), caseCard, 'record.open', {}));
  const year = DateTime.now().year;
  expectText('export', await client.say(coord, mine(coord), `${w.export} ${year}-01-01 ${year + 1}-12-31`), /exports\//);
  // The activity report of the year counts the story's requests and this concertation.
  expectText('activity report', await client.say(coord, mine(coord), `${w.report} ${year}-01-01 ${year}-12-31`), /data:image\/png;base64,.*exports\/[A-Za-z0-9_-]+\.xlsx/);

  // --- Reminders. The PSI's next concertation is a week away and an action is due today (its
  // reminder, the day before at 09:00, is past at any hour): the follow-up reminder (to the organiser, no référent in Teams) and the action's reminder (to its
  // owner) are already due, so the scheduler sends them at once.
  const followUp = await client.waitForProactive((a) => textOf(a).includes('reminder.planConcertation') && textOf(a).includes(trackingId), psiMark, 'the follow-up reminder');
  const planned = await client.click(org, mine(org), followUp.attachments[0].content, 'reminder.planConcertation');
  if (!planned.card && !planned.message) throw new Error('plan a concertation: no answer');
  const actionReminder = await client.waitForProactive((a) => textOf(a).includes('reminder.done') && textOf(a).includes(trackingId) && !textOf(a).includes('reminder.planConcertation'), psiMark, 'the PSI action reminder');
  await client.click(participants[0], mine(participants[0]), actionReminder.attachments[0].content, 'reminder.done');
  // The organiser's list runs over a page (five meeting reminders per person, two cases): the next page.
  const firstPage = onlyCard('my reminders', (await client.say(org, mine(org), w.myReminders)).cards);
  cardOf('next page of my reminders', await client.click(org, mine(org), firstPage, 'reminder.page', {}));
  // Snooze and cancel from the list.
  for (const verb of ['reminder.snooze1d', 'reminder.snooze1w', 'reminder.cancel']) {
    const list = onlyCard('my reminders', (await client.say(org, mine(org), w.myReminders)).cards);
    const res = await client.click(org, mine(org), list, verb, {});
    if (res.message && !res.card) expectText(verb, res.message, /./);
  }
}

/** The same poll from a Teams client without universal actions: every button is an Action.Submit. */
async function legacyPoll(client: TeamsClient, cast: Cast, trackingId: string): Promise<void> {
  const { organiser: org, participants, words: w } = cast;
  const chat = cast.caseChat;
  const slot = (d: number) => brussels(d, 16);
  client.legacy = true;
  try {
    const form = onlyCard('poll form', (await client.say(org, chat, `${w.newPoll} ${trackingId}`)).cards);
    const wider = cardOf('poll form, more rows', await client.click(org, chat, form, 'poll.moreSlots', {}));
    let card = cardOf('poll created', await client.click(org, chat, wider, 'poll.create', {
      placeKind: 'home', placeDetails: '', deadline_date: brussels(5, 18).toISODate(), deadline_time: '18:00',
      members: participants.map((p) => p.aadObjectId).join(','), requiredMembers: '', externalsRequired: 'Kim Fictif (aidante)', externalsOptional: '',
      slot1_date: slot(30).toISODate(), slot1_time: '16:00', slot1_duration: '90',
      slot2_date: slot(31).toISODate(), slot2_time: '16:00', slot2_duration: '90',
    }));
    const step = async (who: User, route: string, inputs: Record<string, unknown>) => {
      const res = await client.click(who, chat, card, route, inputs);
      if (res.card) card = res.card;
      return res;
    };
    await step(org, 'poll.refresh', {});
    // The participant's client shows the shared card; "refresh" brings their own view, then they answer.
    const own = cardOf('participant view', await client.click(participants[1], chat, card, 'poll.refresh', {}));
    await client.click(participants[1], chat, own, 'poll.answer', { slot_s1: 'yes', slot_s2: 'ifNeedBe' });
    await step(org, 'poll.refresh', {});
    await step(org, 'poll.answerFor', { answer_for: pick(card, 'answer_for', 0), slot_s1: 'yes', slot_s2: 'no' });
    await step(org, 'poll.remind', {});
    await step(org, 'poll.extend', { deadline_date: brussels(6, 18).toISODate(), deadline_time: '18:00' });
    await step(org, 'poll.addSlot', { new_date: slot(32).toISODate(), new_time: '16:00', new_duration: '90' });
    await step(org, 'poll.removeSlot', { remove_slot: pick(card, 'remove_slot', -1) });
    await step(org, 'poll.close', {});
    await step(org, 'poll.choose', { final_slot: pick(card, 'final_slot', 0) });
    await step(org, 'poll.cancel', {});
  } finally {
    client.legacy = false;
  }
}
