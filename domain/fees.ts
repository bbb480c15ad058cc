/**
 * Flat fees per concertation (seed 001 annex 10). Amounts live in config/fees.json as integer
 * cents with validity dates, because they are set by the funder and change (indexation) without
 * a code change. Money is integer cents throughout: no floating point.
 *
 * Rules taken from the seed:
 * - The flat fees apply "per concertation meeting in the presence of the patient": person absent
 *   → no flat fee at all (code 'personAbsent', total 0).
 * - Organiser: one fee, "first" if this is the organiser's first concertation for this person.
 * - Référent réseau: one fee when present. One claim sheet per professional, so the référent
 *   claims the référent fee, not also the professional fee: `professionalsPresent` counts the
 *   care/social professionals OTHER than the organiser and the référent. Relatives are not paid.
 * - The pilot deliberately did not keep the INAMI cap of four paid participants nor the
 *   one-concertation-per-year limit (seed 001), so there is no cap here.
 */

export type FeeRole = 'organiserFirst' | 'organiserFollowing' | 'referent' | 'professional';

export interface FeeSchedule {
  id: string;
  /** Inclusive, 'YYYY-MM-DD' (concertation date in Brussels). */
  validFrom: string;
  /** Inclusive last day, or null = still valid. */
  validTo: string | null;
  unitCents: Record<FeeRole, number>;
}

export interface FeeInput {
  /** Concertation date, 'YYYY-MM-DD'. */
  date: string;
  firstForOrganiser: boolean;
  referentPresent: boolean;
  /** Care/social professionals present, excluding the organiser and the référent. */
  professionalsPresent: number;
  personPresent: boolean;
}

export interface FeeLine {
  role: FeeRole;
  count: number;
  unitCents: number;
  totalCents: number;
}

export type FeeResult =
  | { ok: true; code: 'ok'; scheduleId: string; lines: FeeLine[]; totalCents: number }
  | { ok: true; code: 'personAbsent'; scheduleId: null; lines: []; totalCents: 0 }
  | {
      ok: false;
      code: 'invalidDate' | 'invalidCount' | 'noScheduleForDate' | 'ambiguousSchedule';
      params: Record<string, string | number>;
    };

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function isValidDate(date: string): boolean {
  if (!DATE_RE.test(date)) return false;
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

/** ISO dates compare correctly as strings. */
const covers = (s: FeeSchedule, date: string): boolean =>
  s.validFrom <= date && (s.validTo === null || date <= s.validTo);

export function findSchedule(
  date: string,
  schedules: FeeSchedule[],
): { ok: true; schedule: FeeSchedule } | { ok: false; code: 'noScheduleForDate' | 'ambiguousSchedule'; ids: string[] } {
  const matching = schedules.filter((s) => covers(s, date));
  if (matching.length === 0) return { ok: false, code: 'noScheduleForDate', ids: [] };
  // Overlapping periods are a configuration error: refuse rather than guess which tariff applies.
  if (matching.length > 1) return { ok: false, code: 'ambiguousSchedule', ids: matching.map((s) => s.id) };
  return { ok: true, schedule: matching[0] };
}

export function computeFees(input: FeeInput, schedules: FeeSchedule[]): FeeResult {
  if (!isValidDate(input.date)) return { ok: false, code: 'invalidDate', params: { date: input.date } };
  const n = input.professionalsPresent;
  if (!Number.isInteger(n) || n < 0) return { ok: false, code: 'invalidCount', params: { professionalsPresent: n } };
  if (!input.personPresent) return { ok: true, code: 'personAbsent', scheduleId: null, lines: [], totalCents: 0 };

  const found = findSchedule(input.date, schedules);
  if (!found.ok) return { ok: false, code: found.code, params: { date: input.date, schedules: found.ids.join(',') } };
  const { unitCents } = found.schedule;

  const line = (role: FeeRole, count: number): FeeLine => ({
    role,
    count,
    unitCents: unitCents[role],
    totalCents: unitCents[role] * count,
  });
  const lines = [
    line(input.firstForOrganiser ? 'organiserFirst' : 'organiserFollowing', 1),
    ...(input.referentPresent ? [line('referent', 1)] : []),
    ...(n > 0 ? [line('professional', n)] : []),
  ];
  return {
    ok: true,
    code: 'ok',
    scheduleId: found.schedule.id,
    lines,
    totalCents: lines.reduce((sum, l) => sum + l.totalCents, 0),
  };
}

export type ScheduleConfigError =
  | { code: 'invalidDate'; scheduleId: string; field: 'validFrom' | 'validTo' }
  | { code: 'emptyPeriod'; scheduleId: string }
  | { code: 'invalidAmount'; scheduleId: string; role: FeeRole }
  | { code: 'overlap'; scheduleId: string; otherId: string };

const ROLES: FeeRole[] = ['organiserFirst', 'organiserFollowing', 'referent', 'professional'];

/** Check config/fees.json at start-up, so a typo in the tariff never reaches a claim. */
export function validateFeeSchedules(schedules: FeeSchedule[]): ScheduleConfigError[] {
  const errors: ScheduleConfigError[] = [];
  for (const s of schedules) {
    if (!isValidDate(s.validFrom)) errors.push({ code: 'invalidDate', scheduleId: s.id, field: 'validFrom' });
    if (s.validTo !== null && !isValidDate(s.validTo)) errors.push({ code: 'invalidDate', scheduleId: s.id, field: 'validTo' });
    if (s.validTo !== null && s.validTo < s.validFrom) errors.push({ code: 'emptyPeriod', scheduleId: s.id });
    for (const role of ROLES) {
      const v = s.unitCents?.[role];
      if (!Number.isSafeInteger(v) || v < 0) errors.push({ code: 'invalidAmount', scheduleId: s.id, role });
    }
  }
  const end = (s: FeeSchedule): string => s.validTo ?? '9999-12-31';
  schedules.forEach((a, i) =>
    schedules.slice(i + 1).forEach((b) => {
      if (a.validFrom <= end(b) && b.validFrom <= end(a)) errors.push({ code: 'overlap', scheduleId: b.id, otherId: a.id });
    }),
  );
  return errors;
}

/** "216.39" style display helper for logs/exports; i18n formatting happens elsewhere. */
export function centsToDecimalString(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
