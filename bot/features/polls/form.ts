// Opening a poll: "nouveau sondage CMD-2026-0001" (or without the id in the case's linked chat)
// shows the creation form, pre-filled with the case's participants; the form creates the poll and
// posts its card.
import type { TurnContext } from 'botbuilder';
import { CreateFormValues, emptyCreateForm, pollCreateCard, validationMessages } from '../../../cards/poll';
import { inputText } from '../../../domain/input';
import { pollInviteesFromCase } from '../../../domain/pollParticipants';
import { MAX_SLOTS } from '../../../domain/pollSlots';
import { isTrackingId } from '../../../domain/trackingId';
import { PLACE_KINDS, PlaceKind, PollParticipantDoc } from '../../../models/poll';
import type { NewPollRefusal } from '../../../services/pollAccess';
import type { Command } from '../../commands';
import { readMember, readRoster, RosterMember } from '../../roster';
import type { Feature, TurnScope } from '../../routes';
import { card, isGroup, Outcome, PollContext, pollRoutes } from './context';
import type { SharedPollCard } from './sharedCard';

/** Someone on the form's member list: a Teams user of the conversation. */
type FormMember = RosterMember & { aadObjectId: string };

const REFUSAL_KEYS: Record<NewPollRefusal, string> = {
  unknownCase: 'poll.error.unknownCase',
  notAllowed: 'poll.error.notAllowed',
  caseNotAdmitted: 'poll.error.caseNotAdmitted',
  purged: 'cases.error.purged',
};

export class PollFormFeature implements Feature {
  readonly name = 'polls/form';
  readonly commands: Feature['commands'] = { newPoll: (command, scope) => this.open(command, scope) };
  /** The "plan a concertation" card's button (cards/templates/planPoll.json). */
  readonly buttons: Feature['buttons'] = { newPoll: { command: 'newPoll', arg: 'trackingId' } };
  private readonly routes = pollRoutes({
    'poll.create': (data, scope) => this.create(data, scope),
    'poll.moreSlots': (data, scope) => this.moreSlots(data, scope),
  });
  readonly verbs = this.routes.verbs;
  readonly submits = this.routes.submits;

  constructor(
    private readonly ctx: PollContext,
    private readonly shared: SharedPollCard,
  ) {}

  private async open(command: Command, scope: TurnScope): Promise<boolean> {
    const { context, tr, locale } = scope;
    let trackingId = command.arg.trim().toUpperCase();
    // In the case's linked chat the tracking id is not needed: the chat says which case it is.
    if (!trackingId && isGroup(context)) trackingId = (await this.ctx.deps.cases?.caseForConversation(context.activity.conversation.id))?.trackingId ?? '';
    if (!isTrackingId(trackingId)) {
      await context.sendActivity(tr('poll.error.usage'));
      return true;
    }
    const refusal = await this.refusal(trackingId, scope);
    if (refusal) {
      scope.log.info({ trackingId, event: 'poll.create.refused' }, 'poll creation refused');
      await context.sendActivity(refusal);
      return true;
    }
    const roster = await this.roster(context);
    const values = await this.prefilledForm(trackingId, roster);
    await context.sendActivity({ attachments: [card(pollCreateCard({ trackingId, roster, values, errors: [] }, locale))] });
    return true;
  }

  /** Why this user may not open a poll on the case, in words; null when they may. */
  private async refusal(trackingId: string, scope: TurnScope): Promise<string | null> {
    const refused = await this.ctx.deps.access.refuseNewPoll(trackingId, scope.context.activity.from.aadObjectId);
    return refused ? scope.tr(REFUSAL_KEYS[refused], { trackingId }) : null;
  }

  /** The creation form with the case's participants already in it (domain/pollParticipants.ts). */
  private async prefilledForm(trackingId: string, roster: FormMember[]): Promise<CreateFormValues> {
    const values = emptyCreateForm();
    if (!this.ctx.deps.cases) return values;
    const invitees = pollInviteesFromCase(await this.ctx.deps.cases.participants(trackingId), new Set(roster.map((m) => m.aadObjectId)));
    return {
      ...values,
      members: invitees.members.join(','),
      requiredMembers: invitees.requiredMembers.join(','),
      externalsRequired: invitees.externalsRequired.join('\n'),
      externalsOptional: invitees.externalsOptional.join('\n'),
    };
  }

  /** Teams members of a group conversation (the form's choices); none in a 1:1 chat or when Teams does not answer. */
  private async roster(context: TurnContext): Promise<FormMember[]> {
    if (!isGroup(context)) return [];
    return ((await readRoster(context)) ?? []).filter((m): m is FormMember => Boolean(m.aadObjectId));
  }

  private formValues(data: Record<string, unknown>, rowCount: number): CreateFormValues {
    const rows = Array.from({ length: rowCount }, (_, i) => ({
      date: inputText(data[`slot${i + 1}_date`], 20),
      time: inputText(data[`slot${i + 1}_time`], 20),
      duration: inputText(data[`slot${i + 1}_duration`], 20),
    }));
    return {
      rows,
      placeKind: inputText(data.placeKind, 20),
      placeDetails: inputText(data.placeDetails, 500),
      deadlineDate: inputText(data.deadline_date, 20),
      deadlineTime: inputText(data.deadline_time, 20),
      members: inputText(data.members, 50_000),
      requiredMembers: inputText(data.requiredMembers, 50_000),
      externalsRequired: inputText(data.externalsRequired, 2000),
      externalsOptional: inputText(data.externalsOptional, 2000),
    };
  }

