// "psi [CMD-…] [version]" shows the PSI (in the case conversation the case is known); in a group
// chat the content only when every member there may read it. "psi accès CMD-…" shows the access
// log to the case's organiser, 1:1. "carte [CMD-…]" shows the network map alone, to the same
// readers and in the same places as "psi". Every read is noted for the person's right to know.
import { CardFactory } from 'botbuilder';
import { MAX_ACCESS_ROWS, psiAccessLogCard, psiNewVersionCard } from '../../../cards/psi';
import { allTranslations } from '../../../locales/i18n';
import type { PsiAccessEntry } from '../../../models/psiAccess';
import type { CaseService } from '../../../services/cases';
import type { PsiAccess, PsiService } from '../../../services/psi';
import type { Command } from '../../commands';
import { isPersonalChat, type Feature, type TurnScope } from '../../teamsBot';
import { conversationMembers } from './distribution';
import { psiErrorText, PsiView } from './view';

/** "accès CMD-…" / "toegang CMD-…" / "access CMD-…": the access log, in any of the languages. */
export function parseAccessArgs(arg: string): string | null {
  const norm = (x: string) => x.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
  const words = allTranslations('psi.accessWord').flatMap((w) => w.split('|')).map(norm).filter(Boolean).sort((a, b) => b.length - a.length);
  const text = norm(arg ?? '');
  const word = words.find((w) => text === w || text.startsWith(`${w} `));
  if (!word) return null;
  return (arg ?? '').trim().split(/\s+/).slice(word.split(' ').length).join(' ').trim();
}

/** "CMD-2026-0001 3" / "v3 CMD-2026-0001" / "" → tracking id and version. */
export function parsePsiArgs(arg: string): { trackingId: string; version: number | null } {
  let trackingId = '';
  let version: number | null = null;
  for (const w of (arg ?? '').trim().split(/\s+/).filter(Boolean)) {
    const v = /^v?(\d{1,4})$/i.exec(w);
    if (v) version = Number(v[1]);
    else if (!trackingId) trackingId = w;
  }
  return { trackingId, version };
}

export class PsiCommandFeature implements Feature {
  readonly name = 'psi/command';
  readonly commands: Feature['commands'] = {
    psi: (command, scope) => {
      const accessArg = parseAccessArgs(command.arg);
      return accessArg === null ? this.show(command, scope) : this.showAccessLog(accessArg, scope);
    },
    networkMap: (command, scope) => this.showMap(command, scope),
  };

  constructor(private readonly deps: { psi: PsiService; cases: CaseService; view: PsiView }) {}

  /**
   * Who asks, for which case and version, and whether they may see it here; null once the refusal
   * is sent. In a group chat the answer is read by every member: the content only in the case
   * conversation and when all of them may read it, else the notice without content.
   */
  private async reader(command: Command, scope: TurnScope): Promise<{ access: PsiAccess; version: number | undefined; inGroup: boolean; alsoShownTo: Array<string | null> } | null> {
    const { context, locale, tr } = scope;
    const { psi, cases } = this.deps;
    const me = context.activity.from.aadObjectId ?? '';
    const args = parsePsiArgs(command.arg);
    let trackingId = args.trackingId;
    if (!trackingId) {
      const linked = await cases.caseForConversation(context.activity.conversation.id);
      if (!linked) {
        await context.sendActivity(tr(command.name === 'networkMap' ? 'psi.map.missingId' : 'psi.missingId'));
        return null;
      }
      trackingId = linked.trackingId;
    }
    const access = await psi.authoriseRead(trackingId, me);
    if (!access.ok) {
      scope.log.info({ event: 'psi.refused', command: command.name, code: access.code }, 'psi refused');
      await context.sendActivity(psiErrorText(locale, access.code, access.params));
      return null;
    }
    const type = context.activity.conversation.conversationType;
    const version = args.version ?? undefined;
    if (!type || type === 'personal') return { access: access.value, version, inGroup: false, alsoShownTo: [] };
    if (access.value.conversationId !== context.activity.conversation.id) {
      // The PSI is shown only where its readers are: the case conversation or one's own chat.
      await context.sendActivity(tr('psi.wrongConversation'));
      return null;
    }
    const members = await conversationMembers(context);
    const latest = await psi.latest(access.value.trackingId);
    if (latest && (await psi.groupView(access.value.trackingId, members)) === 'notice') {
      await context.sendActivity({ attachments: [CardFactory.adaptiveCard(psiNewVersionCard({ trackingId: latest.trackingId, version: latest.version, savedAt: latest.savedAt }, locale, 'psi.sentPrivately'))] });
      return null;
    }
    // The other members of the case chat receive the card too.
    return { access: access.value, version, inGroup: true, alsoShownTo: (members ?? []).filter((m) => m !== me) };
  }

  private async show(command: Command, scope: TurnScope): Promise<void> {
    const { context, locale, tr } = scope;
    const asked = await this.reader(command, scope);
    if (!asked) return;
    const card = await this.deps.view.cardFor(asked.access, locale, { mode: 'read', version: asked.version, inGroup: asked.inGroup });
    if (!card) {
      await context.sendActivity(tr('psi.error.unknownVersion'));
      return;
    }
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
    await this.deps.view.noteRead(asked.access.trackingId, context.activity.from.aadObjectId ?? '', 'command', asked.version, scope.log, asked.alsoShownTo);
  }

  /** "carte CMD-… [version]": the network map alone, at the reader's level, where the PSI may be shown. */
  private async showMap(command: Command, scope: TurnScope): Promise<void> {
    const { context, locale, tr } = scope;
    const asked = await this.reader(command, scope);
    if (!asked) return;
    const card = await this.deps.view.mapCardFor(asked.access, locale, { version: asked.version, inGroup: asked.inGroup });
    if (card === 'noPsi' || card === 'noVersion') {
      await context.sendActivity(tr(card === 'noPsi' ? 'psi.map.noPsi' : 'psi.error.unknownVersion'));
      return;
    }
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
    await this.deps.view.noteRead(asked.access.trackingId, context.activity.from.aadObjectId ?? '', 'map', asked.version, scope.log, asked.alsoShownTo);
  }

  /** "psi accès [CMD-…]": who read or received which version and when, for the case's organiser, 1:1 only. */
  private async showAccessLog(arg: string, scope: TurnScope): Promise<void> {
    const { context, locale, tr } = scope;
    if (!isPersonalChat(scope)) {
      // Who the person shares her PSI with is hers to know, not the chat's.
      await context.sendActivity(tr('psi.access.onlyPersonal'));
      return;
    }
    const trackingId = parsePsiArgs(arg).trackingId;
    if (!trackingId) {
      await context.sendActivity(tr('psi.missingId'));
      return;
    }
    const log = await this.deps.psi.accessLog(trackingId, context.activity.from.aadObjectId);
    if (!log.ok) {
      scope.log.info({ event: 'psi.accessLog.refused', code: log.code }, 'psi access log refused');
      await context.sendActivity(psiErrorText(locale, log.code, log.params));
      return;
    }
    const { entries, names } = log.value;
    const rows = entries.map((e: PsiAccessEntry) => ({ at: e.at, who: e.aadObjectId ? names.get(e.aadObjectId) ?? tr('psi.access.unknownPerson') : null, channel: e.channel, version: e.version }));
    scope.log.info({ event: 'psi.accessLog', trackingId: log.value.trackingId, entries: entries.length, shown: Math.min(entries.length, MAX_ACCESS_ROWS) }, 'psi access log shown');
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(psiAccessLogCard({ trackingId: log.value.trackingId, rows }, locale))] });
  }
}
