// Coordinators manage the organiser pool and the coordinators (roles are stored, not inferred).
// The people to pick from are the members of the conversation where the command is typed; the
// card's buttons (Action.Execute) answer with the updated card, which replaces the clicked one
// (a submit could only post a new card under it each time).
import { AdaptiveCardInvokeResponse, CardFactory } from 'botbuilder';
import { PoolForm, PoolView, poolCard } from '../../cards/pool';
import { inputText } from '../../domain/input';
import { isSector } from '../../domain/sectors';
import type { PoolLanguage, Role } from '../../models/member';
import type { MemberService } from '../../services/members';
import type { RequestService } from '../../services/requests';
import { readRoster } from '../roster';
import { cardResponse, Feature, messageResponse, TurnScope } from '../teamsBot';

export interface PoolFeatureDeps {
  members: MemberService;
  requests: RequestService;
}

const LANGS: readonly PoolLanguage[] = ['fr', 'nl', 'en'];
type Notice = PoolView['notice'];

export class PoolFeature implements Feature {
  readonly name = 'pool';
  readonly commands: Feature['commands'] = {
    organisers: (_command, scope) => this.show(scope),
  };
  readonly verbs: Feature['verbs'] = {
    'pool.save': (data, scope) => this.change(scope, () => this.save(data, scope), formOf(data)),
    'pool.toggle': (data, scope) => this.change(scope, () => this.toggle(data, scope)),
  };
  constructor(private readonly deps: PoolFeatureDeps) {}

  /** "organisateurs": the pool card, for coordinators. */
  private async show(scope: TurnScope): Promise<void> {
    if (!(await this.allowed(scope))) {
      await scope.context.sendActivity(scope.tr('coordination.notCoordinator'));
      return;
    }
    await scope.context.sendActivity({ attachments: [CardFactory.adaptiveCard(await this.card(scope))] });
  }

  /** A click on the pool card: the change, then the updated card with what happened. */
  private async change(scope: TurnScope, apply: () => Promise<Notice>, typed?: PoolForm): Promise<AdaptiveCardInvokeResponse> {
    if (!(await this.allowed(scope))) return messageResponse(scope.tr('coordination.notCoordinator'));
    const notice = await apply();
    // A refused form comes back as it was filled, so nothing typed is lost.
    return cardResponse(await this.card(scope, notice, notice?.ok ? undefined : typed));
  }

  private async toggle(data: Record<string, unknown>, scope: TurnScope): Promise<Notice> {
    const me = scope.context.activity.from.aadObjectId!;
    const member = typeof data.aadObjectId === 'string' ? await this.deps.members.get(data.aadObjectId) : null;
    if (!member) return { text: scope.tr('pool.error.unknown'), ok: false };
    if (member.aadObjectId === me && member.active) return { text: scope.tr('pool.error.self'), ok: false };
    await this.deps.members.upsert({ aadObjectId: member.aadObjectId, displayName: member.displayName }, { active: !member.active }, me);
    return { text: scope.tr(member.active ? 'pool.deactivated' : 'pool.activated', { name: member.displayName }), ok: true };
  }

  private async save(data: Record<string, unknown>, scope: TurnScope): Promise<Notice> {
    const me = scope.context.activity.from.aadObjectId!;
    // the person is "aad|teamsId|name" from the roster choices
    const [aadObjectId, teamsUserId, ...nameParts] = typeof data.person === 'string' ? data.person.split('|') : [];
    const role = data.role === 'coordinator' ? 'coordinator' : data.role === 'organiser' ? 'organiser' : null;
    const languages = (typeof data.languages === 'string' ? data.languages.split(',') : []).filter((l): l is PoolLanguage => (LANGS as string[]).includes(l));
    const sectors = (typeof data.sectors === 'string' ? data.sectors.split(/[,;]/) : []).map((s) => s.trim()).filter(Boolean).slice(0, 10);
    if (!aadObjectId || !teamsUserId) return { text: scope.tr('pool.error.person'), ok: false };
    if (!role) return { text: scope.tr('pool.error.role'), ok: false };
    if (role === 'organiser' && languages.length === 0) return { text: scope.tr('pool.error.languages'), ok: false };
    // The activity report counts organisers per sector: one is required of an organiser.
    const sector = inputText(data.sector) || null;
    if (sector !== null && !isSector(sector)) return { text: scope.tr('pool.error.sectorUnknown'), ok: false };
    if (role === 'organiser' && sector === null) return { text: scope.tr('pool.error.sector'), ok: false };
    const name = nameParts.join('|') || aadObjectId;
    const organiser = role === 'organiser' && isSector(sector) ? { languages, sectors, sector } : {};
    await this.deps.members.addRole({ aadObjectId, teamsUserId, displayName: name }, role as Role, me, organiser);
    return { text: scope.tr('pool.saved', { name, role: scope.tr(`pool.role.${role}`) }), ok: true };
  }

  private async allowed(scope: TurnScope): Promise<boolean> {
    if (await this.deps.members.may('managePool', scope.context.activity.from.aadObjectId)) return true;
    scope.log.warn('pool management refused: not a coordinator');
    return false;
  }

  private async card(scope: TurnScope, notice?: Notice, form?: PoolForm) {
    const all = await this.deps.members.all();
    // Counted per member shown (an indexed lookup each), not over every decision ever made.
    const open = await this.deps.requests.openCasesByOrganiser(all.map((m) => m.aadObjectId));
    const view: PoolView = {
      members: all.map((m) => ({ ...m, openCases: open.get(m.aadObjectId) ?? 0 })),
      people: await people(scope),
      notice,
      form,
    };
    return poolCard(view, scope.locale);
  }
}

/** The form's fields as they were sent, to show them again with a refusal. */
function formOf(data: Record<string, unknown>): PoolForm {
  return { person: inputText(data.person), role: inputText(data.role), languages: inputText(data.languages), sector: inputText(data.sector), sectors: inputText(data.sectors, 300) };
}

/** Members of the current conversation (in a 1:1 chat, or when Teams does not answer: just the user). */
async function people(scope: TurnScope): Promise<PoolView['people']> {
  const self = scope.context.activity.from;
  const roster = (await readRoster(scope.context)) ?? [];
  const known = roster.flatMap((m) => (m.aadObjectId ? [{ aadObjectId: m.aadObjectId, teamsUserId: m.teamsUserId, name: m.name || m.aadObjectId }] : []));
  if (known.length) return known;
  return self.aadObjectId ? [{ aadObjectId: self.aadObjectId, teamsUserId: self.id, name: self.name || self.aadObjectId }] : [];
}