  /** The form as typed, or the refusal when this user may not open a poll on the case. */
  private async read(data: Record<string, unknown>, scope: TurnScope): Promise<{ trackingId: string; values: CreateFormValues; roster: FormMember[] } | { text: string }> {
    const trackingId = inputText(data.trackingId, 40).toUpperCase();
    const refusal = isTrackingId(trackingId) ? await this.refusal(trackingId, scope) : scope.tr('poll.error.usage');
    if (refusal) return { text: refusal };
    const rowCount = Math.min(MAX_SLOTS, Math.max(1, Number.parseInt(inputText(data.rowCount, 10), 10) || 3));
    return { trackingId, values: this.formValues(data, rowCount), roster: await this.roster(scope.context) };
  }

  /** Three more slot rows, what was typed kept. */
  private async moreSlots(data: Record<string, unknown>, scope: TurnScope): Promise<Outcome> {
    const form = await this.read(data, scope);
    if ('text' in form) return form;
    const { trackingId, values, roster } = form;
    const more = Math.min(MAX_SLOTS, values.rows.length + 3);
    while (values.rows.length < more) values.rows.push({ date: '', time: '', duration: '105' });
    return { card: pollCreateCard({ trackingId, roster, values, errors: [] }, scope.locale) };
  }

  private async create(data: Record<string, unknown>, scope: TurnScope): Promise<Outcome> {
    const { context, tr, locale } = scope;
    const me = context.activity.from;
    const form = await this.read(data, scope);
    if ('text' in form) return form;
    const { trackingId, values, roster } = form;

    const errors: string[] = [];
    // Rows left empty are ignored; slot ids follow the filled rows (s1 = first filled row).
    const filled: Array<{ row: number; start: string; durationMinutes: number }> = [];
    values.rows.forEach((r, i) => {
      if (!r.date && !r.time) return;
      if (!r.date || !r.time) {
        errors.push(tr('poll.error.invalidSlotDate', { slot: tr('poll.create.slotLabel', { n: i + 1 }) }));
        return;
      }
      filled.push({ row: i + 1, start: `${r.date}T${r.time.slice(0, 5)}`, durationMinutes: r.duration === '' ? Number.NaN : Number(r.duration) });
    });
    if (!(PLACE_KINDS as readonly string[]).includes(values.placeKind)) errors.push(tr('poll.error.invalidPlace'));

    const byAad = new Map(roster.map((m) => [m.aadObjectId, m]));
    const split = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
    const required = new Set(split(values.requiredMembers));
    const chosen = [...new Set([...split(values.members), ...required])].filter((id) => byAad.has(id));
    const lines = (s: string) => s.split(/\r?\n/).map((x) => x.trim()).filter(Boolean);
    const external = (required: boolean) => (name: string) => ({ aadObjectId: null, teamsUserId: null, name: name.slice(0, 120), email: null, required, external: true });
    const participants: Array<Omit<PollParticipantDoc, 'key'>> = [
      ...chosen.map((id) => {
        const m = byAad.get(id)!;
        return { aadObjectId: id, teamsUserId: m.teamsUserId, name: m.name, email: m.email, required: required.has(id), external: false };
      }),
      ...lines(values.externalsRequired).map(external(true)),
      ...lines(values.externalsOptional).map(external(false)),
    ];

    const redo = (messages: string[]) => ({ card: pollCreateCard({ trackingId, roster, values, errors: messages }, locale) });
    if (errors.length) return redo(errors);

    const organiser = byAad.get(me.aadObjectId ?? '') ?? null;
    const groupId = isGroup(context) ? context.activity.conversation.id : null;
    const result = await this.ctx.deps.polls.create(
      {
        trackingId,
        conversationId: groupId,
        organiser: { aadObjectId: me.aadObjectId!, teamsUserId: me.id, name: me.name || organiser?.name || me.aadObjectId!, email: organiser?.email ?? (await this.ownEmail(context)) },
        locale,
        slots: filled.map((f) => ({ start: f.start, durationMinutes: f.durationMinutes })),
        place: { kind: values.placeKind as PlaceKind, details: values.placeDetails },
        deadline: values.deadlineDate && values.deadlineTime ? `${values.deadlineDate}T${values.deadlineTime.slice(0, 5)}` : '',
        participants,
      },
      me.aadObjectId!,
    );
    if (!result.ok) {
      const rowOf = (slotId: string) => tr('poll.create.slotLabel', { n: filled[Number(slotId.slice(1)) - 1]?.row ?? slotId });
      return redo(result.error.code === 'validation' ? validationMessages(result.error.errors, locale, rowOf) : [this.ctx.errorText(result.error, locale)]);
    }
    const poll = result.value;
    scope.log.info({ pollId: poll.pollId, trackingId, slots: poll.slots.length, participants: poll.participants.length, event: 'poll.created' }, 'poll created');
    const posted = await this.shared.post(poll, groupId);
    const state = await this.ctx.deps.polls.state(poll.pollId);
    return { card: await this.ctx.viewFor(state!, me.aadObjectId, scope, posted ? {} : { error: tr('poll.error.postFailed') }) };
  }

  /** In a 1:1 chat (no roster), the organiser's e-mail from Teams, for the invitation's ORGANIZER. */
  private async ownEmail(context: TurnContext): Promise<string | null> {
    if (isGroup(context)) return null;
    return (await readMember(context, context.activity.from.id))?.email ?? null;
  }
}
