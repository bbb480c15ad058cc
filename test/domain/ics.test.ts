// Output is checked with the real ical.js parser (its package "exports" give Jest the CJS build).
import ICAL from 'ical.js';
import { buildInvitation, escapeText, eventLocation, foldLine, IcsError, InvitationInput, quoteParam } from '../../domain/ics';

const NOW = new Date('2026-03-01T07:15:42.123Z');

const base = (over: Partial<InvitationInput> = {}): InvitationInput => ({
  uid: 'cmd-2026-0042@concertation.example.org',
  sequence: 0,
  method: 'REQUEST',
  start: new Date('2026-03-30T08:00:00Z'),
  end: new Date('2026-03-30T09:45:00Z'),
  summary: 'Concertation CMD — dossier BXL-FICT-0042',
  location: 'Domicile, rue Imaginaire 12, 1000 Bruxelles',
  description: 'Ordre du jour : objectifs, réseau; PSI',
  organizer: { name: 'Olivia Organisatrice', email: 'olivia.organisatrice@example.org' },
  attendees: [
    { name: 'Dr Anna Testarossa', email: 'anna.testarossa@example.org' },
    { name: 'Bram Voorbeeld', email: 'bram.voorbeeld@example.be', required: false },
  ],
  now: NOW,
  ...over,
});

function parse(ics: string): { cal: ICAL.Component; event: ICAL.Component } {
  const cal = new ICAL.Component(ICAL.parse(ics));
  const event = cal.getFirstSubcomponent('vevent');
  if (!event) throw new Error('no VEVENT');
  return { cal, event };
}

const rawLines = (ics: string): string[] => ics.replace(/\r\n[ \t]/g, '').split('\r\n').filter(Boolean);
/** Unfolded line of the VEVENT (the VTIMEZONE has its own DTSTART lines). */
const rawLine = (ics: string, name: string): string | undefined =>
  rawLines(ics)
    .slice(rawLines(ics).indexOf('BEGIN:VEVENT'))
    .find((l) => l.startsWith(`${name}:`) || l.startsWith(`${name};`));

describe('times: DTSTART/DTEND through the embedded VTIMEZONE equal the input instants', () => {
  beforeAll(() => {
    // Proves ical.js resolves TZID through our VTIMEZONE, not through a zone it knows itself.
    expect(ICAL.TimezoneService.has('Europe/Brussels')).toBe(false);
  });

  it.each([
    ['winter', '2026-01-15T09:00:00Z', 'DTSTART;TZID=Europe/Brussels:20260115T100000'],
    ['summer', '2026-07-01T08:00:00Z', 'DTSTART;TZID=Europe/Brussels:20260701T100000'],
    ['day before spring change', '2026-03-28T09:00:00Z', 'DTSTART;TZID=Europe/Brussels:20260328T100000'],
    ['spring change day 29 March, morning', '2026-03-29T08:00:00Z', 'DTSTART;TZID=Europe/Brussels:20260329T100000'],
    ['spring change day, first CEST minute', '2026-03-29T01:00:00Z', 'DTSTART;TZID=Europe/Brussels:20260329T030000'],
    ['spring change day, last CET minute', '2026-03-29T00:59:00Z', 'DTSTART;TZID=Europe/Brussels:20260329T015900'],
    ['day before autumn change', '2026-10-24T08:00:00Z', 'DTSTART;TZID=Europe/Brussels:20261024T100000'],
    ['autumn change day 25 October, morning', '2026-10-25T09:00:00Z', 'DTSTART;TZID=Europe/Brussels:20261025T100000'],
    ['autumn change day, 01:59 CEST (not ambiguous)', '2026-10-24T23:59:00Z', 'DTSTART;TZID=Europe/Brussels:20261025T015900'],
    // 02:xx happens twice; parsers disagree on which one a TZID time means → UTC form for both.
    ['autumn change day, first 02:30 (CEST) → UTC form', '2026-10-25T00:30:00Z', 'DTSTART:20261025T003000Z'],
    ['autumn change day, repeated 02:30 (CET) → UTC form', '2026-10-25T01:30:00Z', 'DTSTART:20261025T013000Z'],
    ['autumn change day, 03:00 CET', '2026-10-25T02:00:00Z', 'DTSTART;TZID=Europe/Brussels:20261025T030000'],
    ['RRULE in later years: 28 March 2027 (CEST)', '2027-03-28T08:00:00Z', 'DTSTART;TZID=Europe/Brussels:20270328T100000'],
    ['RRULE in later years: 27 March 2027 (CET)', '2027-03-27T09:00:00Z', 'DTSTART;TZID=Europe/Brussels:20270327T100000'],
    ['RRULE in later years: 31 October 2027 (CET)', '2027-10-31T09:00:00Z', 'DTSTART;TZID=Europe/Brussels:20271031T100000'],
  ])('%s: %s', (_label, iso, expectedLine) => {
    const start = new Date(iso);
    const end = new Date(start.getTime() + 105 * 60_000);
    const ics = buildInvitation(base({ start, end }));
    expect(rawLine(ics, 'DTSTART')).toBe(expectedLine);

    const { event } = parse(ics);
    const dtstart = event.getFirstPropertyValue('dtstart') as ICAL.Time;
    const dtend = event.getFirstPropertyValue('dtend') as ICAL.Time;
    expect(dtstart.toJSDate().toISOString()).toBe(start.toISOString());
    expect(dtend.toJSDate().toISOString()).toBe(end.toISOString());
    if (expectedLine.includes('TZID')) {
      expect(event.getFirstProperty('dtstart')?.getParameter('tzid')).toBe('Europe/Brussels');
      expect(dtstart.zone?.tzid).toBe('Europe/Brussels');
    }
  });

  it('a meeting across the spring change keeps its real length', () => {
    const ics = buildInvitation(base({ start: new Date('2026-03-29T00:30:00Z'), end: new Date('2026-03-29T01:30:00Z') }));
    expect(rawLine(ics, 'DTSTART')).toBe('DTSTART;TZID=Europe/Brussels:20260329T013000');
    expect(rawLine(ics, 'DTEND')).toBe('DTEND;TZID=Europe/Brussels:20260329T033000');
  });

  it('seconds are kept, milliseconds dropped', () => {
    const ics = buildInvitation(base({ start: new Date('2026-03-30T08:00:05.999Z') }));
    expect(rawLine(ics, 'DTSTART')).toBe('DTSTART;TZID=Europe/Brussels:20260330T100005');
  });
});

