// Roles: who is a coordinator, who is in the organiser pool. Every permission check goes through here.
import { LRUCache } from 'lru-cache';
import type { Model } from 'mongoose';
import { AssignmentFacts, can, CaseAction, isAssignedOrganiser } from '../domain/permissions';
import { isSector } from '../domain/sectors';
import type { AuditEntry } from '../models/audit';
import { isDuplicateKey } from '../models/db';
import { Locale, toSupportedLocale } from '../locales/i18n';
import type { Member, PoolLanguage, Role } from '../models/member';
import type { Clock } from './clock';

export interface Person {
  aadObjectId: string;
  teamsUserId?: string | null;
  displayName: string;
}

/** A preference seen again within this time is not written again (one write per user per while, not per turn). */
const NOTED_TTL_MS = 10 * 60_000;
const MAX_NOTED = 10_000;

/** What is asked of the members service: the request and coordination actions of the one rule set. */
export type RequestAction = Extract<CaseAction, 'triage' | 'setCoordination' | 'managePool' | 'openAssignment' | 'viewRequesterIdentity' | 'exportRecords' | 'viewCoordination' | 'viewActivityReport'>;

export class MemberService {
  /** Member → the language last written for them, forgotten after a while (then written again if it changed meanwhile). */
  private readonly noted = new LRUCache<string, Locale>({ max: MAX_NOTED, ttl: NOTED_TTL_MS });

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

  /** Whether `aadObjectId` may do `action` on a request (domain/permissions.ts); `decision`: the request's, for what depends on it. */
  async may(action: RequestAction, aadObjectId: string | undefined, decision?: AssignmentFacts | null): Promise<boolean> {
    return can(action, { isCoordinator: await this.isCoordinator(aadObjectId), isOrganiser: isAssignedOrganiser(decision, aadObjectId), roles: [] });
  }

  /** Creates or updates a member; a race between two first writes is settled by the unique index. */
  async upsert(person: Person, changes: Partial<Pick<Member, 'roles' | 'languages' | 'sectors' | 'sector' | 'active'>>, by: string): Promise<Member> {
    const now = this.clock.now();
    const set: Partial<Member> = { displayName: person.displayName, updatedAt: now, updatedBy: by, ...changes };
    // Until the member writes to the bot, the pool's first language is the best guess of theirs.
    if (changes.languages?.length && !(await this.get(person.aadObjectId))?.preferredLocale) set.preferredLocale = changes.languages[0];
    if (person.teamsUserId) set.teamsUserId = person.teamsUserId;
    const defaults: Partial<Member> = { roles: [], languages: [], sectors: [], sector: null, active: true, teamsUserId: null, preferredLocale: null };
    const setOnInsert = Object.fromEntries(Object.entries(defaults).filter(([k]) => !(k in set)));
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.members.updateOne({ aadObjectId: person.aadObjectId }, { $set: set, $setOnInsert: setOnInsert }, { upsert: true });
        break;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
    await this.audit.create({ at: now, actor: by, action: 'member.updated', subject: person.aadObjectId, details: changes });
    return (await this.get(person.aadObjectId))!;
  }

  async addRole(person: Person, role: Role, by: string, extra: Partial<Pick<Member, 'languages' | 'sectors' | 'sector'>> = {}): Promise<Member> {
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

  /**
   * The member wrote to the bot in this language (or chose it with "taal nl"): proactive messages
   * follow. Only known members are updated (nobody becomes a member by talking); an unsupported
   * language changes nothing. Returns true when the stored preference changed.
   */
  async notePreferredLocale(aadObjectId: string | undefined | null, locale: string | undefined | null): Promise<boolean> {
    const wanted = toSupportedLocale(locale);
    if (!aadObjectId || !wanted) return false;
    if (this.noted.get(aadObjectId) === wanted) return false;
    const res = await this.members.updateOne({ aadObjectId, preferredLocale: { $ne: wanted } }, { $set: { preferredLocale: wanted } });
    this.noted.set(aadObjectId, wanted);
    return (res.modifiedCount ?? 0) > 0;
  }

  /**
   * The language to write to someone in, first message included: a member's preference, else what
   * their Teams 1:1 chat says (`spoken`, when there is one), else the pool's first language. Null
   * for a non-member with no chat: the caller falls back (case language, default).
   */
  async localeOf(aadObjectId: string, spoken?: string | null): Promise<Locale | null> {
    const m = await this.get(aadObjectId);
    return m?.preferredLocale ?? toSupportedLocale(spoken) ?? m?.languages[0] ?? null;
  }

  /** Preferred languages of the members among these ids that have one (one query). */
  async preferredLocales(aadObjectIds: string[]): Promise<Map<string, Locale>> {
    if (!aadObjectIds.length) return new Map();
    const rows = await this.byIds(aadObjectIds, { aadObjectId: 1, preferredLocale: 1 });
    const out = new Map<string, Locale>();
    for (const m of rows) {
      const l = toSupportedLocale(m.preferredLocale);
      if (l) out.set(m.aadObjectId, l);
    }
    return out;
  }

  /** Display names of the members among these ids (unknown ids are absent). */
  async namesOf(aadObjectIds: string[]): Promise<Map<string, string>> {
    if (!aadObjectIds.length) return new Map();
    const rows = await this.byIds(aadObjectIds, { aadObjectId: 1, displayName: 1 });
    return new Map(rows.map((m) => [m.aadObjectId, m.displayName]));
  }

  /**
   * One indexed lookup per id (a few at a time), not `$in`: the embedded database reads the whole
   * collection for `$in` (docs/benchmarks.md). Callers pass the handful of people of a pass or a card.
   */
  private async byIds(aadObjectIds: string[], fields: Record<string, 1>): Promise<Member[]> {
    const ids = [...new Set(aadObjectIds)];
    const rows: Member[] = [];
    for (let i = 0; i < ids.length; i += 16) {
      const found = await Promise.all(ids.slice(i, i + 16).map((aadObjectId) => this.members.findOne({ aadObjectId }).select(fields).lean()));
      for (const m of found) if (m) rows.push(m as Member);
    }
    return rows;
  }

  /** Makes the configured first coordinators known (display name filled in when they first talk). */
  async bootstrap(): Promise<void> {
    for (const id of this.bootstrapCoordinatorIds) {
      const existing = await this.get(id);
      if (!existing) await this.upsert({ aadObjectId: id, displayName: id }, { roles: ['coordinator'], active: true }, 'config');
    }
  }
}

/** FerretDB v1 drops empty arrays given in $setOnInsert: read absent lists as empty; members stored before the sector have none. */
function withDefaults(m: Member): Member {
  return { ...m, roles: m.roles ?? [], languages: m.languages ?? [], sectors: m.sectors ?? [], sector: isSector(m.sector) ? m.sector : null, teamsUserId: m.teamsUserId ?? null, active: m.active ?? true, preferredLocale: toSupportedLocale(m.preferredLocale) };
}
