// The poll creation form (issue 9, item 5): in the case's linked chat "nouveau sondage" needs no
// tracking id, and the form comes pre-filled with the case's participants (the person and her
// carers as participants outside Teams); the deadline has its own heading.
import { cardsOf, post, RunningApp, startTestApp } from '../support/app';
import { FakeConnector } from '../support/fakeConnector';
import { admittedCase, groupMessage, ORGANISER, userN } from './support';

describe('poll creation form from the case', () => {
  let running: RunningApp;
  let fake: FakeConnector;
  const linked = '19:fictional-form-linked@thread.v2';
  const unlinked = '19:fictional-form-unlinked@thread.v2';
  const gp = userN(11);
  const nurse = userN(12);
  const outsideChat = userN(13);
  let trackingId: string;

  beforeAll(async () => {
    fake = await FakeConnector.start();
    running = await startTestApp({}, { startScheduler: false });
    fake.setMembers([ORGANISER, gp, nurse]);
    trackingId = await admittedCase(running);
    await post(running.url, groupMessage(`lier dossier ${trackingId}`, fake.url, linked));
    const cases = running.app.services.cases;
    const add = async (input: Parameters<typeof cases.addParticipant>[1]) => expect((await cases.addParticipant(trackingId, input, ORGANISER.aadObjectId)).ok).toBe(true);
    await add({ role: 'personConcerned', displayName: 'Jo Test' });
    await add({ role: 'carer', displayName: 'Kim Test', relation: 'fille' });
    await add({ role: 'professional', profile: 'gp', displayName: gp.name, aadObjectId: gp.aadObjectId, teamsUserId: gp.id });
    await add({ role: 'professional', profile: 'homeNurse', displayName: nurse.name, aadObjectId: nurse.aadObjectId, teamsUserId: nurse.id });
    await add({ role: 'professional', profile: 'pharmacist', displayName: outsideChat.name, aadObjectId: outsideChat.aadObjectId, teamsUserId: outsideChat.id });
  });
  afterAll(async () => {
    await running.close();
    await fake.close();
  });

  const input = (form: Record<string, any>, id: string) => {
    const found: Array<Record<string, any>> = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        if ((node as { id?: string }).id === id) found.push(node as Record<string, any>);
        Object.values(node).forEach(walk);
      }
    };
    walk(form.body);
    return found[0];
  };

  it('"nouveau sondage" without tracking id in the linked chat opens the form of that case, pre-filled', async () => {
    const res = await post(running.url, groupMessage('nouveau sondage', fake.url, linked));
    const [form] = cardsOf(res.body.activities);
    expect(form).toBeTruthy();
    expect(JSON.stringify(form.body[0])).toContain(trackingId);
    // Teams members of this chat are ticked (the GP also as required); the organiser is not asked.
    expect(input(form, 'members').value.split(',').sort()).toEqual([gp.aadObjectId, nurse.aadObjectId].sort());
    expect(input(form, 'requiredMembers').value).toBe(gp.aadObjectId);
    // The person and her carer, and a professional who is not in this chat, are answered for.
    expect(input(form, 'externalsRequired').value).toBe('Jo Test');
    expect(input(form, 'externalsOptional').value.split('\n')).toEqual(['Kim Test', outsideChat.name]);
    // The deadline has its own heading, apart from the place above it.
    const texts = JSON.stringify(form);
    expect(texts).toContain('"text":"Date limite de réponse"');
    expect(input(form, 'deadline_date').label).toBe('Date limite');
  });

  it('with the tracking id it works anywhere, and is pre-filled too', async () => {
    const res = await post(running.url, groupMessage(`nouveau sondage ${trackingId}`, fake.url, unlinked));
    const [form] = cardsOf(res.body.activities);
    expect(input(form, 'externalsRequired').value).toBe('Jo Test');
  });

  it('without tracking id in a chat linked to no case, says how to give one', async () => {
    const res = await post(running.url, groupMessage('nouveau sondage', fake.url, unlinked));
    expect(res.body.activities?.[0].text).toContain('« nouveau sondage » suffit');
  });
});
