// Every card of the request flow renders from its template into a valid 1.5 card, in each language.
import { helpCard } from '../../cards/help';
import { poolCard } from '../../cards/pool';
import { questionCard, questionProgress, requestListCard, resumeCard, summaryCard } from '../../cards/request';
import { assignmentCard, triageCard, triageWaitingCard } from '../../cards/triage';
import { evaluateEligibility } from '../../domain/eligibility';
import { FIELDS } from '../../cards/requestFields';
import { SUPPORTED_LOCALES, translator } from '../../locales/i18n';
import { validAnswers } from '../support/answers';
import { cardProblems, NO_PROBLEMS } from '../support/cards';

const answers = validAnswers();
const request = { trackingId: 'CMD-2026-0042', answers, suggestion: evaluateEligibility(answers), submittedAt: new Date('2026-11-20T10:00:00Z') };
const decision = {
  trackingId: 'CMD-2026-0042',
  status: 'yes' as const,
  organiserAadObjectId: 'a1',
  organiserName: 'Olivia Organisatrice',
  notes: 'Voisine de confiance',
  refusalReason: null,
  decidedBy: 'c1',
  decidedByName: 'Coralie Coordination',
  decidedAt: new Date('2026-11-21T09:00:00Z'),
};
const organisers = [{ aadObjectId: 'a1', displayName: 'Olivia Organisatrice', languages: ['fr', 'nl'], openCases: 2 }];

