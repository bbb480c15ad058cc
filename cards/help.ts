import type { Translate } from '../locales/i18n';
import { renderCard } from './render';

const COMMANDS = ['newRequest', 'myRequests', 'myCases', 'myReminders', 'language', 'cancel', 'help'] as const;
const STAFF_COMMANDS = ['linkCase', 'newPoll', 'agenda', 'psi', 'networkMap', 'record', 'setCoordination', 'organisers', 'export', 'report'] as const;

export function helpCard(tr: Translate) {
  return renderCard('help', {
    title: tr('help.title'),
    intro: tr('help.intro'),
    commandsTitle: tr('help.commandsTitle'),
    commands: COMMANDS.map((c) => ({ command: tr(`help.cmd.${c}`), description: tr(`help.cmd.${c}.desc`) })),
    staffTitle: tr('help.staffTitle'),
    staffCommands: STAFF_COMMANDS.map((c) => ({ command: tr(`help.cmd.${c}`), description: tr(`help.cmd.${c}.desc`) })),
    privacy: tr('help.privacy'),
    newRequestLabel: tr('help.action.newRequest'),
  });
}
