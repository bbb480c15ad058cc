/**
 * Eligibility PRE-SCREEN of an anonymous admissibility request. It only suggests: the coordination
 * decides Yes / Under condition / No. Rule values (enabled, params, severity of each failure case)
 * are data in config/eligibility.json; the code only knows what each rule id checks.
 *
 * Deliberately absent: interpreter/mediator needs (never a barrier) and insurance status (never a
 * condition), so no configuration can turn them into one.
 */
import rulesConfig from '../config/eligibility.json';
import { AdmissibilityAnswers } from './admissibility';
import { isBrusselsCommuneId } from './communes';

export type Outcome = 'ok' | 'conditional' | 'not';
export type Suggestion = 'likely' | 'conditional' | 'notAdmissible';
export type Params = Record<string, string | number>;

export interface EligibilityReason {
  /** i18n key: eligibility.<ruleId>.<case>, or eligibility.<ruleId>.ok */
  code: string;
  outcome: Outcome;
  params?: Params;
}

export interface EligibilityResult {
  suggestion: Suggestion;
  reasons: EligibilityReason[];
}

export interface EligibilityRule {
  id: RuleId;
  enabled: boolean;
  params: Record<string, number | null>;
  /** Severity of each failure case of the rule. */
  outcomes: Record<string, Outcome>;
  note?: string;
}

interface Failure {
  case: string;
  params?: Params;
}

interface Check {
  failures: Failure[];
  /** Code suffix when nothing failed; default 'ok'. */
  okCase?: string;
  okParams?: Params;
}

type ParamSpec = { nullable: boolean };

interface RuleSpec {
  params: Record<string, ParamSpec>;
  cases: readonly string[];
  check(a: AdmissibilityAnswers, params: Record<string, number | null>): Check;
}

const blank = (s: string | undefined) => (s ?? '').trim() === '';

const SPECS = {
  residence: {
    params: {},
    cases: ['outsideRegion', 'communeUnknown', 'contradiction'],
    check(a) {
      const inRegion = isBrusselsCommuneId(a.person.communeId);
      const saysOutside = a.person.outsideRegion || a.checklist.livesInBrusselsRegion === 'no';
      if (inRegion && saysOutside) return { failures: [{ case: 'contradiction', params: { communeId: a.person.communeId! } }] };
      if (inRegion) return { failures: [], okParams: { communeId: a.person.communeId! } };
      return { failures: [{ case: saysOutside ? 'outsideRegion' : 'communeUnknown' }] };
    },
  },
  age: {
    params: { minAge: { nullable: true } },
    cases: ['belowMinimum', 'ageUnknown'],
    check(a, { minAge }) {
      if (minAge === null) return { failures: [], okCase: 'noLimit' };
      const age = a.person.age;
      if (age === null || !Number.isFinite(age) || age < 0) return { failures: [{ case: 'ageUnknown', params: { minAge } }] };
      if (age < minAge) return { failures: [{ case: 'belowMinimum', params: { age, minAge } }] };
      return { failures: [], okParams: { age, minAge } };
    },
  },
  consent: {
    params: {},
    cases: ['refused', 'toBuild'],
    check(a) {
      const c = a.checklist.consent;
      if (c === 'refused' || c === 'toBuild') return { failures: [{ case: c }] };
      return { failures: [], okParams: { consent: c } };
    },
  },
  availability: {
    params: {},
    cases: ['toDiscuss', 'no'],
    check(a) {
      const v = a.checklist.available;
      return v === 'yes' ? { failures: [] } : { failures: [{ case: v }] };
    },
  },
  network: {
    params: { minProfessionals: { nullable: false } },
    cases: ['toInvestigate', 'tooFewProfessionals', 'none'],
    check(a, { minProfessionals }) {
      const n = a.checklist.network;
      if (n === 'toInvestigate') return { failures: [{ case: 'toInvestigate' }] };
      if (n === 'no') return { failures: [{ case: 'none' }] };
      const count = a.checklist.professionals.filter((p) => !blank(p.role)).length;
      const min = minProfessionals ?? 0;
      if (count < min) return { failures: [{ case: 'tooFewProfessionals', params: { count, minProfessionals: min } }] };
      return { failures: [], okParams: { count } };
    },
  },
  complexNeed: {
    params: { minImpactDomains: { nullable: false } },
    cases: ['notTargetPopulation', 'tooFewImpactDomains', 'missingImpactExplanation', 'missingNetworkNeedExplanation'],
    check(a, { minImpactDomains }) {
      const failures: Failure[] = [];
      if (a.checklist.targetPopulation === 'no') failures.push({ case: 'notTargetPopulation' });
      const count = Object.values(a.analysis.impacts).filter(Boolean).length;
      const min = minImpactDomains ?? 0;
      if (count < min) failures.push({ case: 'tooFewImpactDomains', params: { count, minImpactDomains: min } });
      if (blank(a.analysis.impactExplanation)) failures.push({ case: 'missingImpactExplanation' });
      if (blank(a.analysis.networkNeedExplanation)) failures.push({ case: 'missingNetworkNeedExplanation' });
      return { failures, okParams: { count } };
    },
  },
  networkProblem: {
    params: {},
    cases: ['none', 'missingExplanation'],
    check(a) {
      const failures: Failure[] = [];
      const { continuityOfCare, disconnect } = a.analysis.networkProblem;
      if (!continuityOfCare && !disconnect) failures.push({ case: 'none' });
      // The explanation is only asked when a problem is ticked: no problem, nothing to explain.
      else if (blank(a.analysis.networkProblemExplanation)) failures.push({ case: 'missingExplanation' });
      return { failures };
    },
  },
} satisfies Record<string, RuleSpec>;

