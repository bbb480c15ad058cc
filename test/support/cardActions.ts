// What a person can do with an Adaptive Card as Teams shows it: its buttons by title, and the values
// its inputs would send (their defaults, then what the person typed).

export interface CardButton {
  type: 'Action.Execute' | 'Action.Submit';
  title: string;
  verb?: string;
  data: Record<string, unknown>;
}

type Json = Record<string, unknown>;

function walk(node: unknown, visit: (o: Json) => void): void {
  if (Array.isArray(node)) node.forEach((n) => walk(n, visit));
  else if (node && typeof node === 'object') {
    visit(node as Json);
    Object.values(node).forEach((v) => walk(v, visit));
  }
}

/** Every Action.Execute / Action.Submit button of the card (in action sets and show-cards too). */
export function buttonsOf(card: unknown): CardButton[] {
  const found: CardButton[] = [];
  walk(card, (o) => {
    if ((o.type === 'Action.Execute' || o.type === 'Action.Submit') && typeof o.title === 'string') {
      found.push({ type: o.type, title: o.title, verb: typeof o.verb === 'string' ? o.verb : undefined, data: (o.data as Json) ?? {} });
    }
  });
  return found;
}

/** The values the card's inputs hold before the person changes anything. */
export function inputDefaults(card: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  walk(card, (o) => {
    if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string' && o.value !== undefined) values[o.id] = String(o.value);
  });
  return values;
}

/** What Teams sends when the person clicks `title` after filling `fill`: the button's data with the inputs' values. */
export function click(card: unknown, title: string, fill: Record<string, unknown> = {}): CardButton {
  const buttons = buttonsOf(card);
  const button = buttons.find((b) => b.title.trim().toLowerCase() === title.trim().toLowerCase());
  if (!button) throw new Error(`no button "${title}" on the card; its buttons: ${buttons.map((b) => `"${b.title}"`).join(', ') || 'none'}`);
  return { ...button, data: { ...button.data, ...inputDefaults(card), ...fill } };
}

/** The Adaptive Card of a reply activity or of an invoke response, if it carries one. */
export function cardIn(activity: Record<string, any> | undefined): Json | undefined {
  return activity?.attachments?.find((a: Json) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

/** The words a person reads on a card (texts, titles, choices), for drafting scenarios. */
export function cardWords(card: unknown): string {
  const words: string[] = [];
  walk(card, (o) => {
    for (const k of ['text', 'title', 'label', 'placeholder']) if (typeof o[k] === 'string') words.push(o[k] as string);
    if (typeof o.title === 'string' && typeof o.value === 'string' && !o.type) words.push(o.value); // a fact
    if (typeof o.type === 'string' && o.type.startsWith('Action.')) words.push(`[${o.title ?? ''} → ${o.verb ?? JSON.stringify(o.data ?? {})}]`);
  });
  return words.join(' | ');
}
