import { AdmissibilityAnswers, personFreeTexts } from '../../domain/admissibility';
import {
  defaultRules,
  EligibilityRule,
  evaluateEligibility,
  parseEligibilityRules,
  RULE_IDS,
  Suggestion,
} from '../../domain/eligibility';
import rulesConfig from '../../config/eligibility.json';

// Fictional request, all criteria met.
function goodAnswers(): AdmissibilityAnswers {
  return {
    requestDate: '2026-03-02',
    requester: {
      name: 'Exemple Assistante',
      organisation: 'Service social fictif',
      link: 'assistante sociale',
      phone: '02 000 00 00',
      email: 'as@example.org',
      otherContact: '',
    },
    person: {
      age: 67,
      livingPlace: 'home',
      communeId: 'anderlecht',
      outsideRegion: false,
      situation: 'Vit seul au 3e étage, diabète, isolement, factures impayées.',
      previousConcertations: 'no',
      previousConcertationsNotes: '',
      language: 'fr',
      interpreterNeeded: false,
    },
    analysis: {
      impacts: { somatic: true, psychological: false, social: true },
      impactExplanation: 'Diabète mal équilibré et perte de revenus.',
      networkNeedExplanation: 'Les soins dépendent du logement et des revenus.',
      networkProblem: { continuityOfCare: true, disconnect: false },
      networkProblemExplanation: 'Sortie d’hôpital sans relais.',
    },
    checklist: {
      targetPopulation: 'yes',
      livesInBrusselsRegion: 'yes',
      consent: 'oral',
      consentNotes: '',
      available: 'yes',
      availableNotes: '',
      network: 'yes',
      professionals: [{ role: 'MG' }, { role: 'AS du CPAS' }],
      networkNotes: '',
    },
  };
}

type Patch = (a: AdmissibilityAnswers) => void;

function rulesWith(id: string, change: (r: EligibilityRule) => EligibilityRule): EligibilityRule[] {
  return defaultRules.map((r) => (r.id === id ? change(r) : r));
}
const noAgeLimit = rulesWith('age', (r) => ({ ...r, params: { minAge: null } }));

/** Codes that are not ok, with their outcome: "eligibility.age.belowMinimum=not". */
function problems(a: AdmissibilityAnswers, rules = defaultRules): string[] {
  return evaluateEligibility(a, rules)
    .reasons.filter((r) => r.outcome !== 'ok')
    .map((r) => `${r.code}=${r.outcome}`);
}

