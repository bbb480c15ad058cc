// The redelivery middleware's edges, without a database: what a redelivered invoke gets while the
// first delivery still runs, and that a claim store failure never stops the user's turn.
import { INVOKE_RESPONSE_KEY, TurnContext } from 'botbuilder';
import type { Model } from 'mongoose';
import { ActivityDedupe, seenKey } from '../../bot/dedupe';
import { createLogger } from '../../bot/logger';
import type { SeenActivity } from '../../models/seenActivity';

function fakeModel(over: { create?: () => Promise<unknown>; stored?: string | null } = {}) {
  const calls = { create: 0, update: 0 };
  const model = {
    create: async () => {
      calls.create++;
      return over.create ? over.create() : {};
    },
    findById: () => ({ lean: async () => ({ invokeResponse: over.stored ?? null }) }),
    updateOne: async () => {
      calls.update++;
      return {};
    },
  };
  return { model: model as unknown as Model<SeenActivity>, calls };
}

function context(activity: Record<string, unknown>) {
  const turnState = new Map<unknown, unknown>();
  const sent: Array<Record<string, any>> = [];
  const ctx = {
    activity: { channelId: 'msteams', conversation: { id: 'a:fictional-mw' }, ...activity },
    turnState,
    sendActivity: async (a: Record<string, any>) => {
      sent.push(a);
      if (a.type === 'invokeResponse') turnState.set(INVOKE_RESPONSE_KEY, a);
      return { id: '' };
    },
  };
  return { ctx: ctx as unknown as TurnContext, sent };
}

const duplicate = () => Promise.reject(Object.assign(new Error('E11000'), { code: 11000 }));
const logger = createLogger('silent');
const options = { defaultLocale: 'fr' as const, waitForFirstMs: 0, pollEveryMs: 1 };

