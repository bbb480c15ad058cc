// The dashboard tab's API in the shipped build: the compiled bot (dist/bot/index.js) with its SSO
// pointed at a local key server; the data made by talking to the bot as Teams would (a request,
// its triage, the case, a poll, a PSI, a record), then the /api/tab calls of the cast's people.
import { DateTime } from 'luxon';
import { BRUSSELS } from '../../domain/time';
import type { CoordinationView, ExportLink, OrganiserView } from '../../tab/contract';
import { FOREIGN_TENANT, JwksServer, newSigner, ssoClaims, ssoToken, startJwksServer, tabSsoEnv } from '../support/ssoTokens';
import { EmbeddedBotRun, startOnEmbeddedDb, stopEmbeddedRun } from './botRun';
import { people, STORY_COORDINATORS } from './story';
import { Card, choicesOf, textOf, User } from './teamsClient';

jest.setTimeout(120_000);

const cast = people('fr');
const { coordinator: coord, organiser: org, requester: req, participants, words: w } = cast;
/** A second organiser of the pool, who has no part in the case. */
const otherOrganiser = participants[2];
const brussels = (days: number, hour: number) => DateTime.now().setZone(BRUSSELS).plus({ days }).set({ hour, minute: 0, second: 0, millisecond: 0 });
/** As the Teams roster gives them (the sheet prefills the requester's name and e-mail from it). */
const member = (u: User) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name, email: `${u.id.slice(3)}@example.org`, userPrincipalName: `${u.id.slice(3)}@example.org` });

function cardOf(what: string, r: { card?: Card; cards?: Card[]; message?: string; texts?: string[] }): Card {
  const c = r.card ?? r.cards?.[0];
  if (!c) throw new Error(`${what}: no card (${r.message ?? r.texts?.join(' / ') ?? ''})`);
  return c;
}

