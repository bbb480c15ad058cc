// The PSI story the HTTP tests start from: one app for the file; each test has its own case and
// case chat (the organiser and the référent in it, every user known 1:1), and a fresh fake
// connector; the given* steps click the story up to a version (the tests check what they show).
import { DateTime } from 'luxon';
import { BRUSSELS } from '../../domain/time';
import { bodyText, Conversation, COORDINATOR, GP, group, NURSE, ORGANISER, OUTSIDER, REFERENT, useTestBot } from '../support/harness';

export const USERS = [ORGANISER, REFERENT, GP, NURSE, OUTSIDER, COORDINATOR];
export type User = typeof ORGANISER;

/** Registers the story's hooks in the calling describe; `current()` is this test's case and chat. */
export function usePsiStory() {
  const bot = useTestBot({ each: 'connector', members: USERS, organisers: [ORGANISER] });
  const { say, invoke } = bot;
  let caseId = '';
  /** The case's group chat. */
  let GROUP: Conversation = group('psi-none');
  const saved: Array<[string, number]> = [];

  const psi = () => bot.app.services.psi;
  const latestVersion = async () => (await psi().latest(caseId))?.version ?? 0;
  /** Every request to the fake connector that carried a PSI card (post or update), by conversation. */
  const psiTraffic = () => bot.fake.requests.filter((r) => (r.operation === 'send' || r.operation === 'update') && (r.status ?? 500) < 300 && JSON.stringify(r.body).includes('PSI — plan de services'));
  const conversationsReached = () => new Set(psiTraffic().map((r) => r.conversationId));
  const participantKey = (u: User) => `aad:${u.aadObjectId}`;
  const publish = (by: User = ORGANISER) => invoke('psi.publish', { trackingId: caseId }, by);

  beforeAll(() => {
    bot.app.events.on('psi.saved', async ({ trackingId, version }) => {
      saved.push([trackingId, version.version]);
    });
  });
  beforeEach(async () => {
    saved.length = 0;
    caseId = await bot.admittedCase();
    GROUP = group(`psi-${caseId}`);
    // The case conversation starts with the organiser and the référent only: both read the PSI.
    bot.fake.setMembers([ORGANISER, REFERENT].map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name })), GROUP.id);
    // Everyone has talked to the bot 1:1 once, so a 1:1 card would go to their known personal chat.
    for (const u of USERS) await say('aide', u);
    await say(`lier dossier ${caseId}`, ORGANISER, GROUP);
    await bot.addParticipants(caseId, [[REFERENT, 'referent', 'socialWorker'], [GP, 'professional', 'gp'], [NURSE, 'professional', 'homeNurse']]);
    expect((await bot.app.services.cases.addParticipant(caseId, { role: 'personConcerned', displayName: 'Madame X', contact: '' }, ORGANISER.aadObjectId)).ok).toBe(true);
  });

  // The PSI's story, each chapter what the tests below start from (the clicks only; the tests check them).
  const published = async (expectedVersion: number, by: User = ORGANISER) => {
    const res = await publish(by);
    if (!bodyText(res).includes(`version ${expectedVersion}`)) throw new Error(`setting up: not published as version ${expectedVersion}: ${bodyText(res).slice(0, 300)}`);
  };
  /** Version 1: the sections, by the organiser. */
  const givenV1 = async () => {
    const next = DateTime.now().setZone(BRUSSELS).plus({ months: 6 }).toISODate();
    await invoke('psi.saveSections', { trackingId: caseId, baseVersion: 0, needs: 'Rester à domicile en sécurité', objectives: 'Retrouver un rythme', projects: 'Reprendre la chorale', avoid: "Une hospitalisation d'urgence", referentName: 'Remi Referent', referentPhone: '02 000 00 00', referentAddress: 'Rue Fictive 1', referentPlace: 'CPAS fictif', limits: 'Pas de visite le dimanche', noteText: 'Revoir en juin', nextDate: next, periodicity: '6' }, ORGANISER);
    await published(1);
  };
  /** Version 2: an action, "Trouver une aide ménagère", priority "Haute". */
  const givenV2 = async () => {
    await givenV1();
    await invoke('psi.saveAction', { trackingId: caseId, rowId: '', what: 'Trouver une aide ménagère', how: 'Demande au CPAS', byWhom: 'Assistante sociale', priorityWhen: 'Haute', urgentContact: 'false' }, ORGANISER);
    await published(2);
  };
  /** Versions 3 and 4: the GP as an actor the person shares it with, then the nurse, not shared. */
  const givenV4 = async () => {
    await givenV2();
    await invoke('psi.saveActor', { trackingId: caseId, actorId: '', participantKey: participantKey(GP), actorRoles: 'médecin généraliste', actorShare: 'true' }, ORGANISER);
    await published(3);
    await invoke('psi.saveActor', { trackingId: caseId, actorId: '', participantKey: participantKey(NURSE), actorRoles: 'soins à domicile', actorShare: 'false' }, ORGANISER);
    await published(4);
  };
  /** Version 5: the référent changes the action's priority and urgent contact. */
  const givenV5 = async () => {
    await givenV4();
    const row = (await psi().latest(caseId))!.content.actions[0];
    await invoke('psi.saveAction', { trackingId: caseId, rowId: row.id, what: row.what, how: row.how, byWhom: row.byWhom, priorityWhen: 'Avant la fin du mois', urgentContact: 'true' }, REFERENT);
    await published(5, REFERENT);
  };
  /** Versions 6 and 7: the person stops sharing with the GP; an action "Reprendre la chorale". */
  const givenShareStopped = async () => {
    await givenV5();
    await invoke('psi.share', { trackingId: caseId, shareWith: '' }, ORGANISER);
    await published(6);
    await invoke('psi.saveAction', { trackingId: caseId, rowId: '', what: 'Reprendre la chorale', byWhom: 'Aidant proche' }, ORGANISER);
    await published(7);
  };
  /** Version 8: the nurse has joined the case chat (the chat gets a notice), a physiotherapist's visit added; the référent opened it there. */
  const givenNurseInChat = async () => {
    await givenShareStopped();
    bot.fake.setMembers([ORGANISER, REFERENT, NURSE].map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name })), GROUP.id);
    await invoke('psi.saveAction', { trackingId: caseId, rowId: '', what: 'Visite du kinésithérapeute', byWhom: 'Kiné fictif' }, ORGANISER);
    await published(8);
    await invoke('psi.open', { trackingId: caseId }, REFERENT, GROUP);
  };

  return {
    bot,
    say,
    invoke,
    saved,
    psi,
    latestVersion,
    psiTraffic,
    conversationsReached,
    participantKey,
    publish,
    givenV1,
    givenV2,
    givenV4,
    givenV5,
    givenShareStopped,
    givenNurseInChat,
    current: () => ({ caseId, GROUP }),
  };
}
