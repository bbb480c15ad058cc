// Brussels wall-clock time: every date the network talks about (meetings, deadlines, retention
// years) is a Brussels date, whatever the server's zone.
import { DateTime } from 'luxon';

export const BRUSSELS = 'Europe/Brussels';

/** The instant as a luxon date-time in Brussels. */
export const inBrussels = (d: Date | string): DateTime => (typeof d === 'string' ? DateTime.fromISO(d, { zone: BRUSSELS }) : DateTime.fromJSDate(d, { zone: BRUSSELS }));

/** The Brussels calendar day of an instant, "2026-03-30". */
export const brusselsDay = (d: Date): string => inBrussels(d).toISODate()!;

/** The Brussels calendar year of an instant (a request sent at 00:30 on 1 January belongs to the new year). */
export const brusselsYear = (d: Date): number => inBrussels(d).year;
