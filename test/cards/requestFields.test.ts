// parseAnswer as a table: what a requester may type (or pick on a card) for each kind of question,
// in French, Dutch and English, and what is refused with which message.
import { COMMUNES } from '../../domain/communes';
import { isGreeting, parseAnswer } from '../../dialogs/requestAnswers';
import { askedFields, Draft, fieldById, FIELDS, promptOf, pruneDraft, RequesterRole, set, toAnswers } from '../../cards/requestFields';
import type { Locale } from '../../locales/i18n';

const field = (id: string) => {
  const f = fieldById(id);
  if (!f) throw new Error(`no field ${id}`);
  return f;
};
const withPhone: Draft = { requester: { phone: '02 123 45 67' } };
const noPhone: Draft = { requester: {} };

type Row = [string, string, Locale, unknown];

describe('parseAnswer: accepted answers and the value stored', () => {
  it.each<Row>([
    // text (requester and person)
    ['requester.organisation', 'CPAS fictif de Test', 'fr', 'CPAS fictif de Test'],
    ['requester.organisation', '  Thuisverpleging Fictief  ', 'nl', 'Thuisverpleging Fictief'],
    // a professional's sector: the word, without accents, a synonym, in any language, or its number
    ['requester.sector', 'Précarité', 'fr', 'precarity'],
    ['requester.sector', 'sante mentale', 'fr', 'mentalHealth'],
    ['requester.sector', 'assuétudes', 'fr', 'addiction'],
    ['requester.sector', 'maison médicale', 'fr', 'medicalHouse'],
    ['requester.sector', 'Wijkgezondheidscentrum', 'nl', 'medicalHouse'],
    ['requester.sector', 'GGZ', 'nl', 'mentalHealth'],
    ['requester.sector', 'chronische aandoeningen', 'nl', 'chronicIllness'],
    ['requester.sector', 'ziekenhuis', 'fr', 'hospital'],
    ['requester.sector', 'elderly', 'en', 'elderly'],
    ['requester.sector', '8', 'fr', 'other'],
    ['person.situation', "Suivi par le CPAS d'Anderlecht, MG depuis 2019, 3 enfants, vit au 2e étage.", 'fr', "Suivi par le CPAS d'Anderlecht, MG depuis 2019, 3 enfants, vit au 2e étage."],
    ['person.situation', 'Mevrouw woont alleen en weigert elke hulp aan huis.', 'nl', 'Mevrouw woont alleen en weigert elke hulp aan huis.'],
    ['person.situation', 'Madame X lives alone and refuses home nursing.', 'en', 'Madame X lives alone and refuses home nursing.'],
    // an optional question skipped, in each language
    ['requester.otherContact', 'passer', 'fr', ''],
    ['requester.otherContact', 'overslaan', 'nl', ''],
    ['requester.otherContact', 'skip', 'en', ''],
    // phone
    ['requester.phone', '02 123 45 67', 'fr', '02 123 45 67'],
    ['requester.phone', '+32 470 12 34 56', 'nl', '+32 470 12 34 56'],
    ['requester.phone', '0470/12.34.56', 'en', '0470/12.34.56'],
    // e-mail (stored in lower case)
    ['requester.email', 'Alex.Test@Example.org', 'fr', 'alex.test@example.org'],
    ['requester.email', 'sam.test@example.org', 'nl', 'sam.test@example.org'],
    // age
    ['person.age', '72', 'fr', 72],
    ['person.age', '72 ans', 'fr', 72],
    ['person.age', 'environ 72', 'fr', 72],
    ['person.age', '0', 'fr', 0],
    ['person.age', '120', 'fr', 120],
    ['person.age', 'inconnu', 'fr', null],
    ['person.age', '81 jaar', 'nl', 81],
    ['person.age', 'ongeveer 80 jaar', 'nl', 80],
    ['person.age', 'onbekend', 'nl', null],
    ['person.age', '45 years old', 'en', 45],
    ['person.age', 'about 45', 'en', 45],
    ['person.age', 'unknown', 'en', null],
    // single choice: label, synonym, number, card value, any language
    ['person.livingPlace', 'À domicile', 'fr', 'home'],
    ['person.livingPlace', 'maison de repos', 'fr', 'institution'],
    ['person.livingPlace', '1', 'fr', 'home'],
    ['person.livingPlace', 'thuis', 'nl', 'home'],
    ['person.livingPlace', 'dakloos', 'nl', 'street'],
    ['person.livingPlace', 'shelter', 'en', 'shelter'],
    ['person.previousConcertations', 'je ne sais pas', 'fr', 'unknown'],
    ['person.interpreterNeeded', 'oui', 'fr', true],
    ['person.interpreterNeeded', 'nee', 'nl', false],
    ['person.interpreterNeeded', 'yes', 'en', true],
    ['checklist.consent', 'à construire', 'fr', 'toBuild'],
    ['checklist.consent', 'mondeling', 'nl', 'oral'],
    ['checklist.consent', 'toBuild', 'en', 'toBuild'],
    ['checklist.network', 'na te gaan', 'nl', 'toInvestigate'],
    // several choices
    ['analysis.impacts', 'somatique, social', 'fr', { somatic: true, psychological: false, social: true }],
    ['analysis.impacts', 'somatique et social', 'fr', { somatic: true, psychological: false, social: true }],
    ['analysis.impacts', 'somatisch en sociaal', 'nl', { somatic: true, psychological: false, social: true }],
    ['analysis.impacts', 'psychological and social', 'en', { somatic: false, psychological: true, social: true }],
    ['analysis.impacts', 'somatic,psychological', 'en', { somatic: true, psychological: true, social: false }],
    ['analysis.networkProblem', 'aucun', 'fr', { continuityOfCare: false, disconnect: false }],
    ['analysis.networkProblem', 'geen', 'nl', { continuityOfCare: false, disconnect: false }],
    ['analysis.networkProblem', '', 'fr', { continuityOfCare: false, disconnect: false }], // a card with nothing ticked
    ["analysis.networkProblem", "Décalage entre les priorités de la personne et l'accompagnement actuel", 'fr', { continuityOfCare: false, disconnect: true }],
    ['analysis.networkProblem', 'continuité des soins', 'fr', { continuityOfCare: true, disconnect: false }],
    // commune: FR or NL name, postcode, card value
    ['person.communeId', 'Schaerbeek', 'fr', 'schaerbeek'],
    ['person.communeId', 'Schaarbeek', 'nl', 'schaerbeek'],
    ['person.communeId', '1030', 'en', 'schaerbeek'],
    ['person.communeId', 'Sint-Gillis', 'nl', 'saint-gilles'],
    ['person.communeId', 'woluwe-saint-pierre', 'fr', 'woluwe-saint-pierre'],
    // roles: split on commas, and on "et" / "en" / "and" in the requester's language only
    ['checklist.professionals', 'médecin généraliste, assistante sociale', 'fr', [{ role: 'médecin généraliste' }, { role: 'assistante sociale' }]],
    ['checklist.professionals', 'infirmière en psychiatrie et médecin généraliste', 'fr', [{ role: 'infirmière en psychiatrie' }, { role: 'médecin généraliste' }]],
    ['checklist.professionals', 'huisarts en thuisverpleegkundige', 'nl', [{ role: 'huisarts' }, { role: 'thuisverpleegkundige' }]],
    ['checklist.professionals', 'GP and social worker', 'en', [{ role: 'GP' }, { role: 'social worker' }]],
  ])('%s ← %j (%s)', (id, raw, locale, expected) => {
    const result = parseAnswer(field(id), raw, withPhone, locale);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.patch[0]).toEqual([id, expected]);
  });

  it.each(COMMUNES.map((c) => [c.id]))('the commune picker value %s is accepted as such', (id) => {
    const result = parseAnswer(field('person.communeId'), id, {}, 'fr');
    expect(result).toEqual({ ok: true, patch: [['person.communeId', id], ['person.outsideRegion', false]] });
  });

  it.each<[string, Locale]>([
    ['Vilvoorde', 'fr'],
    ['1800', 'nl'],
    ['Zaventem', 'en'],
  ])('a place outside the region (%s) is kept as "outside" with a notice', (raw, locale) => {
    const result = parseAnswer(field('person.communeId'), raw, {}, locale);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.patch).toEqual([['person.communeId', null], ['person.outsideRegion', true]]);
      expect(result.notice?.key).toBe('request.communeOutside');
    }
  });
});

