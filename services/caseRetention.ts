// Retention of closed cases: once a case has been stopped for CASE_RETENTION_MONTHS
// (domain/retention.ts), its personal data is removed from every collection and the anonymised
// record needed for billing and figures stays: the case (tracking id, organiser, consent type,
// dates), its status history without free text, the concertations' dates and durations, the
// concertation records (annex 10: the organiser's claim), the admission decision and the anonymous
// sheet's categories. One audit entry per purged case, with counts only.
//
// FerretDB v1: no transactions. Every step is an idempotent delete or overwrite, so a purge cut
// short (crash, database outage) is finished by the next run; the audit entry's fixed id makes
// two instances purging the same case at once write one entry.
import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { anonymisedAnswers, isDueForPurge, reasonWithoutFreeText } from '../domain/retention';
import { t, toSupportedLocale } from '../locales/i18n';
import type { Models } from '../models';
import type { Case } from '../models/case';
import type { CaseStatusEvent } from '../models/caseStatusEvent';
import { isDuplicateKey } from '../models/db';
import type { Clock } from './clock';

export const CASE_PURGED = 'case.purged';
/** Written over the requester's Teams ids in a purged request (the fields are required). */
export const PURGED_MARK = 'purged';

type RetentionModels = Pick<
  Models,
  | 'cases' | 'caseStatusEvents' | 'caseParticipants' | 'caseLinks' | 'concertations' | 'agendaPoints' | 'attendance'
  | 'polls' | 'pollAnswers' | 'pollNotices' | 'psiVersions' | 'psiDrafts' | 'psiMessages' | 'psiAccess'
  | 'requests' | 'decisions' | 'reminders' | 'reminderClaims' | 'reminderOutcomes' | 'audit' | 'seenActivities'
> & {
  /** The identity of a requester who is the person or a carer, kept apart under the tracking id (models/requesterIdentity.ts). */
  requesterIdentities?: IdentityStore;
};

/** What the purge needs of the requester identities: count and delete by tracking id. */
interface IdentityStore {
  countDocuments(filter: { _id: string }): PromiseLike<number>;
  deleteOne(filter: { _id: string }): PromiseLike<unknown>;
}

/** A card the bot posted in Teams that shows the case (triage, agenda, PSI, poll). */
export interface PostedCard {
  conversationId: string;
  activityId: string;
}

/** Replaces the case's posted cards in Teams once their data is purged (set by the bot; best effort). */
export type PostedCardsReplacer = (trackingId: string, locale: string, cards: PostedCard[]) => Promise<void>;

/** What replacing a posted card needs of the bot's messenger. */
export interface CardUpdater {
  update(conversationId: string, activityId: string, activity: { type: 'message'; text: string; attachments: [] }): Promise<{ ok: true } | { ok: false; outcome: string }>;
}

/**
 * After the retention purge: each card the bot posted for the case (triage, agenda, PSI, poll) becomes a
 * short notice in the case's language. Best effort: a message that cannot be updated is logged
 * (ids only) and stays as Teams keeps it.
 */
export function purgedCardsReplacer(messenger: CardUpdater, log: { warn(obj: Record<string, unknown>, msg: string): void }): PostedCardsReplacer {
  return async (trackingId, locale, cards) => {
    const text = t(toSupportedLocale(locale) ?? 'fr', 'cases.purged.posted', { trackingId });
    for (const card of cards) {
      const result = await messenger.update(card.conversationId, card.activityId, { type: 'message', text, attachments: [] }).catch((err: Error) => ({ ok: false as const, outcome: err?.name ?? 'failed' }));
      if (!result.ok) log.warn({ trackingId, outcome: result.outcome, event: 'retention.cardNotReplaced' }, 'posted card of a purged case not replaced');
    }
  };
}

export interface PurgeSummary {
  trackingId: string;
  /** Documents removed per collection (counts only: the audit entry holds these). */
  removed: Record<string, number>;
  participantsByRole: Record<string, number>;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The audit entry's id for a case's purge: the same for every instance, so it is written once. */
export function purgeAuditId(trackingId: string): Types.ObjectId {
  return new Types.ObjectId(createHash('sha256').update(`${CASE_PURGED}|${trackingId}`).digest('hex').slice(0, 24));
}

export class CaseRetention {
  constructor(
    private readonly models: RetentionModels,
    private readonly clock: Clock,
    private readonly retentionMonths: number,
    /** The cards posted in Teams still show the data: replaced before their references are deleted. */
    private readonly replacePostedCards: PostedCardsReplacer | null = null,
  ) {}

