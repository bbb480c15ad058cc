/**
 * The sectors of intervention of the activity report (seed 001, "Résultats quantitatifs": one
 * column per sector) and the reasons a request is not included. Pure data: the words are in the
 * locale files (report.sector.<code>, triage.refusalReason.<code>).
 *
 * Decisions:
 * - A professional requester says her sector in the sheet; the person herself and a carer have
 *   none (they count in the report's total, in no sector column).
 * - Each organiser of the pool has one sector (the report counts organisers per sector); 'other'
 *   when none of the columns fits.
 * - A refusal gives one of the seed's three reasons, or 'other' (with the notes).
 */
export const SECTORS = ['precarity', 'elderly', 'mentalHealth', 'addiction', 'chronicIllness', 'medicalHouse', 'hospital', 'other'] as const;
export type Sector = (typeof SECTORS)[number];

export const isSector = (v: unknown): v is Sector => typeof v === 'string' && (SECTORS as readonly string[]).includes(v);

export const REFUSAL_REASONS = ['noNeed', 'outsideBrussels', 'consentDoubt', 'other'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export const isRefusalReason = (v: unknown): v is RefusalReason => typeof v === 'string' && (REFUSAL_REASONS as readonly string[]).includes(v);
