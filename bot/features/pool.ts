// Coordinators manage the organiser pool and the coordinators (roles are stored, not inferred).
// The people to pick from are the members of the conversation where the command is typed.
import { CardFactory, TeamsInfo, TurnContext } from 'botbuilder';
import { PoolView, poolCard } from '../../cards/pool';
import type { PoolLanguage, Role } from '../../models/member';
import type { MemberService } from '../../services/members';
import type { RequestService } from '../../services/requests';
import type { Command } from '../commands';
import { Feature, FeatureRoutes, TurnScope } from '../teamsBot';

export interface PoolFeatureDeps {
  members: MemberService;
  requests: RequestService;
}

const LANGS: readonly PoolLanguage[] = ['fr', 'nl', 'en'];

export class PoolFeature implements Feature {
  readonly routes = { commands: ['organisers'], submits: ['pool.save', 'pool.toggle'] } as const satisfies FeatureRoutes;
  constructor(private readonly deps: PoolFeatureDeps) {}

  async onCommand(command: Command, scope: TurnScope): Promise<boolean> {
    if (command.name !== 'organisers') return false;
    if (!(await this.allowed(scope))) return true;
    await this.show(scope);
    return true;
  }

  async onSubmit(value: Record<string, unknown>, scope: TurnScope): Promise<boolean> {
    if (value.action !== 'pool.save' && value.action !== 'pool.toggle') return false;
    if (!(await this.allowed(scope))) return true;
    const me = scope.context.activity.from.aadObjectId!;
    if (value.action === 'pool.toggle') {
      const member = typeof value.aadObjectId === 'string' ? await this.deps.members.get(value.aadObjectId) : null;
      if (!member) return this.show(scope, { text: scope.tr('pool.error.unknown'), ok: false }).then(() => true);
      if (member.aadObjectId === me && member.active) return this.show(scope, { text: scope.tr('pool.error.self'), ok: false }).then(() => true);
      await this.deps.members.upsert({ aadObjectId: member.aadObjectId, displayName: member.displayName }, { active: !member.active }, me);
      await this.show(scope, { text: scope.tr(member.active ? 'pool.deactivated' : 'pool.activated', { name: member.displayName }), ok: true });
      return true;
    }
    // save: the person is "aad|teamsId|name" from the roster choices
    const [aadObjectId, teamsUserId, ...nameParts] = typeof value.person === 'string' ? value.person.split('|') : [];
    const role = value.role === 'coordinator' ? 'coordinator' : value.role === 'organiser' ? 'organiser' : null;
    const languages = (typeof value.languages === 'string' ? value.languages.split(',') : []).filter((l): l is PoolLanguage => (LANGS as string[]).includes(l));
    const sectors = (typeof value.sectors === 'string' ? value.sectors.split(/[,;]/) : []).map((s) => s.trim()).filter(Boolean).slice(0, 10);
    if (!aadObjectId || !teamsUserId) return this.show(scope, { text: scope.tr('pool.error.person'), ok: false }).then(() => true);
    if (!role) return this.show(scope, { text: scope.tr('pool.error.role'), ok: false }).then(() => true);
    if (role === 'organiser' && languages.length === 0) return this.show(scope, { text: scope.tr('pool.error.languages'), ok: false }).then(() => true);
    const name = nameParts.join('|') || aadObjectId;
    await this.deps.members.addRole({ aadObjectId, teamsUserId, displayName: name }, role as Role, me, role === 'organiser' ? { languages, sectors } : {});
    await this.show(scope, { text: scope.tr('pool.saved', { name, role: scope.tr(`pool.role.${role}`) }), ok: true });
    return true;
  }

  private async allowed(scope: TurnScope): Promise<boolean> {
    if (await this.deps.members.isCoordinator(scope.context.activity.from.aadObjectId)) return true;
    scope.log.warn('pool management refused: not a coordinator');
    await scope.context.sendActivity(scope.tr('coordination.notCoordinator'));
    return false;
  }

  private async show(scope: TurnScope, notice?: PoolView['notice']): Promise<void> {
    const open = await this.deps.requests.openCasesByOrganiser();
    const all = await this.deps.members.all();
    const view: PoolView = {
      members: all.map((m) => ({ ...m, openCases: open.get(m.aadObjectId) ?? 0 })),
      people: await roster(scope.context),
      notice,
    };
    await scope.context.sendActivity({ attachments: [CardFactory.adaptiveCard(poolCard(view, scope.locale))] });
  }
}

/** Members of the current conversation (in a 1:1 chat: just the user), best effort. */
async function roster(context: TurnContext): Promise<PoolView['people']> {
  const self = context.activity.from;
  try {
    const page = await TeamsInfo.getPagedMembers(context, 500);
    const people = page.members.filter((m) => m.aadObjectId).map((m) => ({ aadObjectId: m.aadObjectId!, teamsUserId: m.id, name: m.name || m.aadObjectId! }));
    if (people.length) return people;
  } catch {
    // Not in Teams (or the roster is unavailable): fall back to the user.
  }
  return self.aadObjectId ? [{ aadObjectId: self.aadObjectId, teamsUserId: self.id, name: self.name || self.aadObjectId }] : [];
}
