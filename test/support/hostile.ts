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
