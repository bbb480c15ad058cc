import { parseCommand } from '../../bot/commands';

describe('parseCommand', () => {
  it.each([
    ['carte CMD-2026-0042', { name: 'networkMap', arg: 'CMD-2026-0042' }],
    ['kaart cmd-2026-0042', { name: 'networkMap', arg: 'cmd-2026-0042' }],
    ['carte', { name: 'networkMap', arg: '' }],
    ['rapport 2026-01-01 2026-12-31', { name: 'report', arg: '2026-01-01 2026-12-31' }],
    ['verslag 1 januari', { name: 'report', arg: '1 januari' }],
    ['psi accès CMD-2026-0042', { name: 'psi', arg: 'accès CMD-2026-0042' }],
    ['psi toegang', { name: 'psi', arg: 'toegang' }],
    ['taal nl', { name: 'language', arg: 'nl' }],
    ['agenda CMD-2026-0042', { name: 'agenda', arg: 'CMD-2026-0042' }],
    ['export 2026-01-01 2026-03-31 Sam', { name: 'export', arg: '2026-01-01 2026-03-31 Sam' }],
  ])('"%s" is a command', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  // Answers to the sheet's questions, or talk in a chat, that start with a command word.
  it.each([
    "Carte d'identité 591-1234567-89 périmée, Monsieur n'a plus accès à sa mutuelle.",
    'Kaart van de mutualiteit verlopen',
    'Rapport du médecin traitant joint',
    'Verslag van de huisarts volgt',
    'Agenda chargé : passage infirmier deux fois par jour',
    'Map of the services around her',
    'Langue maternelle arabe',
    'PSI en cours avec le CPAS',
  ])('"%s" is not a command', (text) => {
    expect(parseCommand(text)).toBeNull();
  });
});
