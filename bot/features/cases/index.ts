// The case feature (bot/features/cases/caseFeature.ts) and how a refused case action is told.
export { CaseFeature } from './caseFeature';
export type { CaseFeatureDeps } from './caseFeature';
export { caseErrorText } from './errors';
