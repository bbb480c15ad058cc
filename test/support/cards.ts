// Validates a rendered card with the Adaptive Cards SDK (schema 1.5) and Teams' practical limits.
import * as AC from 'adaptivecards';
import { cardBytes, MAX_CARD_BYTES } from '../../cards/render';

export interface CardProblems {
  parse: string[];
  validation: string[];
  unresolved: string[];
  tooBig: boolean;
}

export function cardProblems(json: object): CardProblems {
  const card = new AC.AdaptiveCard();
  const ctx = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(json, ctx);
  const parse = Array.from({ length: ctx.eventCount }, (_, i) => ctx.getEventAt(i).message);
  const results = card.validateProperties();
  const validation = results.validationEvents.map((e) => e.message);
  const unresolved = JSON.stringify(json).match(/\$\{[^}]*\}/g) ?? [];
  return { parse, validation, unresolved, tooBig: cardBytes(json) > MAX_CARD_BYTES };
}

/** Use as expect(cardProblems(card)).toEqual(NO_PROBLEMS). */
export const NO_PROBLEMS: CardProblems = { parse: [], validation: [], unresolved: [], tooBig: false };