describe('parseAnswer: refused answers and the message', () => {
  it.each<[string, string, Locale, string, Draft?]>([
    // nothing / a skip where an answer is required
    ['requester.organisation', '   ', 'fr', 'request.error.required'],
    ['requester.sector', 'cardiologie', 'fr', 'request.error.choice'],
    ['requester.sector', 'passer', 'fr', 'request.error.notSkippable'],
    ['person.situation', 'passer', 'fr', 'request.error.notSkippable'],
    ['person.situation', 'overslaan', 'nl', 'request.error.notSkippable'],
    ['person.age', 'skip', 'en', 'request.error.notSkippable'],
    ['requester.email', 'passer', 'fr', 'request.error.notSkippable', noPhone], // no phone: the e-mail is needed
    // text length
    ['person.situation', 'Isolée.', 'fr', 'request.error.tooShort'],
    ['person.situation', 'x'.repeat(2001), 'nl', 'request.error.tooLong'],
    // phone
    ['requester.phone', '12 34', 'fr', 'request.error.phone'],
    ['requester.phone', 'bel mij', 'nl', 'request.error.phone'],
    ['requester.phone', '+32 2 123', 'en', 'request.error.phone'],
    // e-mail
    ['requester.email', 'alex.test@example', 'fr', 'request.error.email'],
    ['requester.email', 'sam.test at example.org', 'nl', 'request.error.email'],
    ['requester.email', '@example.org', 'en', 'request.error.email'],
    // age
    ['person.age', 'septante-deux', 'fr', 'request.error.age'],
    ['person.age', '1952', 'fr', 'request.error.ageLooksLikeYear'],
    ['person.age', '142', 'fr', 'request.error.age'],
    ['person.age', '1943', 'nl', 'request.error.ageLooksLikeYear'],
    ['person.age', 'tachtig', 'nl', 'request.error.age'],
    ['person.age', '-5', 'en', 'request.error.age'],
    ['person.age', '72.5', 'en', 'request.error.age'],
    // choices
    ['person.previousConcertations', 'peut-être', 'fr', 'request.error.choice'],
    ['person.livingPlace', '9', 'fr', 'request.error.choice'],
    ['checklist.consent', 'misschien', 'nl', 'request.error.choice'],
    ['person.language', 'klingon', 'en', 'request.error.choice'],
    // several choices
    ['analysis.impacts', 'somatique, financier', 'fr', 'request.error.multi'],
    ['analysis.impacts', 'financieel', 'nl', 'request.error.multi'],
    ['analysis.impacts', '', 'en', 'request.error.multiMin'], // a card with nothing ticked
    ['analysis.impacts', 'aucun', 'fr', 'request.error.notSkippable'],
    // commune
    ['person.communeId', 'Atlantis', 'fr', 'request.error.communeUnknown'],
    ['person.communeId', 'Woluwe', 'fr', 'request.error.communeAmbiguous'],
    ['person.communeId', 'Woluwe', 'nl', 'request.error.communeAmbiguous'],
    // roles
    ['checklist.professionals', 'médecin généraliste', 'fr', 'request.error.rolesTooFew'],
    ['checklist.professionals', 'huisarts', 'nl', 'request.error.rolesTooFew'],
    ['checklist.professionals', 'GP', 'en', 'request.error.rolesTooFew'],
  ])('%s ← %j (%s) is refused: %s', (id, raw, locale, error, draft = withPhone) => {
    const result = parseAnswer(field(id), raw, draft, locale);
    expect(result).toMatchObject({ ok: false, error });
  });

  it('an ambiguous commune lists the candidates', () => {
    expect(parseAnswer(field('person.communeId'), 'Woluwe', {}, 'fr')).toMatchObject({
      ok: false,
      params: { candidates: 'Woluwe-Saint-Lambert / Sint-Lambrechts-Woluwe / Woluwe-Saint-Pierre / Sint-Pieters-Woluwe' },
    });
  });
});