describe('ActivityDedupe', () => {
  it.each([
    ['nl-BE', /Deze actie wordt al verwerkt/],
    ['en-US', /already being handled/],
    ['fr-BE', /déjà en cours de traitement/],
  ])('answers a redelivered Action.Execute still running with a 200 notice (%s)', async (locale, notice) => {
    const { model } = fakeModel({ create: duplicate });
    const { ctx, sent } = context({ type: 'invoke', name: 'adaptiveCard/action', id: 'x1', locale });
    let ran = false;
    await new ActivityDedupe(model, logger, options).onTurn(ctx, async () => {
      ran = true;
    });
    expect(ran).toBe(false);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ type: 'invokeResponse', value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message' } } });
    expect(sent[0].value.body.value).toMatch(notice);
  });

  it('replays the stored answer of the first delivery, and a bare 200 for other invokes', async () => {
    const stored = JSON.stringify({ status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: { type: 'AdaptiveCard' } } });
    const replay = context({ type: 'invoke', name: 'adaptiveCard/action', id: 'x2' });
    await new ActivityDedupe(fakeModel({ create: duplicate, stored }).model, logger, options).onTurn(replay.ctx, async () => undefined);
    expect(replay.sent[0].value).toEqual(JSON.parse(stored));
    const other = context({ type: 'invoke', name: 'fileConsent/invoke', id: 'x3' });
    await new ActivityDedupe(fakeModel({ create: duplicate }).model, logger, options).onTurn(other.ctx, async () => undefined);
    expect(other.sent[0].value).toEqual({ status: 200 });
  });

  it('sends nothing for a redelivered message', async () => {
    const { ctx, sent } = context({ type: 'message', id: 'x4', text: 'oui' });
    let ran = false;
    await new ActivityDedupe(fakeModel({ create: duplicate }).model, logger, options).onTurn(ctx, async () => {
      ran = true;
    });
    expect([ran, sent]).toEqual([false, []]);
  });

  it('keeps the first delivery’s invoke response for a later redelivery', async () => {
    const { model, calls } = fakeModel();
    const { ctx } = context({ type: 'invoke', name: 'adaptiveCard/action', id: 'x5' });
    await new ActivityDedupe(model, logger, options).onTurn(ctx, async () => {
      await ctx.sendActivity({ type: 'invokeResponse', value: { status: 200, body: {} } });
    });
    expect(calls.update).toBe(1);
  });

  it.each([
    ['no id', { type: 'conversationUpdate' }],
    ['an empty id', { type: 'message', id: '' }],
    ['an id that is not a string', { type: 'message', id: { $gt: '' } }],
    ['no conversation', { type: 'message', id: 'x6', conversation: undefined }],
  ])('lets an activity with %s through unclaimed', async (_label, activity) => {
    const { model, calls } = fakeModel();
    const { ctx } = context(activity);
    let ran = false;
    await new ActivityDedupe(model, logger, options).onTurn(ctx, async () => {
      ran = true;
    });
    expect([ran, calls.create]).toEqual([true, 0]);
  });

  it('processes the turn when the claim cannot be written (database trouble)', async () => {
    const { model } = fakeModel({ create: () => Promise.reject(Object.assign(new Error('connection closed'), { name: 'MongoNetworkError' })) });
    const { ctx } = context({ type: 'message', id: 'x7' });
    let ran = false;
    await new ActivityDedupe(model, logger, options).onTurn(ctx, async () => {
      ran = true;
    });
    expect(ran).toBe(true);
  });

  describe('a claim whose processing died (the bot killed in the middle of the turn)', () => {
    /** An in-memory claim store with the few operations the middleware uses. */
    function memoryModel(docs = new Map<string, Record<string, unknown>>()) {
      const model = {
        create: async (doc: Record<string, unknown>) => {
          if (docs.has(doc._id as string)) throw Object.assign(new Error('E11000'), { code: 11000 });
          docs.set(doc._id as string, { ...doc });
          return doc;
        },
        findById: (id: string) => ({ lean: async () => (docs.has(id) ? { ...docs.get(id) } : null) }),
        updateOne: async (filter: { _id: string }, update: { $set: Record<string, unknown> }, opts?: { upsert?: boolean }) => {
          const doc = docs.get(filter._id);
          if (doc) Object.assign(doc, update.$set);
          else if (opts?.upsert) docs.set(filter._id, { _id: filter._id, ...update.$set });
          return {};
        },
      };
      return { model: model as unknown as Model<SeenActivity>, docs };
    }
    const fast = { defaultLocale: 'fr' as const, waitForFirstMs: 2000, pollEveryMs: 5, aliveEveryMs: 10, deadAfterMs: 100 };
    const vote = (id: string) => context({ type: 'invoke', name: 'adaptiveCard/action', id, locale: 'fr-BE' });
    const answer = (ctx: TurnContext) => async () => {
      await ctx.sendActivity({ type: 'invokeResponse', value: { status: 200, body: { card: 'saved' } } });
    };

    it('processes the redelivery under a new claim, once, when the claim is left unfinished and silent', async () => {
      const { model, docs } = memoryModel();
      // What a killed process leaves: the claim, unfinished, its last sign of life a second ago.
      const key = seenKey('msteams', 'a:fictional-mw', 'v1');
      docs.set(key, { _id: key, seenAt: new Date(), invokeResponse: null, aliveAt: new Date(Date.now() - 1000), done: false });
      // Two redeliveries at once (two instances): one takes it over, the other replays its answer.
      const [a, b] = [vote('v1'), vote('v1')];
      let runs = 0;
      await Promise.all([a, b].map((r) => new ActivityDedupe(model, logger, fast).onTurn(r.ctx, async () => {
        runs++;
        await answer(r.ctx)();
      })));
      expect(runs).toBe(1);
      expect([a.sent[0].value, b.sent[0].value]).toEqual([{ status: 200, body: { card: 'saved' } }, { status: 200, body: { card: 'saved' } }]);
      expect([...docs.keys()].filter((k) => !k.startsWith('process:'))).toEqual([key, `${key}~1`]);
    });

    it('takes over a claim whose process fell silent, never one whose process is alive', async () => {
      const { model, docs } = memoryModel();
      const long = new Date(Date.now() - 1000);
      const [dead, alive] = [seenKey('msteams', 'a:fictional-mw', 'v4'), seenKey('msteams', 'a:fictional-mw', 'v5')];
      docs.set(dead, { _id: dead, seenAt: long, invokeResponse: null, aliveAt: long, owner: 'gone', done: false });
      docs.set('process:gone', { _id: 'process:gone', seenAt: long, aliveAt: long });
      docs.set(alive, { _id: alive, seenAt: long, invokeResponse: null, aliveAt: long, owner: 'busy', done: false });
      // The other process is still working on its turn: its sign of life keeps coming.
      const signOfLife = () => docs.set('process:busy', { _id: 'process:busy', seenAt: new Date(), aliveAt: new Date() });
      signOfLife();
      const beat = setInterval(signOfLife, 10);
      try {
        const runs: string[] = [];
        for (const id of ['v4', 'v5']) {
          const r = vote(id);
          await new ActivityDedupe(model, logger, { ...fast, waitForFirstMs: 400 }).onTurn(r.ctx, async () => {
            runs.push(id);
            await answer(r.ctx)();
          });
        }
        expect(runs).toEqual(['v4']);
        expect(docs.has(`${alive}~1`)).toBe(false);
      } finally {
        clearInterval(beat);
      }
    });

    it('one sign of life per process, however many turns it runs at once', async () => {
      const { model, docs } = memoryModel();
      const writes: string[] = [];
      const counting = { ...model, updateOne: async (f: { _id: string }, u: { $set: Record<string, unknown> }, o?: { upsert?: boolean }) => {
        if (f._id.startsWith('process:')) writes.push(f._id);
        return (model as unknown as { updateOne: (...a: unknown[]) => Promise<unknown> }).updateOne(f, u, o);
      } } as unknown as Model<SeenActivity>;
      const dedupe = new ActivityDedupe(counting, logger, fast);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const turns = Array.from({ length: 20 }, (_, i) => vote(`w${i}`)).map((r) => dedupe.onTurn(r.ctx, async () => {
        await gate;
        await answer(r.ctx)();
      }));
      await new Promise((r) => setTimeout(r, 100)); // ten beats of 10 ms
      release();
      await Promise.all(turns);
      expect(new Set(writes).size).toBe(1);
      expect(writes.length).toBeLessThan(20); // a write per turn per beat would be 20 × 10
      expect(docs.size).toBe(21);
    });

    it('does not take over a turn that is still running (its claim stays alive)', async () => {
      const { model } = memoryModel();
      const first = vote('v2');
      let release!: () => void;
      const running = new ActivityDedupe(model, logger, fast).onTurn(first.ctx, async () => {
        await new Promise<void>((resolve) => (release = resolve));
        await answer(first.ctx)();
      });
      await new Promise((r) => setTimeout(r, 300)); // three times deadAfterMs: alive all along
      const again = vote('v2');
      let ran = false;
      const redelivery = new ActivityDedupe(model, logger, fast).onTurn(again.ctx, async () => {
        ran = true;
      });
      await new Promise((r) => setTimeout(r, 300));
      release();
      await Promise.all([running, redelivery]);
      expect(ran).toBe(false);
      expect(again.sent[0].value).toEqual({ status: 200, body: { card: 'saved' } });
    });

    it('never takes over a claim written before signs of life existed', async () => {
      const { model, docs } = memoryModel();
      const { ctx, sent } = vote('v3');
      await new ActivityDedupe(model, logger, fast).onTurn(ctx, answer(ctx));
      const [key] = [...docs.keys()];
      docs.set(key, { _id: key, seenAt: new Date(), invokeResponse: null });
      const again = vote('v3');
      let ran = false;
      await new ActivityDedupe(model, logger, { ...fast, waitForFirstMs: 50 }).onTurn(again.ctx, async () => {
        ran = true;
      });
      expect([ran, sent.length]).toEqual([false, 1]);
      expect(again.sent[0].value.body.value).toMatch(/déjà en cours de traitement/);
    });
  });
});
