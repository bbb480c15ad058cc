// The help card's "nouvelle demande" button (an Action.Submit) is answered as the typed command:
// it opens the sheet in the 1:1 chat, mid-dialog too, and elsewhere says the sheet is filled 1:1.
import { cardsOf, post, RunningApp, startTestApp, teamsMessage } from '../support/app';
import { FakeConnector } from '../support/fakeConnector';

const TENANT = '11111111-1111-4111-8111-111111111111';
const TYPIST = { id: '29:fictional-typist', aadObjectId: 'b0000000-0000-4000-8000-000000000021', name: 'Alex Test' };
const CLICKER = { id: '29:fictional-clicker', aadObjectId: 'b0000000-0000-4000-8000-000000000022', name: 'Sam Test' };
const chatOf = (who: { id: string }) => ({ id: `a:fictional-chat-${who.id}`, conversationType: 'personal', tenantId: TENANT });
const GROUP = { id: '19:fictional-group@thread.v2', conversationType: 'groupChat', tenantId: TENANT };

describe('"nouvelle demande" button', () => {
  let fake: FakeConnector;
  let running: RunningApp;
  beforeAll(async () => {
    fake = await FakeConnector.start();
    running = await startTestApp();
  });
  afterAll(async () => {
    await running.close();
    await fake.close();
  });

  const send = async (from: { id: string }, text: string | undefined, value?: Record<string, unknown>, conversation: object = chatOf(from)) =>
    (await post(running.url, teamsMessage(text, { from, conversation, serviceUrl: fake.url, value }))).body.activities ?? [];
  const shape = (activities: Array<Record<string, any>>) => ({ texts: activities.map((a) => a.text ?? ''), cards: cardsOf(activities).length });

  it('opens the sheet as the typed command does', async () => {
    const typed = await send(TYPIST, 'nouvelle demande');
    const clicked = await send(CLICKER, undefined, { action: 'newRequest' });
    expect(typed[0].text).toMatch(/Commençons la fiche de recevabilité/);
    expect(shape(clicked)).toEqual(shape(typed));
  });

  it('offers to go on or start over when clicked with a sheet open', async () => {
    const typed = await send(TYPIST, 'nouvelle demande');
    const clicked = await send(CLICKER, undefined, { action: 'newRequest' });
    expect(cardsOf(clicked)).toHaveLength(1);
    expect(shape(clicked)).toEqual(shape(typed));
  });

  it('says the sheet is filled in the 1:1 chat when clicked in a group chat', async () => {
    const clicked = await send(CLICKER, undefined, { action: 'newRequest' }, GROUP);
    expect(clicked[0].text).toMatch(/conversation privée/);
  });
});