describe('parseAnswer: the anonymity guard on every question about the person', () => {
  const aboutThePerson = FIELDS.filter((f) => f.anonymous && f.kind === 'text').map((f) => f.id);

  it.each<[string, string, string]>([
    ['niss', 'fr', 'La personne (NISS 85.07.30-033.28) refuse les soins.'],
    ['phone', 'fr', "Sa fille demande qu'on l'appelle au 0470 12 34 56."],
    ['email', 'nl', 'De dochter mailt naar dochter.test@example.org voor afspraken.'],
    ['iban', 'en', 'Bills are paid from account BE68 5390 0754 7034 by a neighbour.'],
    ['birthDate', 'fr', 'Personne née le 12/03/1948, vit seule.'],
    ['streetAddress', 'nl', 'Woont alleen in de Wetstraat 16 en weigert hulp.'],
    ['personalName', 'fr', 'Monsieur Alex Testaert vit seul et refuse toute aide.'],
    ['personalName', 'nl', 'Mevrouw Testaert woont alleen en weigert elke hulp.'],
    ['personalName', 'en', 'The patient Alex Testaert lives alone and refuses help.'],
  ])('%s (%s) is refused in each of them', (kind, locale, text) => {
    for (const id of aboutThePerson) {
      expect(parseAnswer(field(id), text, {}, locale as Locale)).toEqual({ ok: false, error: `anonymity.${kind}`, params: { word: expect.any(Number), words: text.split(/\s+/).length } });
    }
  });

  it("the requester's own contact fields are not checked", () => {
    expect(parseAnswer(field('requester.otherContact'), 'secrétariat 02 123 45 67, alex.test@example.org', {}, 'fr').ok).toBe(true);
  });

  it('the roles of the professionals are checked too', () => {
    // The refusal says where (word 2 of 4: "Testaert"), never what.
    expect(parseAnswer(field('checklist.professionals'), 'Dr Testaert, assistante sociale', {}, 'fr')).toEqual({ ok: false, error: 'anonymity.personalName', params: { word: 2, words: 4 } });
  });
});

