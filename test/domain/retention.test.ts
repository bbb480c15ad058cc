import { anonymisedAnswers, isDueForPurge, reasonWithoutFreeText, retentionEnd, RetentionFacts } from '../../domain/retention';
import { validAnswers } from '../support/answers';
import type { CaseStatus } from '../../domain/caseStatus';

const at = (iso: string) => new Date(iso);
const facts = (status: CaseStatus, statusAt: string, purgedAt: string | null = null): RetentionFacts => ({ status, statusAt: at(statusAt), purgedAt: purgedAt ? at(purgedAt) : null });

describe('when a closed case is due for purge (stop + N months)', () => {
  // [case, facts, now, months, due]
  const TABLE: Array<[string, RetentionFacts, string, number, boolean]> = [
    // 11:00 in Brussels in January is 11:00 in Brussels in July too (09:00 UTC in summer time).
    ['stopped, period not over', facts('stopped', '2026-01-15T10:00:00Z'), '2026-07-15T08:59:59Z', 6, false],
    ['stopped, period just over', facts('stopped', '2026-01-15T10:00:00Z'), '2026-07-15T09:00:00Z', 6, true],
    ['stopped long ago', facts('stopped', '2020-03-01T08:00:00Z'), '2026-03-01T08:00:00Z', 24, true],
    ['stopped, 0 months: due at once', facts('stopped', '2026-05-01T12:00:00Z'), '2026-05-01T12:00:00Z', 0, true],
    ['stopped, 0 months, checked before the stop', facts('stopped', '2026-05-01T12:00:00Z'), '2026-05-01T11:59:59Z', 0, false],
    ['stand-by is never purged (reviewed, may go on)', facts('standBy', '2020-01-01T00:00:00Z'), '2026-01-01T00:00:00Z', 6, false],
    ['reactivated is running again', facts('reactivated', '2020-01-01T00:00:00Z'), '2026-01-01T00:00:00Z', 6, false],
    ['held', facts('held', '2020-01-01T00:00:00Z'), '2026-01-01T00:00:00Z', 0, false],
    ['in preparation', facts('inPreparation', '2020-01-01T00:00:00Z'), '2026-01-01T00:00:00Z', 0, false],
    ['already purged', facts('stopped', '2020-01-01T00:00:00Z', '2022-01-01T00:00:00Z'), '2026-01-01T00:00:00Z', 6, false],
    ['negative months is no policy', facts('stopped', '2020-01-01T00:00:00Z'), '2026-01-01T00:00:00Z', -1, false],
    ['fractional months is no policy', facts('stopped', '2020-01-01T00:00:00Z'), '2026-01-01T00:00:00Z', 1.5, false],
  ];
  it.each(TABLE)('%s', (_name, f, now, months, due) => {
    expect(isDueForPurge(f, at(now), months)).toBe(due);
  });
});

describe('end of the retention period in Brussels calendar months', () => {
  const TABLE: Array<[string, number, string]> = [
    ['2026-01-31T10:00:00Z', 1, '2026-02-28T10:00:00.000Z'], // no 31 February: last day of the month
    ['2028-01-31T10:00:00Z', 1, '2028-02-29T10:00:00.000Z'], // leap year
    ['2026-03-15T10:00:00Z', 12, '2027-03-15T10:00:00.000Z'],
    // Across the change to summer time the Brussels wall-clock hour stays (11:00 → 11:00).
    ['2026-01-15T10:00:00Z', 3, '2026-04-15T09:00:00.000Z'],
    ['2026-06-01T00:00:00Z', 0, '2026-06-01T00:00:00.000Z'],
  ];
  it.each(TABLE)('%s + %i months = %s', (stop, months, end) => {
    expect(retentionEnd(at(stop), months).toISOString()).toBe(end);
  });
});

describe('a stop reason keeps its codes, never its free text', () => {
  const TABLE: Array<[string | null, string | null]> = [
    [JSON.stringify({ code: 'success', note: 'Mme Fictif va mieux' }), '{"code":"success"}'],
    [JSON.stringify({ code: 'noLongerMeetsCriteria', subCode: 'leftBrussels', note: 'partie chez sa fille à Namur' }), '{"code":"noLongerMeetsCriteria","subCode":"leftBrussels"}'],
    [JSON.stringify({ code: 'other', text: 'décès de Mme Fictif' }), '{"code":"other","text":""}'],
    [JSON.stringify({ code: 'negativeEffects' }), '{"code":"negativeEffects"}'],
    [null, null],
    ['not json', null],
    ['"a string"', null],
    [JSON.stringify({ text: 'no code' }), null],
  ];
  it.each(TABLE)('%s → %s', (input, output) => expect(reasonWithoutFreeText(input)).toBe(output));
});

describe('the anonymous sheet after the purge', () => {
  const answers = { ...validAnswers(), requester: { name: 'Rita Fictive', organisation: 'CPAS fictif', link: 'sa fille', phone: '0470 00 00 01', email: 'rita@example.org', otherContact: 'bureau 3' } };
  const kept = anonymisedAnswers(answers);

  it.each([
    ['requester.name'], ['requester.phone'], ['requester.email'], ['requester.otherContact'], ['requester.link'],
    ['person.situation'], ['person.previousConcertationsNotes'], ['analysis.impactExplanation'], ['analysis.networkNeedExplanation'],
    ['analysis.networkProblemExplanation'], ['checklist.consentNotes'], ['checklist.availableNotes'], ['checklist.networkNotes'],
  ])('%s is emptied', (path) => {
    const value = path.split('.').reduce<any>((o, k) => o?.[k], kept);
    expect(value).toBe('');
  });

  it('keeps the categories the figures count (age, commune, living place, impacts, consent, network size, organisation)', () => {
    expect(kept.person.age).toBe(answers.person.age);
    expect(kept.person.communeId).toBe(answers.person.communeId);
    expect(kept.person.livingPlace).toBe(answers.person.livingPlace);
    expect(kept.analysis.impacts).toEqual(answers.analysis.impacts);
    expect(kept.checklist.consent).toBe(answers.checklist.consent);
    expect(kept.checklist.professionals).toHaveLength(answers.checklist.professionals.length);
    expect(kept.requester.organisation).toBe('CPAS fictif');
  });

  it('leaves the original untouched and copes with a partial sheet', () => {
    expect(answers.requester.name).toBe('Rita Fictive');
    expect(anonymisedAnswers({ person: { situation: 'Mme Fictif tombe souvent' } } as never)).toEqual({ person: { situation: '' } });
  });
});