  /** Where the case's cards were posted: the triage card, the agenda of each concertation, the PSI cards, the poll cards. */
  private async postedCards(trackingId: string): Promise<PostedCard[]> {
    const m = this.models;
    const found = new Map<string, PostedCard>();
    const add = (conversationId: string | null | undefined, activityId: string | null | undefined) => {
      if (conversationId && activityId) found.set(`${conversationId}\u0000${activityId}`, { conversationId, activityId });
    };
    // The coordination's triage card shows the request (the requester's name and phone among it).
    const request = await m.requests.findOne({ trackingId }).lean();
    add(request?.triageConversationId, request?.triageActivityId);
    for (const c of await m.concertations.find({ trackingId }).lean()) add(c.agendaConversationId, c.agendaActivityId);
    for (const p of await m.psiMessages.find({ trackingId }).lean()) add(p.conversationId, p.activityId);
    for (const p of await m.polls.find({ trackingId }).lean()) {
      add(p.conversationId, p.activityId);
      for (const pc of p.personalCards ?? []) add(pc.conversationId, pc.activityId);
    }
    return [...found.values()];
  }

  /** Purges every case due at the clock's now; returns what was purged. */
  async purgeDue(): Promise<PurgeSummary[]> {
    const now = this.clock.now();
    // A few whole reads, not one query per case: only _id lookups are indexed on FerretDB v1.
    const open = new Map((await this.models.cases.find({ purgedAt: null }).lean()).map((c) => [c.trackingId, c]));
    const stopped = (await this.models.caseStatusEvents.distinct('trackingId', { to: 'stopped' })).filter((id) => open.has(id));
    if (!stopped.length) return [];
    const latest = new Map<string, CaseStatusEvent>();
    for (const e of await this.models.caseStatusEvents.find({ trackingId: { $in: stopped } }).lean()) {
      if ((latest.get(e.trackingId)?.seq ?? -1) < e.seq) latest.set(e.trackingId, e);
    }
    const done: PurgeSummary[] = [];
    for (const trackingId of stopped.sort()) {
      const c = open.get(trackingId)!;
      const last = latest.get(trackingId);
      if (!last || !isDueForPurge({ status: last.to, statusAt: last.at, purgedAt: c.purgedAt ?? null }, now, this.retentionMonths)) continue;
      done.push(await this.purgeCase(c, last, now));
    }
    return done;
  }

