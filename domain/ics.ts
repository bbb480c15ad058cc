/**
 * RFC 5545 / RFC 5546 (iTIP) invitation for a concertation, attached to the e-mail or Teams
 * message sent to participants outside the tenant. Pure string building; clock passed in (now).
 *
 * Decisions:
 * - Times are written as Brussels local time with TZID=Europe/Brussels and an embedded VTIMEZONE
 *   (what participants' clients show). The one exception: 02:00–02:59 on the autumn-change
 *   Sunday, which happens twice. RFC 5545 §3.3.5 says a TZID time then means the first
 *   occurrence, but parsers disagree (ical.js 2.2 takes the second), so both occurrences are
 *   written in UTC ("…Z"), which every client reads the same way.
 * - Attendees without an e-mail address (the person concerned, a carer reached by phone) get no
 *   ATTENDEE line: RFC 5545 requires a cal-address, and placeholders such as "invalid:nomail"
 *   make CalDAV servers and clients try to schedule with them. List them in the description.
 *   Same for an address that is not a plausible e-mail (never let user input build a URI).
 * - The organiser needs an e-mail: a REQUEST / CANCEL without ORGANIZER is not valid iTIP and
 *   replies could not reach anyone. Missing → IcsError('organizerEmailRequired').
 * - UID stays the same for the life of the concertation; the caller increments SEQUENCE on every
 *   change, including the CANCEL.
 */
import { DateTime } from 'luxon';
import { parseLocalDateTime } from './pollSlots';
import { BRUSSELS } from './time';

export const PRODID = '-//CMD Concertation Bruxelles//Teams bot//FR';

export type IcsErrorCode =
  | 'organizerEmailRequired'
  | 'endNotAfterStart'
  | 'invalidSequence'
  | 'missingUid'
  | 'invalidDate';

/** Thrown for caller mistakes (programming errors), never for user-facing situations. */
export class IcsError extends Error {
  constructor(public readonly code: IcsErrorCode) {
    super(code);
    this.name = 'IcsError';
  }
}

export interface IcsPerson {
  name: string;
  email?: string;
}

export interface IcsAttendee extends IcsPerson {
  /** false → ROLE=OPT-PARTICIPANT. Default: required. */
  required?: boolean;
}

export interface InvitationInput {
  uid: string;
  sequence: number;
  method: 'REQUEST' | 'CANCEL';
  /** UTC instants. */
  start: Date;
  end: Date;
  summary: string;
  description?: string;
  location?: string;
  organizer: IcsPerson;
  attendees: IcsAttendee[];
  now: Date;
}

/**
 * The LOCATION of an event: where to go, as calendars show it next to the time. The address or
 * link typed by the organiser when there is one, else the kind of place ("At the person's home");
 * never a field label ("Lieu :"), which calendars already print.
 */
export function eventLocation(kindLabel: string, details: string): string {
  return details.trim() || kindLabel.trim();
}

// EU rule (since 1996 for October): last Sunday of March 02:00 → 03:00, last Sunday of October
// 03:00 → 02:00.
const VTIMEZONE_BRUSSELS = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Brussels',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19810329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19961027T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

// Deliberately conservative: anything with spaces, quotes, ';', ':' or ',' is refused.
const EMAIL_RE = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;

