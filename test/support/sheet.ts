// Fills the whole admissibility sheet through the real endpoint, as a requester would type it.
import { post, teamsMessage } from './app';

export const STANDARD_ANSWERS: ReadonlyArray<string | Record<string, unknown>> = [
  'nouvelle demande',
  'professionnel',
  'CPAS fictif de Test',
  'précarité',
  'assistante sociale',
  '02 123 45 67',
  'passer',
  '72',
  'à domicile',
  'Saint-Gilles',
  "Madame vit seule, refuse les soins infirmiers et le CPAS s'inquiète de sa perte d'autonomie.",
  'non',
  'français',
  'non',
  'somatique, social',
  'Chutes à répétition, isolement, factures impayées.',
  "Les soins à domicile dépendent d'une aide sociale que la personne refuse.",
  'continuité des soins',
  "Personne ne coordonne le médecin, l'infirmière et le CPAS.",
  'oui',
  'oui',
  'oral',
  'passer',
  'oui',
  'passer',
  'oui',
  'médecin généraliste, assistante sociale, infirmière à domicile',
  'passer',
  'envoyer',
];

export interface Requester {
  from: { id: string; aadObjectId: string; name: string };
  conversation: { id: string; conversationType: string; tenantId?: string };
  serviceUrl: string;
  locale?: string;
}

/** Returns the tracking id the bot confirmed. */
export async function submitStandardRequest(url: string, who: Requester, answers: ReadonlyArray<string | Record<string, unknown>> = STANDARD_ANSWERS): Promise<string> {
  let last: Array<Record<string, any>> = [];
  for (const a of answers) {
    const activity = teamsMessage(typeof a === 'string' ? a : undefined, {
      from: who.from,
      conversation: who.conversation,
      serviceUrl: who.serviceUrl,
      locale: who.locale ?? 'fr-BE',
      ...(typeof a === 'string' ? {} : { value: a }),
    });
    const res = await post(url, activity);
    if (res.status !== 200) throw new Error(`HTTP ${res.status} after "${JSON.stringify(a)}"`);
    last = res.body.activities ?? [];
  }
  const text = last.map((x) => x.text ?? '').join(' ');
  const id = /CMD-\d{4}-\d{4,}/.exec(text)?.[0];
  if (!id) throw new Error(`no tracking id in the last replies: ${text.slice(0, 500)}`);
  return id;
}
