// A small Teams client for the shipped-build suite: it posts what Teams would post (messages, card
// submits, Action.Execute invokes) to a running bot, clicks buttons found in the cards the bot sent
// (so a verb is only exercised through a card that really offers it), and notes every command, verb
// and submit action it exercised, per language. Every answer is checked: no 5xx, no generic error.
import { parseCommand } from '../../bot/commands';
import { allTranslations } from '../../locales/i18n';
import type { FakeConnector } from '../support/fakeConnector';

export const TENANT = '11111111-1111-4111-8111-111111111111';
export type Lang = 'fr' | 'nl';

export interface User {
  id: string;
  aadObjectId: string;
  name: string;
  locale: string;
}

export interface Conversation {
  id: string;
  conversationType: 'personal' | 'groupChat' | 'channel';
}

export type Card = Record<string, any>;

export interface Reply {
  texts: string[];
  cards: Card[];
  activities: Array<Record<string, any>>;
}

export interface InvokeReply {
  status: number;
  /** The card that replaces the clicked one, when the bot answered with a card. */
  card?: Card;
  /** The notice shown, when the bot answered with a message. */
  message?: string;
}

const GENERIC_ERRORS = allTranslations('error.generic');
const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

let seq = 0;

export function langOf(user: User): Lang {
  return user.locale.startsWith('nl') ? 'nl' : 'fr';
}

export function cardsIn(activities: Array<Record<string, any>>): Card[] {
  return activities.flatMap((a) => (a.attachments ?? []).filter((x: any) => x.contentType === ADAPTIVE).map((x: any) => x.content));
}

/** Every action in a card, nested show-cards and action sets included. */
export function actionsOf(node: unknown): Array<Record<string, any>> {
  const found: Array<Record<string, any>> = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, any>;
    if (typeof o.type === 'string' && o.type.startsWith('Action.')) found.push(o);
    for (const v of Object.values(o)) if (v && typeof v === 'object') walk(v);
  };
  walk(node);
  return found;
}

/** The values offered by a card's Input.ChoiceSet, as the user would pick among them. */
export function choicesOf(card: Card, inputId: string, titleIncludes?: string): string[] {
  let values: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, any>;
    if (o.type === 'Input.ChoiceSet' && o.id === inputId && !values.length) values = (o.choices ?? []).filter((c: { title: string }) => !titleIncludes || c.title.includes(titleIncludes)).map((c: { value: string }) => c.value);
    for (const v of Object.values(o)) if (v && typeof v === 'object') walk(v);
  };
  walk(card);
  return values;
}

/** The verb (Action.Execute) or submit action (Action.Submit's data.action) of a card action. */
export function routeOf(action: Record<string, any>): string | undefined {
  if (action.type === 'Action.Execute') return action.verb;
  if (action.type === 'Action.Submit') return action.data?.action;
  return undefined;
}

export class TeamsClient {
  /** "command:newRequest:fr", "verb:poll.answer:nl", "submit:pool.save:fr" */
  readonly exercised = new Set<string>();
  readonly problems: string[] = [];
  /** A Teams client without universal actions: only Action.Submit buttons (the cards' fallbacks). */
  legacy = false;

  constructor(
    private readonly botUrl: string,
    readonly connector: FakeConnector,
  ) {}

  private activity(user: User, conversation: Conversation, over: Record<string, unknown>): Record<string, unknown> {
    return {
      type: 'message',
      id: `shipped-${Date.now()}-${++seq}`,
      timestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl: this.connector.url,
      from: { id: user.id, aadObjectId: user.aadObjectId, name: user.name },
      recipient: { id: '28:shipped-bot', name: 'CMD bot' },
      conversation: { ...conversation, tenantId: TENANT, ...(conversation.conversationType === 'personal' ? {} : { isGroup: true }) },
      channelData: { tenant: { id: TENANT } },
      locale: user.locale,
      deliveryMode: 'expectReplies',
      ...over,
    };
  }

