import ICAL from 'ical.js';
import { buildInvitation } from '../../domain/ics';
it('probe', () => {
  const ics = buildInvitation({ uid: 'u1@x', sequence: 0, method: 'REQUEST', start: new Date('2026-03-30T08:00:00Z'), end: new Date('2026-03-30T09:45:00Z'), summary: 'S', organizer: { name: 'O', email: 'o@example.org' }, attendees: [], now: new Date('2026-03-01T00:00:00Z') });
  const comp = new ICAL.Component(ICAL.parse(ics));
  const ev = comp.getFirstSubcomponent('vevent')!;
  const t = ev.getFirstPropertyValue('dtstart') as ICAL.Time;
  console.log(t.toString(), t.zone && t.zone.tzid, t.timezone, t.toJSDate().toISOString());
  const tz = new ICAL.Timezone(comp.getFirstSubcomponent('vtimezone')!);
  ICAL.TimezoneService.register(tz);
  const t2 = ev.getFirstPropertyValue('dtstart') as ICAL.Time;
  console.log(t2.toString(), t2.zone && t2.zone.tzid, t2.toJSDate().toISOString(), ICAL.TimezoneService.has('Europe/Brussels'));
  const e = new ICAL.Event(ev); console.log(e.startDate.zone?.tzid);
});
