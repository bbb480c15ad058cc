// Who is in a case: its participants (Teams users or people outside Teams, removed but never
// deleted) and the Teams conversation linked to it ("lier dossier").
import { randomUUID } from 'node:crypto';
import { ParticipantInput, validateParticipant } from '../../domain/caseRules';
import type { Case } from '../../models/case';
import type { CaseParticipant } from '../../models/caseParticipant';
import { isDuplicateKey } from '../../models/db';
import type { CaseAccessService } from './access';
import type { CaseResult, CaseStore } from './base';

export class CaseParticipantService {
  constructor(
    private readonly store: CaseStore,
    private readonly gate: CaseAccessService,
  ) {}

  participants(trackingId: string) {
    return this.store.models.caseParticipants.find({ trackingId, removed: false }).sort({ addedAt: 1 }).lean();
  }

  async addParticipant(trackingId: string, input: ParticipantInput & { teamsUserId?: string | null }, by: string): Promise<CaseResult<CaseParticipant>> {
    const { models, clock, events } = this.store;
    const auth = await this.gate.authorise(trackingId, by, 'manageParticipants');
    if (!auth.ok) return auth;
    const checked = validateParticipant(input);
    if (!checked.ok) return { ok: false, code: `participant.${checked.code}` };
    const id = auth.value.case.trackingId;
    const aad = typeof input.aadObjectId === 'string' && input.aadObjectId.trim() ? input.aadObjectId.trim() : null;
    const doc: CaseParticipant = {
      trackingId: id,
      key: aad ? `aad:${aad}` : `ext:${randomUUID()}`,
      role: checked.role,
      profile: checked.profile,
      aadObjectId: aad,
      teamsUserId: aad ? input.teamsUserId ?? null : null,
      displayName: input.displayName.trim(),
      contact: (input.contact ?? '').trim().slice(0, 500),
      relation: (input.relation ?? '').trim().slice(0, 120),
      addedBy: by,
      addedAt: clock.now(),
      removed: false,
      removedBy: null,
      removedAt: null,
    };
    try {
      await models.caseParticipants.create(doc);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await models.caseParticipants.findOne({ trackingId: id, key: doc.key }).lean();
      if (existing && !existing.removed) return { ok: false, code: 'alreadyParticipant' };
      // Re-adding someone removed earlier: bring the same record back with the new role.
      const { trackingId: _t, key: _k, ...rest } = doc;
      await models.caseParticipants.updateOne({ trackingId: id, key: doc.key }, { $set: rest });
    }
    await this.store.audit(by, 'case.participantAdded', id, { key: doc.key, role: doc.role, profile: doc.profile });
    await events.emit('case.participantAdded', { trackingId: id, participant: doc, by });
    await this.store.agendaChanged(id);
    return { ok: true, value: doc };
  }

  async removeParticipant(trackingId: string, key: string, by: string): Promise<CaseResult<CaseParticipant>> {
    const { models, clock, events } = this.store;
    const auth = await this.gate.authorise(trackingId, by, 'manageParticipants');
    if (!auth.ok) return auth;
    const id = auth.value.case.trackingId;
    const p = await models.caseParticipants.findOne({ trackingId: id, key, removed: false }).lean();
    if (!p || p.role === 'organiser') return { ok: false, code: 'unknownParticipant' };
    await models.caseParticipants.updateOne({ trackingId: id, key }, { $set: { removed: true, removedBy: by, removedAt: clock.now() } });
    await this.store.audit(by, 'case.participantRemoved', id, { key, role: p.role });
    await events.emit('case.participantRemoved', { trackingId: id, participant: p, by });
    await this.store.agendaChanged(id);
    return { ok: true, value: p };
  }

  async linkConversation(trackingId: string, conversationId: string, by: string, locale = 'fr'): Promise<CaseResult<Case>> {
    const { models, clock } = this.store;
    const auth = await this.gate.authorise(trackingId, by, 'linkConversation');
    if (!auth.ok) return auth;
    const c = auth.value.case;
    try {
      await models.caseLinks.create({ conversationId, trackingId: c.trackingId, linkedBy: by, linkedAt: clock.now() });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const link = await models.caseLinks.findOne({ conversationId }).lean();
      if (link && link.trackingId !== c.trackingId) return { ok: false, code: 'alreadyLinkedElsewhere', params: { trackingId: link.trackingId } };
    }
    // A case has one conversation: linking a new one moves it (the old link is released).
    if (c.conversationId && c.conversationId !== conversationId) await models.caseLinks.deleteOne({ conversationId: c.conversationId, trackingId: c.trackingId });
    await models.cases.updateOne({ trackingId: c.trackingId }, { $set: { conversationId, locale } });
    await this.store.audit(by, 'case.conversationLinked', c.trackingId, { conversationId });
    await this.store.agendaChanged(c.trackingId);
    return { ok: true, value: { ...c, conversationId, locale } };
  }

  async caseForConversation(conversationId: string): Promise<Case | null> {
    const { models } = this.store;
    const link = await models.caseLinks.findOne({ conversationId }).lean();
    return link ? models.cases.findOne({ trackingId: link.trackingId }).lean() : null;
  }
}
