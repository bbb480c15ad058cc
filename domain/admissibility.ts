/**
 * The anonymous admissibility sheet (fiche de recevabilité, seed 001 annex 5) as plain data.
 * Requester fields may identify the requester (Brusano calls them back); every field about the
 * person concerned must stay anonymous, see personFreeTexts().
 */
import type { Sector } from './sectors';

export type YesNo = 'yes' | 'no';
export type LivingPlace = 'home' | 'street' | 'shelter' | 'institution' | 'other';
export type ConcertationLanguage = 'fr' | 'nl' | 'en' | 'other';
export type ConsentState = 'written' | 'oral' | 'toBuild' | 'refused';
export type Availability = 'yes' | 'toDiscuss' | 'no';
export type NetworkState = 'yes' | 'no' | 'toInvestigate';

export interface AdmissibilityAnswers {
  /** ISO date (yyyy-mm-dd) of the initial request. */
  requestDate: string;
  requester: {
    name: string;
    organisation: string;
    /** A professional's sector, for the activity report; absent for the person herself, a carer, and requests stored before. */
    sector?: Sector;
    /** Link with the person concerned (GP, social worker, daughter...). */
    link: string;
    phone: string;
    email: string;
    otherContact: string;
  };
  person: {
    /** Years; null when the requester does not know. */
    age: number | null;
    livingPlace: LivingPlace;
    livingPlaceOther?: string;
    /** Slug from communes.ts, or null when unknown or outside the region. */
    communeId: string | null;
    /** The person lives outside the Brussels-Capital Region. */
    outsideRegion: boolean;
    /** Description of the situation / reason for the request. */
    situation: string;
    previousConcertations: 'yes' | 'no' | 'unknown';
    previousConcertationsNotes: string;
    language: ConcertationLanguage;
    languageOther?: string;
    interpreterNeeded: boolean;
    /** Intercultural mediator rather than (or besides) an interpreter. */
    mediatorNeeded?: boolean;
  };
  analysis: {
    impacts: { somatic: boolean; psychological: boolean; social: boolean };
    impactExplanation: string;
    /** Why the problems cannot be handled independently of each other. */
    networkNeedExplanation: string;
    networkProblem: { continuityOfCare: boolean; disconnect: boolean };
    networkProblemExplanation: string;
  };
  checklist: {
    targetPopulation: YesNo;
    /** Even with irregular status, even temporarily. */
    livesInBrusselsRegion: YesNo;
    consent: ConsentState;
    consentNotes: string;
    available: Availability;
    availableNotes: string;
    network: NetworkState;
    /** Roles only (GP, social worker...), never names: at least two when network is 'yes'. */
    professionals: Array<{ role: string }>;
    networkNotes: string;
  };
}

/** Dotted path of a free-text field, e.g. 'person.situation' or 'checklist.professionals.1.role'. */
export interface FreeTextField {
  path: string;
  text: string;
}

/** Every free-text field that talks about the person concerned: the anonymity guard runs on each. */
export function personFreeTexts(a: AdmissibilityAnswers): FreeTextField[] {
  const fields: FreeTextField[] = [
    { path: 'requester.link', text: a.requester.link },
    { path: 'person.livingPlaceOther', text: a.person.livingPlaceOther ?? '' },
    { path: 'person.situation', text: a.person.situation },
    { path: 'person.previousConcertationsNotes', text: a.person.previousConcertationsNotes },
    { path: 'person.languageOther', text: a.person.languageOther ?? '' },
    { path: 'analysis.impactExplanation', text: a.analysis.impactExplanation },
    { path: 'analysis.networkNeedExplanation', text: a.analysis.networkNeedExplanation },
    { path: 'analysis.networkProblemExplanation', text: a.analysis.networkProblemExplanation },
    { path: 'checklist.consentNotes', text: a.checklist.consentNotes },
    { path: 'checklist.availableNotes', text: a.checklist.availableNotes },
    { path: 'checklist.networkNotes', text: a.checklist.networkNotes },
    ...a.checklist.professionals.map((p, i) => ({ path: `checklist.professionals.${i}.role`, text: p.role })),
  ];
  return fields.filter((f) => f.text.trim() !== '');
}