describe('evaluateEligibility with the default rules', () => {
  it.each<[string, Patch, Suggestion, string[]]>([
    ['all good', () => {}, 'likely', []],
    ['written consent', (a) => (a.checklist.consent = 'written'), 'likely', []],
    ['consent to build in phases', (a) => (a.checklist.consent = 'toBuild'), 'likely', []],
    ['interpreter needed is never a barrier', (a) => Object.assign(a.person, { language: 'other', languageOther: 'tigrinya', interpreterNeeded: true, mediatorNeeded: true }), 'likely', []],
    ['living in the street', (a) => (a.person.livingPlace = 'street'), 'likely', []],
    ['exactly 18', (a) => (a.person.age = 18), 'likely', []],
    ['three impact domains', (a) => (a.analysis.impacts.psychological = true), 'likely', []],
    // residence
    [
      'Vilvoorde (outside the region)',
      (a) => Object.assign(a.person, { communeId: null, outsideRegion: true }),
      'notAdmissible',
      ['eligibility.residence.outsideRegion=not'],
    ],
    [
      'checklist says not in the region',
      (a) => Object.assign(a, { person: { ...a.person, communeId: null }, checklist: { ...a.checklist, livesInBrusselsRegion: 'no' } }),
      'notAdmissible',
      ['eligibility.residence.outsideRegion=not'],
    ],
    ['commune unknown', (a) => (a.person.communeId = null), 'conditional', ['eligibility.residence.communeUnknown=conditional']],
    ['commune id not of the region', (a) => (a.person.communeId = 'vilvoorde'), 'conditional', ['eligibility.residence.communeUnknown=conditional']],
    [
      'commune in the region but checklist says no',
      (a) => (a.checklist.livesInBrusselsRegion = 'no'),
      'conditional',
      ['eligibility.residence.contradiction=conditional'],
    ],
    // age
    ['minor, minAge 18', (a) => (a.person.age = 16), 'notAdmissible', ['eligibility.age.belowMinimum=not']],
    ['age unknown', (a) => (a.person.age = null), 'conditional', ['eligibility.age.ageUnknown=conditional']],
    // consent
    ['consent refused', (a) => (a.checklist.consent = 'refused'), 'notAdmissible', ['eligibility.consent.refused=not']],
    // availability
    ['availability to discuss', (a) => (a.checklist.available = 'toDiscuss'), 'conditional', ['eligibility.availability.toDiscuss=conditional']],
    ['not available', (a) => (a.checklist.available = 'no'), 'conditional', ['eligibility.availability.no=conditional']],
    // network
    ['network to investigate', (a) => (a.checklist.network = 'toInvestigate'), 'conditional', ['eligibility.network.toInvestigate=conditional']],
    ['no network', (a) => Object.assign(a.checklist, { network: 'no', professionals: [] }), 'conditional', ['eligibility.network.none=conditional']],
    [
      'one professional only',
      (a) => (a.checklist.professionals = [{ role: 'MG' }]),
      'conditional',
      ['eligibility.network.tooFewProfessionals=conditional'],
    ],
    [
      'blank roles do not count',
      (a) => (a.checklist.professionals = [{ role: 'MG' }, { role: '  ' }]),
      'conditional',
      ['eligibility.network.tooFewProfessionals=conditional'],
    ],
    // complex need
    ['requester says not target population', (a) => (a.checklist.targetPopulation = 'no'), 'notAdmissible', ['eligibility.complexNeed.notTargetPopulation=not']],
    [
      'a single impact domain',
      (a) => (a.analysis.impacts = { somatic: true, psychological: false, social: false }),
      'conditional',
      ['eligibility.complexNeed.tooFewImpactDomains=conditional'],
    ],
    ['impact not explained', (a) => (a.analysis.impactExplanation = ' '), 'conditional', ['eligibility.complexNeed.missingImpactExplanation=conditional']],
    [
      'network need not explained',
      (a) => (a.analysis.networkNeedExplanation = ''),
      'conditional',
      ['eligibility.complexNeed.missingNetworkNeedExplanation=conditional'],
    ],
    // network problem
    ['disconnect instead of continuity', (a) => (a.analysis.networkProblem = { continuityOfCare: false, disconnect: true }), 'likely', []],
    [
      'no network problem ticked',
      (a) => (a.analysis.networkProblem = { continuityOfCare: false, disconnect: false }),
      'conditional',
      ['eligibility.networkProblem.none=conditional'],
    ],
    [
      'no network problem ticked: the explanation that was never asked is not mentioned',
      (a) => Object.assign(a.analysis, { networkProblem: { continuityOfCare: false, disconnect: false }, networkProblemExplanation: '' }),
      'conditional',
      ['eligibility.networkProblem.none=conditional'],
    ],
    [
      'network problem not explained',
      (a) => (a.analysis.networkProblemExplanation = ''),
      'conditional',
      ['eligibility.networkProblem.missingExplanation=conditional'],
    ],
    // combinations: the worst outcome wins, every reason is kept
    [
      'refused consent and network to investigate',
      (a) => Object.assign(a.checklist, { consent: 'refused', network: 'toInvestigate' }),
      'notAdmissible',
      ['eligibility.consent.refused=not', 'eligibility.network.toInvestigate=conditional'],
    ],
  ])('%s', (_name, patch, suggestion, expectedProblems) => {
    const a = goodAnswers();
    patch(a);
    expect(evaluateEligibility(a).suggestion).toBe(suggestion);
    expect(problems(a)).toEqual(expectedProblems);
  });

  it('explains an ok request with one ok reason per rule, with params', () => {
    const { reasons } = evaluateEligibility(goodAnswers());
    expect(reasons.map((r) => r.code)).toEqual(RULE_IDS.map((id) => `eligibility.${id}.ok`));
    expect(reasons.find((r) => r.code === 'eligibility.age.ok')).toEqual({ code: 'eligibility.age.ok', outcome: 'ok', params: { age: 67, minAge: 18 } });
    expect(reasons.find((r) => r.code === 'eligibility.residence.ok')?.params).toEqual({ communeId: 'anderlecht' });
  });

  it('gives the age and the limit to a minor', () => {
    const a = goodAnswers();
    a.person.age = 16;
    expect(evaluateEligibility(a).reasons).toContainEqual({ code: 'eligibility.age.belowMinimum', outcome: 'not', params: { age: 16, minAge: 18 } });
  });

  it('says consent to build is fine rather than staying silent', () => {
    const a = goodAnswers();
    a.checklist.consent = 'toBuild';
    expect(evaluateEligibility(a).reasons).toContainEqual({ code: 'eligibility.consent.toBuild', outcome: 'ok' });
  });
});