// Control characters other than TAB and LF/CR are not allowed in TEXT (RFC 5545 §3.3.11).
// eslint-disable-next-line no-control-regex
const CTL_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** TEXT value escaping: \\ \; \, and line breaks as \n. */
export function escapeText(value: string): string {
  return value
    .replace(CTL_RE, '')
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** Quoted parameter value (always quoted; " ^ and newlines via RFC 6868 caret encoding). */
export function quoteParam(value: string): string {
  const encoded = value
    .replace(CTL_RE, '')
    .replace(/\^/g, '^^')
    .replace(/"/g, "^'")
    .replace(/\r\n|\r|\n/g, '^n');
  return `"${encoded}"`;
}

/**
 * Fold a content line at 75 octets (RFC 5545 §3.1): continuation lines start with one space,
 * which counts in their 75. Splits only between code points, so UTF-8 sequences stay whole.
 */
export function foldLine(line: string, limit = 75): string {
  const parts: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    const max = parts.length === 0 ? limit : limit - 1;
    if (bytes + size > max) {
      parts.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function utcStamp(d: Date): string {
  return DateTime.fromJSDate(d, { zone: 'utc' }).toFormat("yyyyMMdd'T'HHmmss'Z'");
}

/** "DTSTART;TZID=Europe/Brussels:20260330T100000", or UTC for the doubled autumn hour. */
function dateTimeProperty(name: string, instant: Date): string {
  const seconds = new Date(Math.floor(instant.getTime() / 1000) * 1000);
  const local = DateTime.fromJSDate(seconds, { zone: BRUSSELS });
  const reread = parseLocalDateTime(local.toFormat("yyyy-MM-dd'T'HH:mm:ss"));
  if (!reread.ok || reread.ambiguous || reread.utc.getTime() !== seconds.getTime()) return `${name}:${utcStamp(seconds)}`;
  return `${name};TZID=${BRUSSELS}:${local.toFormat("yyyyMMdd'T'HHmmss")}`;
}

function validEmail(email: string | undefined): string | null {
  const trimmed = email?.trim();
  return trimmed && EMAIL_RE.test(trimmed) ? trimmed : null;
}

export function buildInvitation(input: InvitationInput): string {
  if (!input.uid.trim()) throw new IcsError('missingUid');
  if (!Number.isInteger(input.sequence) || input.sequence < 0) throw new IcsError('invalidSequence');
  if ([input.start, input.end, input.now].some((d) => Number.isNaN(d.getTime()))) throw new IcsError('invalidDate');
  if (!(input.end.getTime() > input.start.getTime())) throw new IcsError('endNotAfterStart');
  const organizerEmail = validEmail(input.organizer.email);
  if (!organizerEmail) throw new IcsError('organizerEmailRequired');

  const cancel = input.method === 'CANCEL';
  const seen = new Set<string>();
  const attendeeLines: string[] = [];
  for (const a of input.attendees) {
    const email = validEmail(a.email);
    if (!email || seen.has(email.toLowerCase())) continue; // see header: no cal-address, no line
    seen.add(email.toLowerCase());
    const params = [
      `CN=${quoteParam(a.name)}`,
      'CUTYPE=INDIVIDUAL',
      `ROLE=${a.required === false ? 'OPT-PARTICIPANT' : 'REQ-PARTICIPANT'}`,
      'PARTSTAT=NEEDS-ACTION',
      ...(cancel ? [] : ['RSVP=TRUE']),
    ];
    attendeeLines.push(`ATTENDEE;${params.join(';')}:mailto:${email}`);
  }

  const lines = [
    'BEGIN:VCALENDAR',
    `PRODID:${PRODID}`,
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    `METHOD:${input.method}`,
    ...VTIMEZONE_BRUSSELS,
    'BEGIN:VEVENT',
    `UID:${escapeText(input.uid)}`,
    `SEQUENCE:${input.sequence}`,
    `DTSTAMP:${utcStamp(input.now)}`,
    dateTimeProperty('DTSTART', input.start),
    dateTimeProperty('DTEND', input.end),
    `SUMMARY:${escapeText(input.summary)}`,
    ...(input.location ? [`LOCATION:${escapeText(input.location)}`] : []),
    ...(input.description ? [`DESCRIPTION:${escapeText(input.description)}`] : []),
    `ORGANIZER;CN=${quoteParam(input.organizer.name)}:mailto:${organizerEmail}`,
    ...attendeeLines,
    `STATUS:${cancel ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map((l) => foldLine(l)).join('\r\n') + '\r\n';
}
