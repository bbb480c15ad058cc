import { Feature, RouteTable, VerbHandler } from '../../bot/routes';

const answer: VerbHandler = async () => ({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: {} });
const noop = async () => undefined;

describe('the routing table', () => {
  it('gives each command, button, verb and submit action its one feature', () => {
    const table = new RouteTable([
      { name: 'cases', commands: { myCases: noop }, buttons: { myCases: { command: 'myCases' } }, verbs: { 'case.open': answer } },
      { name: 'agenda', commands: { agenda: noop }, verbs: { 'agenda.attend': answer }, submits: { 'agenda.refresh': noop } },
    ]);
    expect(table.describe()).toEqual([
      'button myCases → cases',
      'command agenda → agenda',
      'command myCases → cases',
      'submit agenda.refresh → agenda',
      'verb agenda.attend → agenda',
      'verb case.open → cases',
    ]);
    expect(table.verbs.get('agenda.attend')?.feature).toBe('agenda');
  });

  it.each<[string, Feature[], RegExp]>([
    ['a verb declared twice', [{ name: 'a', verbs: { 'agenda.attend': answer } }, { name: 'b', verbs: { 'agenda.attend': answer } }], /verb "agenda.attend" is declared by a and b/],
    ['a command declared twice', [{ name: 'a', commands: { psi: noop } }, { name: 'b', commands: { psi: noop } }], /command "psi" is declared by a and b/],
    ['a command the bot has no words for', [{ name: 'a', commands: { nope: noop } as never }], /unknown command "nope"/],
    ['a button for a command nobody handles', [{ name: 'a', buttons: { myCases: { command: 'myCases' } } }], /stands for the command "myCases", which no feature handles/],
    ['a name that is not area.action', [{ name: 'a', verbs: { 'agenda attend': answer } }], /not a route name/],
    ['a name both button and submit', [{ name: 'a', commands: { psi: noop }, buttons: { psi: { command: 'psi' } }, submits: { psi: noop } }], /both a button and a submit action/],
  ])('refuses to start with %s', (_what, features, error) => {
    expect(() => new RouteTable(features)).toThrow(error);
  });

  it.each<[Record<string, unknown> | undefined, unknown]>([
    [{ action: 'newPoll', trackingId: 'CMD-2026-0001' }, { name: 'newPoll', arg: 'CMD-2026-0001' }],
    [{ action: 'newPoll' }, null], // the argument is missing: not the command
    [{ action: 'help' }, { name: 'help', arg: '' }],
    [{ action: 'constructor' }, null],
    [{ action: 42 }, null],
    [undefined, null],
  ])('reads the button %j as %j', (value, command) => {
    const table = new RouteTable([{ name: 'x', commands: { newPoll: noop, help: noop }, buttons: { newPoll: { command: 'newPoll', arg: 'trackingId' }, help: { command: 'help' } } }]);
    expect(table.commandOfButton(value)).toEqual(command);
  });
});
