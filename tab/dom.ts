// A small element builder: the page is plain DOM, text is always set as text (never as HTML).
type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | boolean | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
}

/** A table with a caption and column headers (scope="col"); each row's first cell is its header (scope="row"). */
export function table(caption: string, headers: Child[], rows: Child[][], className?: string): HTMLTableElement {
  return h(
    'table',
    { class: className },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...headers.map((c) => (c instanceof HTMLTableCellElement ? c : h('th', { scope: 'col' }, c))))),
    h('tbody', {}, ...rows.map((cells) => h('tr', {}, ...cells.map((c, i) => (c instanceof HTMLTableCellElement ? c : i === 0 ? h('th', { scope: 'row' }, c) : h('td', {}, c)))))),
  );
}

/** A titled region of the page (a landmark with its heading as name). */
export function section(id: string, title: string, ...children: Child[]): HTMLElement {
  return h('section', { 'aria-labelledby': `${id}-title`, id }, h('h2', { id: `${id}-title` }, title), ...children);
}
