// Cases: created when the coordination admits a request, then run by the organiser (participants,
// linked Teams conversation, status with history, concertation date, agenda). Every operation
// checks the actor's rights through `authorise` (domain/permissions.ts) and writes the audit trail.
// No botbuilder here. This class is the one entry point; each concern lives in services/cases/.
import type { CaseAction, ConcertationInput, ParticipantInput } from '../domain/caseRules';
import type { StopReason } from '../domain/caseStatus';
import type { RequestDecision } from '../models/request';
import type { Clock } from './clock';
import { EventBus } from './events';
import type { MemberService } from './members';
import { AccessContext, CaseAccessService } from './cases/access';
import { AgendaService } from './cases/agenda';
import { CaseAccess, CaseModels, CaseStore } from './cases/base';
import { ConcertationService } from './cases/concertation';
import { CaseListService } from './cases/lists';
import { CaseParticipantService } from './cases/participants';
import { CaseStatusService } from './cases/status';

export type { CaseAccess, CaseErrorCode, CaseResult, CaseSummary } from './cases/base';
export { normaliseTrackingId } from './cases/base';
export type { AccessContext } from './cases/access';
export type { AgendaReader, AgendaViewer } from './cases/agenda';

export class CaseService {
  private readonly store: CaseStore;
  private readonly gate: CaseAccessService;
  private readonly statuses: CaseStatusService;
  private readonly people: CaseParticipantService;
  private readonly lists: CaseListService;
  private readonly meetings: ConcertationService;
  private readonly agenda: AgendaService;

  constructor(models: CaseModels, members: MemberService, clock: Clock, events: EventBus = new EventBus()) {
    this.store = new CaseStore(models, members, clock, events);
    this.gate = new CaseAccessService(this.store);
    this.statuses = new CaseStatusService(this.store, this.gate);
    this.people = new CaseParticipantService(this.store, this.gate);
    this.lists = new CaseListService(this.store);
    this.meetings = new ConcertationService(this.store, this.gate, this.statuses);
    this.agenda = new AgendaService(this.store, this.gate, this.meetings);
  }

  // ---- the case and who may do what (services/cases/access.ts) --------------------------------
  createFromDecision = (decision: Pick<RequestDecision, 'trackingId' | 'status' | 'organiserAadObjectId' | 'decidedBy'>) => this.gate.createFromDecision(decision);
  get = (trackingId: string) => this.gate.get(trackingId);
  access = (trackingId: string, aadObjectId: string | undefined) => this.gate.access(trackingId, aadObjectId);
  authorise = (trackingId: string, aadObjectId: string | undefined, action: CaseAction, context?: AccessContext) => this.gate.authorise(trackingId, aadObjectId, action, context);
  /** The rights of an access already read (which controls a card shows). */
  may = (access: CaseAccess, action: CaseAction) => this.gate.may(access, action);

  // ---- status (services/cases/status.ts) --------------------------------------------------------
  currentStatus = (trackingId: string) => this.store.currentStatus(trackingId);
  history = (trackingId: string) => this.statuses.history(trackingId);
  changeStatus = (trackingId: string, to: string, by: string, reason?: StopReason, note?: string) => this.statuses.changeStatus(trackingId, to, by, reason, note);

  // ---- participants and conversation (services/cases/participants.ts) -------------------------
  participants = (trackingId: string) => this.people.participants(trackingId);
  addParticipant = (trackingId: string, input: ParticipantInput & { teamsUserId?: string | null }, by: string) => this.people.addParticipant(trackingId, input, by);
  removeParticipant = (trackingId: string, key: string, by: string) => this.people.removeParticipant(trackingId, key, by);
  linkConversation = (trackingId: string, conversationId: string, by: string, locale?: string) => this.people.linkConversation(trackingId, conversationId, by, locale);
  caseForConversation = (conversationId: string) => this.people.caseForConversation(conversationId);

  // ---- lists (services/cases/lists.ts) ----------------------------------------------------------
  listFor = (aadObjectId: string) => this.lists.listFor(aadObjectId);
  listAll = () => this.lists.listAll();
  visibleTo = (aadObjectId: string) => this.lists.visibleTo(aadObjectId);

  // ---- concertation date and reminders (services/cases/concertation.ts) -----------------------
  currentConcertation = (trackingId: string) => this.store.currentConcertation(trackingId);
  openConcertation = (trackingId: string) => this.meetings.openConcertation(trackingId);
  setConcertation = (trackingId: string, input: ConcertationInput, by: string) => this.meetings.setConcertation(trackingId, input, by);
  setReminderOffsets = (trackingId: string, input: string | number[], by: string) => this.meetings.setReminderOffsets(trackingId, input, by);

  // ---- agenda and attendance (services/cases/agenda.ts) ---------------------------------------
  agendaReader = (trackingId: string, aadObjectId: string, context: AccessContext & { postingToShared?: boolean }) => this.agenda.reader(trackingId, aadObjectId, context);
  agendaViewer = (trackingId: string, aadObjectId: string) => this.agenda.viewerOf(trackingId, aadObjectId);
  agendaPoints = (trackingId: string, concertationSeq: number) => this.agenda.agendaPoints(trackingId, concertationSeq);
  addAgendaPoint = (trackingId: string, text: string, by: string) => this.agenda.addAgendaPoint(trackingId, text, by);
  removeAgendaPoint = (trackingId: string, pointId: string, by: string) => this.agenda.removeAgendaPoint(trackingId, pointId, by);
  respondAttendance = (trackingId: string, concertationSeq: number, answer: string, by: string) => this.agenda.respondAttendance(trackingId, concertationSeq, answer, by);
  attendanceOf = (trackingId: string, concertationSeq: number) => this.agenda.attendanceOf(trackingId, concertationSeq);
  recordAgendaMessage = (trackingId: string, seq: number, conversationId: string, activityId: string) => this.agenda.recordAgendaMessage(trackingId, seq, conversationId, activityId);
}