  private async post(body: unknown, what: string): Promise<{ status: number; activities: Array<Record<string, any>> }> {
    const res = await fetch(`${this.botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    if (res.status >= 500) this.problems.push(`${what}: HTTP ${res.status}`);
    let parsed: any = {};
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      this.problems.push(`${what}: not JSON`);
    }
    const activities: Array<Record<string, any>> = parsed.activities ?? [];
    for (const a of activities) {
      const shown = `${a.text ?? ''} ${JSON.stringify(a.value ?? '')}`;
      if (GENERIC_ERRORS.some((g) => shown.includes(g))) this.problems.push(`${what}: generic error reply`);
    }
    return { status: res.status, activities };
  }

  /** The user types a message. */
  async say(user: User, conversation: Conversation, text: string): Promise<Reply> {
    const command = parseCommand(text);
    if (command) this.exercised.add(`command:${command.name}:${langOf(user)}`);
    const { activities } = await this.post(this.activity(user, conversation, { text }), `"${text.slice(0, 40)}"`);
    return reply(activities);
  }

  /** The user presses an Action.Submit button (or a card's choice posts a value). */
  async submit(user: User, conversation: Conversation, value: Record<string, unknown>): Promise<Reply> {
    if (typeof value.action === 'string') this.exercised.add(`submit:${value.action}:${langOf(user)}`);
    const { activities } = await this.post(this.activity(user, conversation, { value }), `submit ${String(value.action ?? Object.keys(value)[0])}`);
    return reply(activities);
  }

  /** The user presses an Action.Execute button (Teams posts an adaptiveCard/action invoke). */
  async execute(user: User, conversation: Conversation, verb: string, data: Record<string, unknown>, replyToId?: string): Promise<InvokeReply> {
    this.exercised.add(`verb:${verb}:${langOf(user)}`);
    const body = this.activity(user, conversation, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
      ...(replyToId ? { replyToId } : {}),
    });
    const { status, activities } = await this.post(body, `verb ${verb}`);
    const invoke = activities.find((a) => a.type === 'invokeResponse');
    const value = invoke?.value?.body?.value;
    const type = invoke?.value?.body?.type as string | undefined;
    const result: InvokeReply = { status: invoke?.value?.status ?? status };
    if (type === ADAPTIVE) result.card = value;
    else if (typeof value === 'string') result.message = value;
    if (result.message && GENERIC_ERRORS.includes(result.message)) this.problems.push(`verb ${verb}: generic error notice`);
    return result;
  }

  /**
   * Clicks the button of `card` whose verb (or submit action) is `route`, with the inputs the user
   * filled in, as Teams does: the action's data merged with the inputs.
   */
  async click(user: User, conversation: Conversation, card: Card, route: string, inputs: Record<string, unknown> = {}, match: (a: Record<string, any>) => boolean = () => true): Promise<InvokeReply & Partial<Reply>> {
    const action = actionsOf(card).find((a) => routeOf(a) === route && match(a) && (!this.legacy || a.type === 'Action.Submit'));
    if (!action) throw new Error(`no "${route}" button on the card (buttons: ${actionsOf(card).map(routeOf).filter(Boolean).join(', ')})`);
    const data = { ...(action.data ?? {}), ...inputs };
    if (action.type === 'Action.Execute') return this.execute(user, conversation, route, data);
    const r = await this.submit(user, conversation, data);
    return { status: 200, ...r, card: r.cards[0] };
  }

  /**
   * What `user` sees of a card with a `refresh` (Teams runs the refresh action on display for the
   * users it names, or for everyone when it names none): their own view, or the card itself.
   */
  async viewAs(user: User, conversation: Conversation, card: Card): Promise<Card> {
    const refresh = card.refresh as { action?: { verb?: string; data?: Record<string, unknown> }; userIds?: string[] } | undefined;
    if (!refresh?.action?.verb) return card;
    if (refresh.userIds?.length && !refresh.userIds.includes(user.id)) return card;
    const res = await this.execute(user, conversation, refresh.action.verb, { ...(refresh.action.data ?? {}) });
    return res.card ?? card;
  }

  /** Activities the bot posted or updated on its own (proactive) since `since` (a connector record seq). */
  proactive(since = 0, conversationId?: string): Array<Record<string, any>> {
    return this.connector.requests
      .filter((r) => (r.operation === 'send' || r.operation === 'reply' || r.operation === 'update') && r.status !== undefined && r.status < 300)
      .filter((r) => r.seq > since && (conversationId === undefined || r.conversationId === conversationId))
      .map((r) => r.body as Record<string, any>);
  }

  /** The connector's latest record seq, a bookmark for `proactive`. */
  mark(): number {
    const all = this.connector.requests;
    return all.length ? all[all.length - 1].seq : 0;
  }

  /** Waits until the bot has proactively posted something that satisfies `pred`. */
  async waitForProactive(pred: (a: Record<string, any>) => boolean, since = 0, what = 'a proactive message', timeoutMs = 20_000): Promise<Record<string, any>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.proactive(since).find(pred);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Proactive posts and card updates (PUT) that carried a generic error. */
  proactiveProblems(): string[] {
    return this.connector.requests
      .filter((r) => r.operation === 'send' || r.operation === 'reply' || r.operation === 'update' || r.operation === 'createConversation')
      .filter((r) => GENERIC_ERRORS.some((g) => JSON.stringify(r.body ?? '').includes(g)))
      .map((r) => `proactive ${r.operation} to ${r.conversationId ?? 'new conversation'}: generic error`);
  }
}

function reply(activities: Array<Record<string, any>>): Reply {
  return { activities, texts: activities.map((a) => a.text).filter((t): t is string => typeof t === 'string'), cards: cardsIn(activities) };
}

/** All text of a card or a reply, for loose assertions on what the user sees. */
export function textOf(x: unknown): string {
  return JSON.stringify(x ?? '');
}
