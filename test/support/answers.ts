// A complete, fictional, anonymous admissibility sheet.
import type { AdmissibilityAnswers } from '../../domain/admissibility';

export function validAnswers(over: Partial<AdmissibilityAnswers['person']> = {}): AdmissibilityAnswers {
  return {
    requestDate: '2026-11-20',
    requester: { name: 'Alex Test', organisation: 'CPAS fictif', link: 'assistante sociale', phone: '02 123 45 67', email: 'alex.test@example.org', otherContact: '' },
    person: {
      age: 72,
      livingPlace: 'home',
      communeId: 'saint-gilles',
      outsideRegion: false,
      situation: "Madame vit seule et refuse les soins infirmiers ; le CPAS s'inquiète.",
      previousConcertations: 'no',
      previousConcertationsNotes: '',
      language: 'fr',
      interpreterNeeded: false,
      ...over,
    },
    analysis: {
      impacts: { somatic: true, psychological: false, social: true },
      impactExplanation: 'Chutes à répétition et isolement.',
      networkNeedExplanation: "Les soins dépendent d'une aide sociale refusée.",
      networkProblem: { continuityOfCare: true, disconnect: false },
      networkProblemExplanation: 'Personne ne coordonne les intervenants.',
    },
    checklist: {
      targetPopulation: 'yes',
      livesInBrusselsRegion: 'yes',
      consent: 'oral',
      consentNotes: '',
      available: 'yes',
      availableNotes: '',
      network: 'yes',
      professionals: [{ role: 'médecin généraliste' }, { role: 'assistante sociale' }],
      networkNotes: '',
    },
  };
}