describe('calendar structure', () => {
  it('REQUEST: header, VTIMEZONE, identifiers, stamp, status', () => {
    const ics = buildInvitation(base({ sequence: 3 }));
    const { cal, event } = parse(ics);
    expect(cal.getFirstPropertyValue('version')).toBe('2.0');
    expect(cal.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(String(cal.getFirstPropertyValue('prodid'))).toMatch(/^-\/\//);
    const vtz = cal.getFirstSubcomponent('vtimezone');
    expect(vtz?.getFirstPropertyValue('tzid')).toBe('Europe/Brussels');
    const daylight = vtz?.getFirstSubcomponent('daylight');
    const standard = vtz?.getFirstSubcomponent('standard');
    const rule = (c: ICAL.Component | null | undefined) => {
      const r = c?.getFirstPropertyValue('rrule') as ICAL.Recur;
      return [r.freq, r.parts.BYMONTH, r.parts.BYDAY];
    };
    expect(rule(daylight)).toEqual(['YEARLY', [3], ['-1SU']]);
    expect(rule(standard)).toEqual(['YEARLY', [10], ['-1SU']]);
    expect(daylight?.getFirstPropertyValue('tzoffsetto')?.toString()).toBe('+02:00');
    expect(standard?.getFirstPropertyValue('tzoffsetto')?.toString()).toBe('+01:00');
    expect(rawLines(ics)).toEqual(expect.arrayContaining(['RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', 'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU']));
    expect(event.getFirstPropertyValue('uid')).toBe('cmd-2026-0042@concertation.example.org');
    expect(event.getFirstPropertyValue('sequence')).toBe(3);
    expect(rawLine(ics, 'DTSTAMP')).toBe('DTSTAMP:20260301T071542Z');
    expect((event.getFirstPropertyValue('dtstamp') as ICAL.Time).toJSDate().toISOString()).toBe('2026-03-01T07:15:42.000Z');
    expect(event.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(event.getFirstPropertyValue('summary')).toBe('Concertation CMD — dossier BXL-FICT-0042');
    expect(event.getFirstPropertyValue('location')).toBe('Domicile, rue Imaginaire 12, 1000 Bruxelles');
    const organizer = event.getFirstProperty('organizer');
    expect(organizer?.getFirstValue()).toBe('mailto:olivia.organisatrice@example.org');
    expect(organizer?.getParameter('cn')).toBe('Olivia Organisatrice');
    const attendees = event.getAllProperties('attendee');
    expect(attendees.map((a) => [a.getFirstValue(), a.getParameter('cn'), a.getParameter('role'), a.getParameter('rsvp')])).toEqual([
      ['mailto:anna.testarossa@example.org', 'Dr Anna Testarossa', 'REQ-PARTICIPANT', 'TRUE'],
      ['mailto:bram.voorbeeld@example.be', 'Bram Voorbeeld', 'OPT-PARTICIPANT', 'TRUE'],
    ]);
  });

  it('CANCEL: same UID, higher SEQUENCE, STATUS:CANCELLED, no RSVP asked', () => {
    const request = parse(buildInvitation(base({ sequence: 1 }))).event;
    const ics = buildInvitation(base({ method: 'CANCEL', sequence: 2 }));
    const { cal, event } = parse(ics);
    expect(cal.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(event.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(event.getFirstPropertyValue('uid')).toBe(request.getFirstPropertyValue('uid'));
    expect(event.getFirstPropertyValue('sequence')).toBe(2);
    expect(event.getAllProperties('attendee').map((a) => a.getParameter('rsvp'))).toEqual([undefined, undefined]);
  });

  it('is deterministic for the same input', () => {
    expect(buildInvitation(base())).toBe(buildInvitation(base()));
  });

  it.each([
    ['location', { location: undefined }, 'LOCATION'],
    ['description', { description: undefined }, 'DESCRIPTION'],
    ['empty location', { location: '' }, 'LOCATION'],
  ])('optional %s is omitted', (_label, over, name) => {
    expect(rawLine(buildInvitation(base(over)), name)).toBeUndefined();
  });

  it('uses CRLF everywhere and ends with CRLF', () => {
    const ics = buildInvitation(base({ description: 'a\nb\r\nc\rd '.repeat(30) }));
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });
});

describe('attendees', () => {
  it.each<[string, InvitationInput['attendees'], Array<[string, string]>]>([
    ['without e-mail: no ATTENDEE line', [{ name: 'La personne concernée' }, { name: 'Anna', email: 'anna@example.org' }], [['mailto:anna@example.org', 'Anna']]],
    ['blank e-mail: omitted', [{ name: 'Carer', email: '  ' }], []],
    ['implausible e-mail (injection attempt): omitted', [{ name: 'X', email: 'x@example.org\r\nATTENDEE:mailto:evil@example.org' }], []],
    ['e-mail with spaces: omitted', [{ name: 'X', email: 'x y@example.org' }], []],
    ['same e-mail twice (any case): once', [{ name: 'A', email: 'a@example.org' }, { name: 'A bis', email: 'A@Example.org' }], [['mailto:a@example.org', 'A']]],
    ['e-mail trimmed', [{ name: 'A', email: ' a@example.org ' }], [['mailto:a@example.org', 'A']]],
    [
      'CN with comma, semicolon, colon, quote, caret, accents',
      [{ name: 'Dupont, Marie; Dr: "Mimi" ^ Ünal-Çelik', email: 'm@example.org' }],
      [['mailto:m@example.org', 'Dupont, Marie; Dr: "Mimi" ^ Ünal-Çelik']],
    ],
  ])('%s', (_label, attendees, expected) => {
    const ics = buildInvitation(base({ attendees }));
    expect(ics).not.toContain('evil');
    const { event } = parse(ics);
    expect(event.getAllProperties('attendee').map((a) => [a.getFirstValue(), a.getParameter('cn')])).toEqual(expected);
  });

  it('organizer CN with special characters round-trips', () => {
    const ics = buildInvitation(base({ organizer: { name: 'Van den Test, Jan; "OCCM"', email: 'jan@example.be' } }));
    expect(parse(ics).event.getFirstProperty('organizer')?.getParameter('cn')).toBe('Van den Test, Jan; "OCCM"');
  });
});

describe('TEXT escaping', () => {
  const description =
    'Ordre du jour :\n1) Objectifs, besoins; priorités\n2) Réseau : Dr Ünal, Mme Çelik\\infirmière\n3) Prochaine étape — PSI « à jour »';

  it('description with commas, semicolons, newlines, backslash and accents round-trips', () => {
    const ics = buildInvitation(base({ description, summary: 'A, B; C\\D', location: 'Salle 1; étage 2, Anderlecht' }));
    const raw = rawLine(ics, 'DESCRIPTION');
    expect(raw).toContain('Objectifs\\, besoins\\; priorités\\n2)');
    expect(raw).toContain('Çelik\\\\infirmière');
    const { event } = parse(ics);
    expect(event.getFirstPropertyValue('description')).toBe(description);
    expect(event.getFirstPropertyValue('summary')).toBe('A, B; C\\D');
    expect(event.getFirstPropertyValue('location')).toBe('Salle 1; étage 2, Anderlecht');
  });

  it('CRLF and CR in input become \\n; control characters are dropped', () => {
    const ics = buildInvitation(base({ description: 'a\r\nb\rc\u0007d\te' }));
    expect(parse(ics).event.getFirstPropertyValue('description')).toBe('a\nb\ncd\te');
  });

  it.each([
    ['a,b', 'a\\,b'],
    ['a;b', 'a\\;b'],
    ['a\\b', 'a\\\\b'],
    ['a\nb', 'a\\nb'],
    ['a\r\nb', 'a\\nb'],
    ['\\n literal', '\\\\n literal'],
    ['é:ü', 'é:ü'],
  ])('escapeText(%j) = %j', (input, expected) => expect(escapeText(input)).toBe(expected));

  it.each([
    ['Marie', '"Marie"'],
    ['a "b"', '"a ^\'b^\'"'],
    ['x^y', '"x^^y"'],
    ['l1\nl2', '"l1^nl2"'],
  ])('quoteParam(%j) = %j', (input, expected) => expect(quoteParam(input)).toBe(expected));
});

describe('line folding at 75 octets', () => {
  const octets = (s: string): number => Buffer.byteLength(s, 'utf8');
  const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

  it.each([
    ['75 ASCII: not folded', 'a'.repeat(75), [75]],
    ['76 ASCII: 75 + (1 space + 1)', 'a'.repeat(76), [75, 2]],
    ['200 ASCII', 'a'.repeat(200), [75, 75, 52]],
    ['74 ASCII + é (2 octets) would be 76: é moves', `${'a'.repeat(74)}é`, [74, 3]],
    ['73 ASCII + é fits exactly', `${'a'.repeat(73)}é`, [75]],
    ['emoji (4 octets) never split', `${'a'.repeat(73)}🙂b`, [73, 6]],
    ['only 3-octet characters', '€'.repeat(30), [75, 16]],
  ])('%s', (_label, line, sizes) => {
    const folded = foldLine(line);
    const physical = folded.split('\r\n');
    expect(physical.map(octets)).toEqual(sizes);
    expect(physical.slice(1).every((l) => l.startsWith(' '))).toBe(true);
    expect(physical.some((l) => LONE_SURROGATE.test(l))).toBe(false);
    expect(folded.replace(/\r\n /g, '')).toBe(line);
  });

  it('every physical line of a long multilingual invitation is ≤ 75 octets and parses back', () => {
    const description = 'Bespreking van het zorgplan — réunion « PSI » 🙂 ; Ünal, Çelik, Ærø. '.repeat(12);
    const summary = 'Concertation pluridisciplinaire / multidisciplinair overleg — très longue ligne de titre '.repeat(2);
    const ics = buildInvitation(base({ description, summary }));
    const physical = ics.split('\r\n').filter(Boolean);
    expect(physical.length).toBeGreaterThan(rawLines(ics).length);
    for (const l of physical) {
      expect(octets(l)).toBeLessThanOrEqual(75);
      expect(LONE_SURROGATE.test(l)).toBe(false);
    }
    const { event } = parse(ics);
    expect(event.getFirstPropertyValue('description')).toBe(description);
    expect(event.getFirstPropertyValue('summary')).toBe(summary);
  });
});

describe('caller errors', () => {
  it.each<[string, Partial<InvitationInput>, string]>([
    ['organizer without e-mail', { organizer: { name: 'Olivia' } }, 'organizerEmailRequired'],
    ['organizer with invalid e-mail', { organizer: { name: 'Olivia', email: 'olivia' } }, 'organizerEmailRequired'],
    ['end equal to start', { end: new Date('2026-03-30T08:00:00Z') }, 'endNotAfterStart'],
    ['end before start', { end: new Date('2026-03-30T07:00:00Z') }, 'endNotAfterStart'],
    ['invalid start date', { start: new Date('nope') }, 'invalidDate'],
    ['invalid clock', { now: new Date(Number.NaN) }, 'invalidDate'],
    ['negative sequence', { sequence: -1 }, 'invalidSequence'],
    ['fractional sequence', { sequence: 1.5 }, 'invalidSequence'],
    ['empty uid', { uid: '  ' }, 'missingUid'],
  ])('%s → %s', (_label, over, code) => {
    expect(() => buildInvitation(base(over))).toThrow(IcsError);
    try {
      buildInvitation(base(over));
    } catch (e) {
      expect((e as IcsError).code).toBe(code);
    }
  });
});

describe('LOCATION: where to go, without a field label', () => {
  it.each([
    ['Au domicile de la personne', 'rue Imaginaire 12, 1000 Bruxelles', 'rue Imaginaire 12, 1000 Bruxelles'],
    ['Au domicile de la personne', '', 'Au domicile de la personne'],
    ['En ligne (réunion Teams)', ' https://meet.example.org/cmd ', 'https://meet.example.org/cmd'],
    ['In een zaal', '   ', 'In een zaal'],
  ])('%s / %j → %s', (kind, details, expected) => {
    const location = eventLocation(kind, details);
    expect(location).toBe(expected);
    expect(location).not.toMatch(/^(Lieu|Plaats|Place)\s*:/);
  });
});