describe('isGreeting: someone coming back, not an answer', () => {
  it.each([
    ['Bonjour', true],
    ['bonjour !', true],
    ['Bonjour, je reviens pour ma demande', true],
    ['Salut', true],
    ['Hallo', true],
    ['hallo!', true],
    ['Goedemorgen', true],
    ['Hello', true],
    ['Good morning', true],
    ['merci', true],
    ['assistante sociale', false],
    ['dag en nacht zorg nodig voor de persoon', false],
    ['Bonjour, la personne vit seule depuis le décès de son mari, refuse les soins et le CPAS s’inquiète de sa perte d’autonomie.', false],
    ['CPAS fictif de Test', false],
    ['72', false],
    ['', false],
  ])('%s → %s', (text, expected) => expect(isGreeting(text)).toBe(expected));
});

describe('who is asking: the first question, and what it changes', () => {
  it.each<[string, Locale, string]>([
    ['professionnel', 'fr', 'professional'],
    ['Un ou une professionnel(le) social-santé', 'fr', 'professional'],
    ['un proche', 'fr', 'carer'],
    ['aidante', 'fr', 'carer'],
    ['moi-même', 'fr', 'self'],
    ['la personne elle-même', 'fr', 'self'],
    ['zorgverlener', 'nl', 'professional'],
    ['mantelzorger', 'nl', 'carer'],
    ['de persoon zelf', 'nl', 'self'],
    ['professional', 'en', 'professional'],
    ['relative', 'en', 'carer'],
    ['myself', 'en', 'self'],
    ['3', 'fr', 'self'],
  ])('"%s" (%s) → %s', (typed, locale, role) => {
    expect(parseAnswer(field('requester.role'), typed, {}, locale)).toEqual({ ok: true, patch: [['requester.role', role]] });
  });

  it('refuses anything else, and is not skippable', () => {
    expect(parseAnswer(field('requester.role'), 'CPAS fictif de Test', {}, 'fr')).toMatchObject({ ok: false, error: 'request.error.choice' });
    expect(parseAnswer(field('requester.role'), 'passer', {}, 'fr')).toMatchObject({ ok: false, error: 'request.error.notSkippable' });
  });

  it.each<[RequesterRole, string[]]>([
    ['professional', ['requester.role', 'requester.name', 'requester.organisation', 'requester.sector', 'requester.link', 'requester.phone', 'requester.email', 'requester.otherContact']],
    ['carer', ['requester.role', 'requester.name', 'requester.link', 'requester.phone', 'requester.email', 'requester.otherContact']],
    ['self', ['requester.role', 'requester.name', 'requester.phone', 'requester.email', 'requester.otherContact']],
  ])('a %s is asked %j', (role, ids) => {
    expect(askedFields({ requester: { role } }).filter((f) => f.group === 'requester').map((f) => f.id)).toEqual(ids);
  });

  it('becoming the person herself from the summary drops the organisation and the link given as a professional', () => {
    const pro = { requester: { role: 'professional', name: 'Alex Test', organisation: 'CPAS fictif', link: 'assistante sociale', phone: '02 123 45 67' } };
    expect(pruneDraft(set(pro, 'requester.role', 'self')).requester).toEqual({ role: 'self', name: 'Alex Test', phone: '02 123 45 67' });
  });

  it('keeps the sector of a professional in the answers, and none for the person herself or a carer', () => {
    const sheet = (role: RequesterRole) => pruneDraft({ requester: { role, name: 'Alex Test', organisation: 'CPAS fictif', sector: 'elderly', link: 'assistante sociale' } });
    expect(toAnswers(sheet('professional')).requester.sector).toBe('elderly');
    expect('sector' in toAnswers(sheet('carer')).requester).toBe(false);
    expect('sector' in toAnswers(sheet('self')).requester).toBe(false);
  });

  it("a carer's link is guarded like any text about the person", () => {
    expect(parseAnswer(field('requester.link'), 'sa fille, joignable au 0472 55 66 77', { requester: { role: 'carer' } }, 'fr')).toMatchObject({ ok: false, error: 'anonymity.phone' });
  });

  it.each<[RequesterRole, Locale, RegExp]>([
    ['professional', 'fr', /la coordination peut-elle vous joindre/],
    ['self', 'fr', /l'organisateur désigné/],
    ['carer', 'nl', /aangewezen organisator/],
    ['self', 'en', /assigned organiser/],
  ])('the phone question for a %s (%s) says who will call', (role, locale, words) => {
    expect(promptOf(locale, field('requester.phone'), { requester: { role } })).toMatch(words);
  });
});