describe('evaluateEligibility with other rules', () => {
  it.each<[string, Patch, EligibilityRule[], Suggestion]>([
    ['minor with minAge null (2021 pilot)', (a) => (a.person.age = 9), noAgeLimit, 'likely'],
    ['unknown age with minAge null', (a) => (a.person.age = null), noAgeLimit, 'likely'],
    ['minor with the age rule disabled', (a) => (a.person.age = 9), rulesWith('age', (r) => ({ ...r, enabled: false })), 'likely'],
    ['16 with minAge 16', (a) => (a.person.age = 16), rulesWith('age', (r) => ({ ...r, params: { minAge: 16 } })), 'likely'],
    [
      'network "no" made not admissible by configuration',
      (a) => (a.checklist.network = 'no'),
      rulesWith('network', (r) => ({ ...r, outcomes: { ...r.outcomes, none: 'not' } })),
      'notAdmissible',
    ],
    [
      'consent to build made conditional by configuration',
      (a) => (a.checklist.consent = 'toBuild'),
      rulesWith('consent', (r) => ({ ...r, outcomes: { ...r.outcomes, toBuild: 'conditional' } })),
      'conditional',
    ],
    ['one impact domain enough', (a) => (a.analysis.impacts.social = false), rulesWith('complexNeed', (r) => ({ ...r, params: { minImpactDomains: 1 } })), 'likely'],
    ['no rules at all', (a) => (a.checklist.consent = 'refused'), [], 'likely'],
  ])('%s', (_name, patch, rules, suggestion) => {
    const a = goodAnswers();
    patch(a);
    expect(evaluateEligibility(a, rules).suggestion).toBe(suggestion);
  });

  it('reports noLimit when minAge is null', () => {
    expect(evaluateEligibility(goodAnswers(), noAgeLimit).reasons).toContainEqual({ code: 'eligibility.age.noLimit', outcome: 'ok' });
  });
});

describe('config/eligibility.json', () => {
  it('defines every rule once, enabled, adult age limit', () => {
    expect(defaultRules.map((r) => r.id).sort()).toEqual([...RULE_IDS].sort());
    expect(defaultRules.every((r) => r.enabled)).toBe(true);
    expect(defaultRules.find((r) => r.id === 'age')?.params).toEqual({ minAge: 18 });
  });

  it('never makes the failure of a rule silently ok except consent to build', () => {
    const okCases = defaultRules.flatMap((r) => Object.entries(r.outcomes).filter(([, o]) => o === 'ok').map(([c]) => `${r.id}.${c}`));
    expect(okCases).toEqual(['consent.toBuild']);
  });

  const base = rulesConfig as { rules: Array<Record<string, unknown>> };
  const mutate = (i: number, patch: Record<string, unknown>) => ({ rules: base.rules.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const ageIndex = base.rules.findIndex((r) => r.id === 'age');

  it.each<[string, unknown, RegExp]>([
    ['not an object', 42, /"rules" must be an array/],
    ['unknown rule id', { rules: [...base.rules, { id: 'insurance', enabled: true, params: {}, outcomes: {} }] }, /unknown rule id "insurance"/],
    ['duplicate rule', { rules: [...base.rules, base.rules[0]] }, /duplicate rule residence/],
    ['enabled not boolean', mutate(ageIndex, { enabled: 'yes' }), /enabled must be a boolean/],
    ['bad param', mutate(ageIndex, { params: { minAge: '18' } }), /param minAge must be a non-negative number or null/],
    ['unknown param', mutate(ageIndex, { params: { minAge: 18, maxAge: 65 } }), /unknown param maxAge/],
    ['missing outcome', mutate(ageIndex, { outcomes: { belowMinimum: 'not' } }), /outcome of ageUnknown/],
    ['bad outcome', mutate(ageIndex, { outcomes: { belowMinimum: 'no', ageUnknown: 'conditional' } }), /outcome of belowMinimum/],
    ['unknown case', mutate(ageIndex, { outcomes: { belowMinimum: 'not', ageUnknown: 'conditional', tooOld: 'not' } }), /unknown case tooOld/],
  ])('rejects %s', (_name, json, message) => {
    expect(() => parseEligibilityRules(json)).toThrow(message);
  });

  it('accepts minAge null', () => {
    const rules = parseEligibilityRules(mutate(ageIndex, { params: { minAge: null } }));
    expect(rules.find((r) => r.id === 'age')?.params).toEqual({ minAge: null });
  });
});

describe('personFreeTexts', () => {
  it('lists the non-empty free texts about the person, not the requester contact', () => {
    const a = goodAnswers();
    a.checklist.consentNotes = 'accord oral via l’AS';
    const paths = personFreeTexts(a).map((f) => f.path);
    expect(paths).toEqual([
      'requester.link',
      'person.situation',
      'analysis.impactExplanation',
      'analysis.networkNeedExplanation',
      'analysis.networkProblemExplanation',
      'checklist.consentNotes',
      'checklist.professionals.0.role',
      'checklist.professionals.1.role',
    ]);
  });
});