describe.each(SUPPORTED_LOCALES)('request cards in %s', (locale) => {
  it('help card', () => expect(cardProblems(helpCard(translator(locale)))).toEqual(NO_PROBLEMS));

  it.each(FIELDS.filter((f) => f.kind === 'choice' || f.kind === 'multi' || f.kind === 'commune').map((f) => [f.id, f]))('question card %s', (_id, field) => {
    const card = questionCard(field, answers as never, locale, 'une erreur');
    expect(cardProblems(card)).toEqual(NO_PROBLEMS);
    const input = (card.body as Array<Record<string, unknown>>).find((e) => e.type === 'Input.ChoiceSet')!;
    expect(input.isMultiSelect).toBe(field.kind === 'multi');
    expect((input.choices as unknown[]).length).toBe(field.kind === 'commune' ? 19 : field.values!.length);
  });

  it('summary card with every answer and the suggestion', () => {
    const card = summaryCard(answers as never, locale, evaluateEligibility(answers));
    expect(cardProblems(card)).toEqual(NO_PROBLEMS);
    expect(JSON.stringify(card)).toContain('Sint-Gillis');
  });

  it('triage card, undecided and decided', () => {
    const open = triageCard({ request, decision: null, organisers }, locale);
    expect(cardProblems(open)).toEqual(NO_PROBLEMS);
    expect((open.actions as unknown[]).length).toBe(3);
    const decided = triageCard({ request, decision, organisers: [] }, locale);
    expect(cardProblems(decided)).toEqual(NO_PROBLEMS);
    expect(decided.actions ?? []).toEqual([]);
    expect(JSON.stringify(decided)).toContain('Olivia Organisatrice');
    const refused = triageCard({ request, decision: { ...decision, status: 'no', organiserAadObjectId: null, refusalReason: 'consentDoubt', notes: '' }, organisers: [] }, locale);
    expect(cardProblems(refused)).toEqual(NO_PROBLEMS);
    expect(JSON.stringify(refused)).toContain({ fr: 'Doute quant au réel consentement', nl: 'Twijfel over de echte toestemming', en: "Doubt about the person's real consent" }[locale]);
  });

  it('triage card with an empty organiser pool, and the notice that waits for organisers, are valid cards', () => {
    const empty = triageCard({ request, decision: null, organisers: [] }, locale);
    expect(cardProblems(empty)).toEqual(NO_PROBLEMS);
    expect(JSON.stringify(empty)).not.toContain('"id":"organiser"');
    expect(cardProblems(triageWaitingCard(request, locale))).toEqual(NO_PROBLEMS);
    expect(cardProblems(triageWaitingCard(request, locale, 'une erreur'))).toEqual(NO_PROBLEMS);
  });

  it('resume card at a question and at the summary', () => {
    expect(cardProblems(resumeCard(FIELDS[2], '2026-11-20', locale))).toEqual(NO_PROBLEMS);
    expect(cardProblems(resumeCard(null, '2026-11-20', locale))).toEqual(NO_PROBLEMS);
  });

  it('"mes demandes" card, every status, with and without a draft', () => {
    const items = (['submitted', 'admitted', 'conditional', 'refused'] as const).map((status, i) => ({
      trackingId: `CMD-2026-00${40 + i}`,
      status,
      submittedAt: new Date('2026-11-20T10:00:00Z'),
      concertationAt: status === 'admitted' ? new Date('2027-01-14T09:30:00Z') : null,
    }));
    expect(cardProblems(requestListCard(items, locale, true))).toEqual(NO_PROBLEMS);
    expect(cardProblems(requestListCard(items.slice(0, 1), locale, false))).toEqual(NO_PROBLEMS);
  });

  it('assignment card', () => expect(cardProblems(assignmentCard(request, decision, locale))).toEqual(NO_PROBLEMS));

  it('the triage and assignment cards speak of the requester in the third person; the summary to the requester', () => {
    const tr = translator(locale);
    const mine = JSON.stringify(summaryCard(answers as never, locale, evaluateEligibility(answers)));
    expect(mine).toContain(tr('request.field.requester.name.label'));
    for (const card of [triageCard({ request, decision: null, organisers }, locale), assignmentCard(request, decision, locale)]) {
      const text = JSON.stringify(card);
      for (const id of ['name', 'organisation', 'link', 'phone', 'email', 'otherContact']) {
        expect(text).toContain(tr(`request.field.requester.${id}.labelOther`));
        expect(text).not.toContain(`. ${tr(`request.field.requester.${id}.label`)}"`);
      }
    }
  });

  it('the consent question names the answers it offers', () => {
    const tr = translator(locale);
    const flat = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    const prompt = flat(tr('request.field.checklist.consent.prompt'));
    for (const v of ['written', 'oral', 'toBuild', 'refused']) expect(prompt).toContain(flat(tr(`request.choice.consent.${v}`).split('|')[0]));
  });

  it('pool card', () => {
    const card = poolCard(
      {
        members: [{ aadObjectId: 'a1', displayName: 'Olivia Organisatrice', roles: ['organiser'], languages: ['fr'], sectors: [], sector: 'mentalHealth', active: true, openCases: 1 }],
        people: [{ aadObjectId: 'a1', teamsUserId: '29:a1', name: 'Olivia Organisatrice' }],
      },
      locale,
    );
    expect(cardProblems(card)).toEqual(NO_PROBLEMS);
  });
});

it.each([
  ['professional', 27],
  ['carer', 25],
  ['self', 24],
])('the question counter never moves its total once the role is known (%s: %i): follow-ups keep their main question\'s number', (role, total) => {
  const draft = { requester: { role } };
  const asked = FIELDS.filter((f) => !f.perRole || f.when!(draft));
  const progress = asked.map((f) => questionProgress(f, draft));
  expect([...new Set(progress.map((p) => p.total))]).toEqual([total]);
  progress.forEach((p, i) => {
    if (i > 0) expect(p.n).toBe(progress[i - 1].n + (p.followUp ? 0 : 1));
    expect(p.n).toBeLessThanOrEqual(p.total);
  });
});

it('detects a broken card (the validator is not a rubber stamp)', () => {
  const problems = cardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Bogus' }, { type: 'TextBlock', text: '${missing}' }] });
  expect(problems.parse.length).toBeGreaterThan(0);
  expect(problems.unresolved).toEqual(['${missing}']);
});
