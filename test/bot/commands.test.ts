import { Command, commandDuringQuestion, parseCommand } from '../../bot/commands';
import { toSupportedLocale } from '../../locales/i18n';

describe('parseCommand', () => {
  it.each([
    ['carte CMD-2026-0042', { name: 'networkMap', arg: 'CMD-2026-0042' }],
    ['kaart cmd-2026-0042', { name: 'networkMap', arg: 'cmd-2026-0042' }],
    ['carte', { name: 'networkMap', arg: '' }],
    ['rapport 2026-01-01 2026-12-31', { name: 'report', arg: '2026-01-01 2026-12-31' }],
    // A period written otherwise is still the report, which then says how to write the dates.
    ['verslag januari 2026', { name: 'report', arg: 'januari 2026' }],
    ['psi accès CMD-2026-0042', { name: 'psi', arg: 'accès CMD-2026-0042' }],
    ['taal nl', { name: 'language', arg: 'nl' }],
    ['aide', { name: 'help', arg: '' }],
  ])('"%s" is a command', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each(['bonjour', 'aide-moi à remplir', 'Madame vit seule'])('"%s" is not a command', (text) => {
    expect(parseCommand(text)).toBeNull();
  });
});

describe('commandDuringQuestion: while the sheet waits for an answer', () => {
  const during = (text: string): Command | null => commandDuringQuestion(parseCommand(text), (arg) => toSupportedLocale(arg) !== null);

  // Answers that start with a command word: the answer wins, nothing is lost.
  it.each([
    "Carte d'identité 591-1234567-89 périmée, Monsieur n'a plus accès à sa mutuelle.",
    'Carte 3 personnes à contacter',
    'Kaart van de mutualiteit verlopen',
    'Rapport 2024 du médecin traitant joint',
    'Verslag van de huisarts volgt',
    'Agenda 2 fois par semaine chez le kiné',
    'PSI en cours avec le CPAS',
    'Langue maternelle arabe',
  ])('"%s" is an answer', (text) => {
    expect(during(text)).toBeNull();
  });

  it.each([
    ['aide', { name: 'help', arg: '' }],
    ['annuler', { name: 'cancel', arg: '' }],
    ['taal nl', { name: 'language', arg: 'nl' }],
  ])('"%s" is still a command', (text, expected) => {
    expect(during(text)).toEqual(expected);
  });
});