  /** Removes the personal data of one case (due or not: the caller decides). */
  async purgeCase(c: Case, stop: Pick<CaseStatusEvent, 'at'>, now: Date): Promise<PurgeSummary> {
    const m = this.models;
    const trackingId = c.trackingId;
    const byCase = { trackingId };
    const pollIds = await m.polls.distinct('pollId', byCase);
    const reminderKeys = (await m.reminders.find({ subject: { $regex: `^${escapeRegex(trackingId)}(#|$)` } }).select({ key: 1 }).lean()).map((r) => r.key);
    const participants = await m.caseParticipants.find(byCase).select({ role: 1 }).lean();
    const replayed = { invokeResponse: { $regex: escapeRegex(trackingId) } };
    const participantsByRole: Record<string, number> = {};
    for (const p of participants) participantsByRole[p.role] = (participantsByRole[p.role] ?? 0) + 1;
    const removed: Record<string, number> = {
      caseParticipants: participants.length,
      agendaPoints: await m.agendaPoints.countDocuments(byCase),
      attendance: await m.attendance.countDocuments(byCase),
      polls: pollIds.length,
      pollAnswers: pollIds.length ? await m.pollAnswers.countDocuments({ pollId: { $in: pollIds } }) : 0,
      psiVersions: await m.psiVersions.countDocuments(byCase),
      psiDrafts: await m.psiDrafts.countDocuments({ _id: trackingId }),
      psiMessages: await m.psiMessages.countDocuments(byCase),
      psiAccess: await m.psiAccess.countDocuments(byCase),
      requesterIdentities: m.requesterIdentities ? await m.requesterIdentities.countDocuments({ _id: trackingId }) : 0,
      reminders: reminderKeys.length,
      replayedAnswers: await m.seenActivities.countDocuments(replayed),
    };
    const summary: PurgeSummary = { trackingId, removed, participantsByRole };

    // The audit entry first: it is the claim (one per case) and says when the purge began.
    try {
      await m.audit.create({
        _id: purgeAuditId(trackingId),
        at: now,
        actor: 'system',
        action: CASE_PURGED,
        subject: trackingId,
        details: { stoppedAt: stop.at.toISOString(), retentionMonths: this.retentionMonths, removed, participantsByRole },
      });
    } catch (err) {
      // Another instance (or an earlier run cut short) wrote it: finish the purge all the same.
      if (!isDuplicateKey(err)) throw err;
    }

    // Teams still shows the posted cards: replace them while their references exist (a run cut
    // short replaces them again). A failure leaves those messages as they are, never the data here.
    if (this.replacePostedCards) {
      const posted = await this.postedCards(trackingId);
      if (posted.length) await this.replacePostedCards(trackingId, c.locale, posted).catch(() => undefined);
    }

    // The PSI and the person's right-to-know log of it (who read which version).
    await m.psiVersions.deleteMany(byCase);
    await m.psiDrafts.deleteOne({ _id: trackingId });
    await m.psiMessages.deleteMany(byCase);
    await m.psiAccess.deleteMany(byCase);
    // Who took part: names, contacts, links with the person, Teams ids, attendance, agenda texts.
    await m.caseParticipants.deleteMany(byCase);
    await m.attendance.deleteMany(byCase);
    await m.agendaPoints.deleteMany(byCase);
    // Polls carry names, e-mails and comments; none of it is needed once the case is closed.
    if (pollIds.length) {
      await m.pollAnswers.deleteMany({ pollId: { $in: pollIds } });
      await m.pollNotices.deleteMany({ pollId: { $in: pollIds } });
    }
    await m.polls.deleteMany(byCase);
    // Reminders' payloads hold the meeting place and PSI action texts.
    if (reminderKeys.length) {
      await m.reminderOutcomes.deleteMany({ key: { $in: reminderKeys } });
      await m.reminderClaims.deleteMany({ key: { $in: [...reminderKeys, ...reminderKeys.map((k) => `${k}#planConcertation`)] } });
      await m.reminders.deleteMany({ key: { $in: reminderKeys } });
    }
    // The concertations keep their dates and durations (figures), not where they took place.
    await m.concertations.updateMany(byCase, { $set: { place: '', onlineLink: null } });
    // Status history: codes stay (figures: why cases stop), free text goes.
    for (const e of await m.caseStatusEvents.find(byCase).lean()) {
      const reasonJson = reasonWithoutFreeText(e.reasonJson);
      if (reasonJson !== e.reasonJson || e.note) await m.caseStatusEvents.updateOne({ trackingId, seq: e.seq }, { $set: { reasonJson, note: '' } });
    }
    // The requester: a separate identity (the person herself, a carer) goes; the sheet keeps its categories.
    await m.requesterIdentities?.deleteOne({ _id: trackingId });
    const request = await m.requests.findOne(byCase).lean();
    if (request) {
      await m.requests.updateOne(byCase, { $set: { answers: anonymisedAnswers(request.answers), requesterAadObjectId: PURGED_MARK, requesterConversationId: PURGED_MARK } });
    }
    await m.decisions.updateOne(byCase, { $set: { notes: '' } });
    await m.caseLinks.deleteMany(byCase);
    // The answers kept to replay to Teams' redeliveries (bot/dedupe.ts, two days) show the case's cards.
    if (removed.replayedAnswers) await m.seenActivities.updateMany(replayed, { $set: { invokeResponse: null } });
    // Last: marks the purge done (a run cut short before this line is finished by the next one).
    await m.cases.updateOne(byCase, { $set: { purgedAt: now, consentNote: '', conversationId: null } });
    return summary;
  }
}