export type RuleId = keyof typeof SPECS;
export const RULE_IDS = Object.keys(SPECS) as RuleId[];

const OUTCOMES: readonly Outcome[] = ['ok', 'conditional', 'not'];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates the rules file strictly and throws on any mistake: a typo in a hand-edited config must
 * stop the bot at start-up rather than silently drop a rule. Every case must have an outcome.
 */
export function parseEligibilityRules(json: unknown): EligibilityRule[] {
  const errors: string[] = [];
  const list = isObject(json) ? json.rules : undefined;
  if (!Array.isArray(list)) throw new Error('eligibility config: "rules" must be an array');
  const seen = new Set<string>();
  const rules = list.flatMap((raw, i): EligibilityRule[] => {
    const where = `rules[${i}]`;
    if (!isObject(raw) || typeof raw.id !== 'string' || !(raw.id in SPECS)) {
      errors.push(`${where}: unknown rule id ${JSON.stringify(isObject(raw) ? raw.id : raw)}`);
      return [];
    }
    const id = raw.id as RuleId;
    const spec: RuleSpec = SPECS[id];
    if (seen.has(id)) errors.push(`${where}: duplicate rule ${id}`);
    seen.add(id);
    if (typeof raw.enabled !== 'boolean') errors.push(`${where} (${id}): enabled must be a boolean`);
    const params = isObject(raw.params) ? raw.params : {};
    for (const key of Object.keys(params)) if (!(key in spec.params)) errors.push(`${where} (${id}): unknown param ${key}`);
    for (const [key, p] of Object.entries(spec.params)) {
      const v = params[key];
      const ok = (typeof v === 'number' && Number.isFinite(v) && v >= 0) || (p.nullable && v === null);
      if (!ok) errors.push(`${where} (${id}): param ${key} must be a non-negative number${p.nullable ? ' or null' : ''}`);
    }
    const outcomes = isObject(raw.outcomes) ? raw.outcomes : {};
    for (const key of Object.keys(outcomes)) if (!spec.cases.includes(key)) errors.push(`${where} (${id}): unknown case ${key}`);
    for (const c of spec.cases) {
      if (!OUTCOMES.includes(outcomes[c] as Outcome)) errors.push(`${where} (${id}): outcome of ${c} must be one of ${OUTCOMES.join('/')}`);
    }
    const note = typeof raw.note === 'string' ? raw.note : undefined;
    return [{ id, enabled: raw.enabled === true, params: params as EligibilityRule['params'], outcomes: outcomes as EligibilityRule['outcomes'], note }];
  });
  if (errors.length > 0) throw new Error(`eligibility config:\n${errors.join('\n')}`);
  return rules;
}

export const defaultRules: readonly EligibilityRule[] = parseEligibilityRules(rulesConfig);

const SEVERITY: Record<Outcome, number> = { ok: 0, conditional: 1, not: 2 };
const SUGGESTION: Record<Outcome, Suggestion> = { ok: 'likely', conditional: 'conditional', not: 'notAdmissible' };

export function evaluateEligibility(answers: AdmissibilityAnswers, rules: readonly EligibilityRule[] = defaultRules): EligibilityResult {
  const reasons: EligibilityReason[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const spec: RuleSpec = SPECS[rule.id];
    const { failures, okCase = 'ok', okParams } = spec.check(answers, rule.params);
    if (failures.length === 0) {
      reasons.push(withParams({ code: `eligibility.${rule.id}.${okCase}`, outcome: 'ok' }, okParams));
    }
    for (const f of failures) {
      // A case missing from hand-built rules is treated as the safest non-final outcome.
      const outcome = rule.outcomes[f.case] ?? 'conditional';
      reasons.push(withParams({ code: `eligibility.${rule.id}.${f.case}`, outcome }, f.params));
    }
  }
  const worst = reasons.reduce<Outcome>((w, r) => (SEVERITY[r.outcome] > SEVERITY[w] ? r.outcome : w), 'ok');
  return { suggestion: SUGGESTION[worst], reasons };
}

function withParams(reason: EligibilityReason, params: Params | undefined): EligibilityReason {
  return params ? { ...reason, params } : reason;
}
