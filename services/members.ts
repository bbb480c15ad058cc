// Roles: who is a coordinator, who is in the organiser pool. Every permission check goes through here.
import type { Model } from 'mongoose';
import type { AuditEntry } from '../models/audit';
import { isDuplicateKeyError } from '../models/db';
import type { Member, PoolLanguage, Role } from '../models/member';
import type { Clock } from './clock';

export interface Person {
  aadObjectId: string;
  teamsUserId?: string | null;
  displayName: string;
}

export class MemberService {
  constructor(
    private readonly members: Model<Member>,
    private readonly audit: Model<AuditEntry>,
    private readonly clock: Clock,
    private readonly bootstrapCoordinatorIds: readonly string[] = [],
  ) {}

  async get(aadObjectId: string): Promise<Member | null> {
    const m = await this.members.findOne({ aadObjectId }).lean();
    return m ? withDefaults(m) : null;
  }

  async hasRole(aadObjectId: string | undefined, role: Role): Promise<boolean> {
    if (!aadObjectId) return false;
    if (role === 'coordinator' && this.bootstrapCoordinatorIds.includes(aadObjectId)) return true;
    const m = await this.get(aadObjectId);
    return Boolean(m && m.active && m.roles.includes(role));
  }

  isCoordinator = (aadObjectId: string | undefined) => this.hasRole(aadObjectId, 'coordinator');

  /** Creates or updates a member; a race between two first writes is settled by the unique index. */
  async upsert(person: Person, changes: Partial<Pick<Member, 'roles' | 'languages' | 'sectors' | 'active'>>, by: string): Promise<Member> {
    const now = this.clock.now();
    const set: Partial<Member> = { displayName: person.displayName, updatedAt: now, updatedBy: by, ...changes };
    if (person.teamsUserId) set.teamsUserId = person.teamsUserId;
    const defaults: Partial<Member> = { roles: [], languages: [], sectors: [], active: true, teamsUserId: null };
    const setOnInsert = Object.fromEntries(Object.entries(defaults).filter(([k]) => !(k in set)));
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.members.updateOne({ aadObjectId: person.aadObjectId }, { $set: set, $setOnInsert: setOnInsert }, { upsert: true });
        break;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
    }
    await this.audit.create({ at: now, actor: by, action: 'member.updated', subject: person.aadObjectId, details: changes });
    return (await this.get(person.aadObjectId))!;
  }

  async addRole(person: Person, role: Role, by: string, extra: Partial<Pick<Member, 'languages' | 'sectors'>> = {}): Promise<Member> {
    const existing = await this.get(person.aadObjectId);
    const roles = Array.from(new Set([...(existing?.roles ?? []), role]));
    return this.upsert(person, { roles, active: true, ...extra }, by);
  }

  async organisers(filter: { language?: PoolLanguage; includeInactive?: boolean } = {}) {
    const q: Record<string, unknown> = { roles: 'organiser' };
    if (!filter.includeInactive) q.active = true;
    if (filter.language) q.languages = filter.language;
    return (await this.members.find(q).sort({ displayName: 1 }).lean()).map(withDefaults);
  }

  /** Everyone with a role, organisers and coordinators, active first. */
  async all(): Promise<Member[]> {
    return (await this.members.find({ roles: { $in: ['organiser', 'coordinator'] } }).sort({ active: -1, displayName: 1 }).lean()).map(withDefaults);
  }

  /** Display names of the members among these ids (one query; unknown ids are absent). */
  async namesOf(aadObjectIds: string[]): Promise<Map<string, string>> {
    if (!aadObjectIds.length) return new Map();
    const rows = await this.members.find({ aadObjectId: { $in: [...new Set(aadObjectIds)] } }).select({ aadObjectId: 1, displayName: 1 }).lean();
    return new Map(rows.map((m) => [m.aadObjectId, m.displayName]));
  }

  /** Makes the configured first coordinators known (display name filled in when they first talk). */
  async bootstrap(): Promise<void> {
    for (const id of this.bootstrapCoordinatorIds) {
      const existing = await this.get(id);
      if (!existing) await this.upsert({ aadObjectId: id, displayName: id }, { roles: ['coordinator'], active: true }, 'config');
    }
  }
}

/** FerretDB v1 drops empty arrays given in $setOnInsert: read absent lists as empty. */
function withDefaults(m: Member): Member {
  return { ...m, roles: m.roles ?? [], languages: m.languages ?? [], sectors: m.sectors ?? [], teamsUserId: m.teamsUserId ?? null, active: m.active ?? true };
}