describe('the shipped build answers the dashboard tab', () => {
  const signer = newSigner('shipped-tab-key');
  let jwks: JwksServer;
  let run: EmbeddedBotRun;
  let caseId = '';
  let waitingId = '';
  const tokens: string[] = [];
  const bearer = (u: User, over: Record<string, unknown> = {}, tid?: string) => {
    const t = ssoToken(signer, ssoClaims(u.aadObjectId, over, tid));
    tokens.push(t);
    return { authorization: `Bearer ${t}` };
  };
  const get = async (path: string, headers: Record<string, string>) => {
    const res = await fetch(`${run.bot.url}${path}`, { headers });
    return { status: res.status, body: (await res.json()) as any };
  };

  /** A request typed through the whole sheet: its tracking id. */
  const request = async () => {
    const { client } = run;
    let last = await client.say(req, cast.personal(req), w.newRequest);
    for (const answer of cast.sheet) last = typeof answer === 'string' ? await client.say(req, cast.personal(req), answer) : await client.submit(req, cast.personal(req), answer);
    const id = /CMD-\d{4}-\d{4,}/.exec(last.texts.join(' '))?.[0];
    if (!id) throw new Error(`no tracking id after the sheet: ${textOf(last).slice(0, 400)}`);
    return id;
  };

  beforeAll(async () => {
    jwks = await startJwksServer([signer]);
    run = await startOnEmbeddedDb({ BOOTSTRAP_COORDINATOR_IDS: STORY_COORDINATORS.join(','), DB_NAME: 'tab', ...tabSsoEnv(jwks.url) });
    const { client } = run;
    const mine = cast.personal;
    client.connector.setMembers([coord, org, req, ...participants].map(member));

    // The coordination and its pool: the organiser, and another who will have nothing to do with the case.
    await client.say(coord, cast.coordination, w.setCoordination);
    let pool = cardOf('pool card', await client.say(coord, mine(coord), w.organisers));
    for (const o of [org, otherOrganiser]) pool = cardOf('pool after save', await client.click(coord, mine(coord), pool, 'pool.save', { person: `${o.aadObjectId}|${o.id}|${o.name}`, role: 'organiser', languages: 'fr', sectors: '' }));

    // A request, admitted for the organiser; another one left waiting.
    const mark = client.mark();
    caseId = await request();
    const triage = await client.waitForProactive((a) => textOf(a).includes(caseId) && textOf(a).includes('triage.yes'), mark, 'the triage card');
    await client.click(coord, cast.coordination, triage.attachments[0].content, 'triage.yes', { organiser: org.aadObjectId, notes: '' });
    waitingId = await request();

    // The case in its chat: people, a date, a poll with one answer, a published PSI, a record.
    client.connector.setMembers([org, ...participants.slice(0, 2)].map(member), cast.caseChat.id);
    await client.say(org, cast.caseChat, `${w.linkCase} ${caseId}`);
    const list = cardOf('my cases', await client.say(org, mine(org), w.myCases));
    let caseCard = cardOf('case card', await client.click(org, mine(org), list, 'case.open', {}, (a) => a.data?.trackingId === caseId));
    for (const p of participants.slice(0, 2)) {
      caseCard = cardOf('case after adding', await client.click(org, mine(org), caseCard, 'case.addParticipant', { pRole: 'professional', pProfile: 'gp', pName: p.name, pTeamsUser: p.aadObjectId, pContact: '', pRelation: '' }));
    }
    caseCard = cardOf('case scheduled', await client.click(org, mine(org), caseCard, 'case.schedule', { sDate: brussels(20, 14).toISODate(), sTime: '14:00', sDuration: '90', sPlace: 'Maison médicale fictive', sLink: '' }));

    const pollMark = client.mark();
    const form = cardOf('poll form', await client.say(org, cast.caseChat, `${w.newPoll} ${caseId}`));
    const deadline = brussels(5, 18);
    await client.click(org, cast.caseChat, form, 'poll.create', {
      placeKind: 'home', placeDetails: '', deadline_date: deadline.toISODate(), deadline_time: '18:00',
      members: participants.slice(0, 2).map((p) => p.aadObjectId).join(','), requiredMembers: participants[0].aadObjectId, externalsRequired: '', externalsOptional: '',
      slot1_date: brussels(10, 10).toISODate(), slot1_time: '10:00', slot1_duration: '90',
      slot2_date: brussels(11, 10).toISODate(), slot2_time: '10:00', slot2_duration: '90',
    });
    const shared = (await client.waitForProactive((a) => textOf(a).includes('poll.refresh'), pollMark, 'the poll card in the chat')).attachments[0].content as Card;
    await client.click(participants[0], cast.caseChat, await client.viewAs(participants[0], cast.caseChat, shared), 'poll.answer', { slot_s1: 'yes', slot_s2: 'ifNeedBe' });

    let psi = cardOf('psi card', await client.say(org, cast.caseChat, `${w.psi} ${caseId}`));
    const psiStep = async (verb: string, inputs: Record<string, unknown> = {}) => {
      const res = await client.click(org, cast.caseChat, psi, verb, inputs);
      if (res.card) psi = res.card;
    };
    await psiStep('psi.edit');
    await psiStep('psi.saveSections', { needs: 'Aide au quotidien', objectives: 'Rester à domicile', projects: '', avoid: '', limits: '', referentName: org.name, referentPhone: '', referentAddress: '', referentPlace: '', noteText: '', noteDate: '', nextDate: brussels(30, 10).toISODate(), periodicity: choicesOf(psi, 'periodicity')[0] });
    await psiStep('psi.publish');

    const record = cardOf('record', await client.say(org, mine(org), `${w.record} ${caseId}`));
    await client.click(org, mine(org), record, 'record.save', { date: brussels(0, 0).toISODate(), consentType: 'oral', consentComment: '', preparationHours: '1', durationHours: '1.5', place: 'home', placeOther: '', firstForOrganiser: 'true', personPresent: 'true', referentPresent: 'true', professionalsPresent: '2', professionalProfiles: 'gp', relativesPresent: '0', relativesLinks: '', cateringCents: '0', roomCents: '0', amountsPreApproved: 'false', comments: '' });
    expect(run.client.problems).toEqual([]);
  }, 120_000);

  afterAll(async () => {
    const code = await stopEmbeddedRun(run);
    await jwks?.close();
    expect(code).toBe(0);
  });

  it('refuses a call without a token, with an expired one, or from a foreign tenant', async () => {
    const expired = bearer(org, { exp: Math.floor(Date.now() / 1000) - 600, nbf: Math.floor(Date.now() / 1000) - 4000 });
    for (const headers of [{}, expired, bearer(org, {}, FOREIGN_TENANT), { authorization: 'Bearer not.a.token' }]) {
      expect(await get('/api/tab/organiser', headers)).toEqual({ status: 401, body: { error: 'unauthenticated' } });
    }
  });

  it('the organiser sees his case, the poll grid and his reminders', async () => {
    expect((await get('/api/tab/me', bearer(org))).body).toEqual({ displayName: org.name, roles: ['organiser'], preferredLocale: 'fr' });
    const { status, body } = await get('/api/tab/organiser', bearer(org));
    expect(status).toBe(200);
    const view = body as OrganiserView;
    expect(view.cases).toEqual([expect.objectContaining({ trackingId: caseId, status: 'scheduled', nextKind: 'concertation', conversationLinked: true, psiReadable: true })]);
    const grid = view.polls.find((p) => p.trackingId === caseId)!;
    expect(grid.slots).toHaveLength(2);
    expect(grid.suggestedSlotId).toBe('s1');
    expect(grid.participants.map((p) => [p.name, p.required, p.answered])).toEqual([
      [participants[0].name, true, true],
      [participants[1].name, false, false],
    ]);
    expect(view.concertations).toEqual([expect.objectContaining({ trackingId: caseId, start: brussels(20, 14).toUTC().toISO(), place: 'Maison médicale fictive' })]);
    expect(view.reminders.some((r) => r.trackingId === caseId && r.kind === 'meeting' && r.delivery === 'scheduled')).toBe(true);
    expect((await get(`/api/tab/cases/${caseId}/psi`, bearer(org))).body.latest.content.needs).toBe('Aide au quotidien');
  });

  it('another organiser gets 403 on the PSI he may not read', async () => {
    expect(await get(`/api/tab/cases/${caseId}/psi`, bearer(otherOrganiser))).toEqual({ status: 403, body: { error: 'forbidden' } });
    expect((await get('/api/tab/organiser', bearer(otherOrganiser))).body.cases).toEqual([]);
  });

  it('the coordination sees the waiting request and downloads an export', async () => {
    const { status, body } = await get('/api/tab/coordination', bearer(coord));
    expect(status).toBe(200);
    const view = body as CoordinationView;
    expect(view.waiting.map((r) => r.trackingId)).toEqual([waitingId]);
    expect(view.byOrganiser).toEqual([{ organiserName: org.name, cases: [{ trackingId: caseId, status: 'scheduled' }] }]);
    for (const name of [...participants, req].map((p) => p.name)) expect(JSON.stringify(view)).not.toContain(name);
    const year = DateTime.now().year;
    const res = await fetch(`${run.bot.url}/api/tab/coordination/records/export`, { method: 'POST', headers: { ...bearer(coord), 'content-type': 'application/json' }, body: JSON.stringify({ from: `${year}-01-01`, to: `${year}-12-31`, format: 'xlsx' }) });
    expect(res.status).toBe(200);
    const link = (await res.json()) as ExportLink;
    expect(link.rows).toBe(1);
    const file = await fetch(`${run.bot.url}${new URL(link.url).pathname}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('spreadsheetml');
    expect((await get('/api/tab/coordination', bearer(org))).status).toBe(403);
  });

  it('serves the teams-js bundle, and nothing outside the page folder', async () => {
    const js = await fetch(`${run.bot.url}/tab/vendor/teams-js.min.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect(js.headers.get('content-security-policy')).toContain('frame-ancestors');
    expect((await js.text()).length).toBeGreaterThan(10_000);
    expect((await fetch(`${run.bot.url}/tab/..%2f..%2fpackage.json`)).status).toBe(404);
  });

  it('logs no token and no error', () => {
    const logText = JSON.stringify(run.bot.logs) + run.bot.rawOutput.join('\n');
    expect(tokens.length).toBeGreaterThan(5);
    expect(tokens.filter((t) => logText.includes(t.split('.')[2]))).toEqual([]);
    expect(run.bot.errors().map((l) => `${l.msg} ${JSON.stringify(l.event ?? '')}`)).toEqual([]);
    expect(run.bot.rawOutput).toEqual([]);
  });
});
