// Requests the HTTP door must refuse, shared by the in-process and the built-bot tests.
import { teamsMessage } from './app';

/** Activities whose shape is wrong: each must be a 400, never a 5xx or a turn. */
export function malformedActivities(): Array<[string, unknown]> {
  const base = teamsMessage('aide');
  const without = (field: string) => Object.fromEntries(Object.entries(base).filter(([k]) => k !== field));
  const invoke = (value: unknown) => ({ ...base, type: 'invoke', name: 'adaptiveCard/action', text: undefined, value });
  return [
    ['serviceUrl is a number', { ...base, serviceUrl: 42 }],
    ['serviceUrl is an object', { ...base, serviceUrl: { $gt: '' } }],
    ['serviceUrl is not an address', { ...base, serviceUrl: 'javascript:alert(1)' }],
    ['serviceUrl missing', without('serviceUrl')],
    ['conversation missing', without('conversation')],
    ['conversation without id', { ...base, conversation: { conversationType: 'personal' } }],
    ['conversation.id is an operator', { ...base, conversation: { id: { $gt: '' } } }],
    ['from missing', without('from')],
    ['from is a string', { ...base, from: 'alice' }],
    ['from.aadObjectId is an operator', { ...base, from: { id: '29:x', aadObjectId: { $ne: null } } }],
    ['text is an object', { ...base, text: { $gt: '' } }],
    ['locale is an array', { ...base, locale: ['fr'] }],
    ['type empty', { ...base, type: '' }],
    ['type missing', without('type')],
    ['channelData.tenant.id is an operator', { ...base, channelData: { tenant: { id: { $gt: '' } } } }],
    ['membersAdded is not a list', { ...base, type: 'conversationUpdate', membersAdded: { id: 'x' } }],
    ['invoke value missing', invoke(undefined)],
    ['invoke action is a string', invoke({ action: 'case.status' })],
    ['invoke action of another type', invoke({ action: { type: 'Action.Submit', verb: 'case.open', data: {} } })],
    ['invoke verb is an object', invoke({ action: { type: 'Action.Execute', verb: { $gt: '' }, data: {} } })],
    ['invoke data is a list', invoke({ action: { type: 'Action.Execute', verb: 'case.open', data: [1, 2] } })],
  ];
}

/** Values an attacker puts where a string id or a form value is expected (issue 10, fault suite).
 * Built with JSON.parse where a key must stay an own `__proto__` property on the wire. */
export function hostileValues(): Array<[string, unknown]> {
  return [
    ['operator $gt', { $gt: '' }],
    ['operator $where', { $where: '1' }],
    ['operator $ne null', { $ne: null }],
    ['prototype keys', JSON.parse('{"__proto__":{"isCoordinator":true},"constructor":{"prototype":{"polluted":true}}}')],
    ['control characters and NUL', 'CMD-2026-0001\u0000\u0001\u001b[31m\u202e\r\n'],
    ['id with $', '$CMD-2026-0001'],
    ['id with dot', 'CMD.2026.0001'],
    ['unknown tracking id', 'CMD-2099-9999'],
    ['number', 42],
    ['huge number', 1e308],
    ['unsafe integer', 9007199254740993],
    ['array', ['$gt', 1]],
    ['null', null],
    ['boolean', true],
    ['empty string', ''],
    ['long text', 'x'.repeat(2_000)], // long, yet every field of a form filled with it stays under the body limit
  ];
}

/** Names that exist on every object's prototype: a lookup by user-supplied name must not find them. */
export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

/** Every card verb declared in the templates, with the data keys its action sends and the input ids
 * of the same card (Teams merges the inputs into the action data). Walked from the templates, so a
 * new verb joins the corpus by itself. */
export function templateVerbs(templates: Record<string, unknown>): Map<string, Set<string>> {
  const verbs = new Map<string, Set<string>>();
  for (const template of Object.values(templates)) {
    const inputs = new Set<string>();
    const actions: Array<{ verb: string; data: Record<string, unknown> }> = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== 'object') return;
      const o = node as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string') inputs.add(o.id);
      if (typeof o.verb === 'string') actions.push({ verb: o.verb, data: (o.data as Record<string, unknown>) ?? {} });
      Object.values(o).forEach(walk);
    };
    walk(template);
    for (const { verb, data } of actions) {
      const keys = verbs.get(verb) ?? new Set<string>();
      for (const k of [...Object.keys(data), ...inputs]) if (!k.includes('$')) keys.add(k);
      verbs.set(verb, keys);
    }
  }
  return verbs;
}
