// The latest PSI of a case and its versions: a select chooses which version is shown, with its
// network map (a PNG fetched with the token, shown through an object URL: no address to share).
import type { MapTheme, PsiVersionView, PsiView } from './contract.js';
import { h, section, table } from './dom.js';
import { errorKey, View } from './view.js';

function textBlock(label: string, text: string): HTMLElement | null {
  return text.trim() ? h('div', { class: 'field' }, h('h4', {}, label), h('p', {}, text)) : null;
}

/** What a version changed ("sections,saveAction": the kinds of edit, domain/psi.ts PsiEdit), in words. */
function changeWords(v: View, change: string): string {
  return change
    .split(',')
    .filter(Boolean)
    .map((kind) => {
      const words = v.i.t(`psiChange.${kind}`);
      return words === `psiChange.${kind}` ? kind : words;
    })
    .join(', ');
}

function versionBody(v: View, trackingId: string, version: PsiVersionView): HTMLElement {
  const { i } = v;
  const c = version.content;
  const referent = [c.referent.name, c.referent.phone, c.referent.place].filter((s) => s.trim()).join(' · ');
  return h(
    'div',
    { class: 'psi-version', 'data-version': String(version.version) },
    h('p', { class: 'meta' }, i.t('psi.versionOption', { version: version.version, date: i.dateTime(version.savedAt), author: version.authorName }), version.change ? ` — ${i.t('psi.changes', { changes: changeWords(v, version.change) })}` : ''),
    textBlock(i.t('psi.needs'), c.needs),
    textBlock(i.t('psi.objectives'), c.objectives),
    textBlock(i.t('psi.projects'), c.projects),
    textBlock(i.t('psi.avoid'), c.avoid),
    textBlock(i.t('psi.limits'), c.limits),
    referent ? textBlock(i.t('psi.referent'), referent) : null,
    c.actions.length
      ? table(i.t('psi.actionsCaption'), [i.t('psi.what'), i.t('psi.how'), i.t('psi.byWhom'), i.t('psi.when'), i.t('psi.dueDate')], c.actions.map((a) => [a.what, a.how, a.byWhom, a.priorityWhen, a.dueDate ? i.date(a.dueDate) : '—']))
      : null,
    c.actors.length ? table(i.t('psi.actorsCaption'), [i.t('psi.name'), i.t('psi.roles')], c.actors.map((a) => [a.name, a.roles])) : null,
    c.actors.length ? mapFigure(v, trackingId, version.version) : null,
    c.next.date ? textBlock(i.t('psi.next'), i.date(c.next.date)) : null,
  );
}

/** The page's theme as the map is drawn: dark and high contrast both on a dark background. */
const mapTheme = (): MapTheme => (document.documentElement.dataset.theme === 'light' || !document.documentElement.dataset.theme ? 'light' : 'dark');

/** The network map of a version, filled in when it arrives; the previous picture's URL is freed. */
function mapFigure(v: View, trackingId: string, version: number): HTMLElement {
  const { i } = v;
  const figure = h('figure', { class: 'psi-map' }, h('figcaption', {}, i.t('psi.map')));
  v.api
    .psiMap(trackingId, mapTheme(), version)
    .then((png) => {
      const url = URL.createObjectURL(png);
      const img = h('img', { src: url, alt: i.t('psi.mapAlt', { id: trackingId, version }) });
      for (const done of ['load', 'error']) img.addEventListener(done, () => URL.revokeObjectURL(url));
      figure.append(img);
    })
    // The PSI above still reads well without its picture: the reason stays in the figure.
    .catch((err) => figure.append(h('p', {}, i.t(errorKey(err)))));
  return figure;
}

/** The PSI panel of one case, with the latest version shown and the others a select away. */
export function psiPanel(v: View, psi: PsiView, onClose: () => void): HTMLElement {
  const { i } = v;
  const id = 'psi';
  if (!psi.latest) return section(id, i.t('psi.title', { id: psi.trackingId }), h('p', {}, i.t('psi.none')));
  const body = h('div', {}, versionBody(v, psi.trackingId, psi.latest));
  const select = h('select', { id: 'psi-version' }, ...psi.versions.map((ver) => h('option', { value: String(ver.version) }, i.t('psi.versionOption', { version: ver.version, date: i.dateTime(ver.savedAt), author: ver.authorName }))));
  select.value = String(psi.latest.version);
  select.addEventListener('change', async () => {
    try {
      const chosen = await v.api.psiVersion(psi.trackingId, Number(select.value));
      body.replaceChildren(versionBody(v, psi.trackingId, chosen));
      v.say(i.t('psi.versionOption', { version: chosen.version, date: i.dateTime(chosen.savedAt), author: chosen.authorName }));
    } catch (err) {
      v.fail(err);
    }
  });
  const close = h('button', { type: 'button' }, i.t('psi.close'));
  close.addEventListener('click', onClose);
  return section(id, i.t('psi.title', { id: psi.trackingId }), h('p', {}, h('label', { for: 'psi-version' }, i.t('psi.version')), ' ', select, ' ', close), body);
}
