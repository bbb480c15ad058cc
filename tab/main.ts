// The dashboard tab: joins Teams (teams-js), takes the language and theme from the Teams context,
// then shows the person's views with data fetched with their Teams SSO token. Outside Teams it says
// so, in the three languages, and fetches nothing.
import { TabApi } from './api.js';
import type { TabLocale } from './contract.js';
import { coordinationView } from './coordination.js';
import { h } from './dom.js';
import { i18n, LOCALES, loadStrings, localeOf, Strings } from './i18n.js';
import { organiserView } from './organiser.js';
import { connectToTeams, notifyLoaded, Theme } from './teams.js';
import { errorKey, View } from './view.js';

const main = document.getElementById('main') as HTMLElement;
const status = document.getElementById('status') as HTMLElement;
const title = document.getElementById('title') as HTMLElement;

function setState(state: 'loading' | 'ready' | 'outside' | 'error'): void {
  document.body.dataset.state = state;
}

function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}

async function start(): Promise<void> {
  setState('loading');
  const all = await Promise.all(LOCALES.map(async (l) => [l, await loadStrings(l)] as const));
  const strings = Object.fromEntries(all) as Record<TabLocale, Strings>;
  const host = await connectToTeams();
  if (!host) {
    // Nothing says which language the reader prefers: the message in all three.
    title.textContent = LOCALES.map((l) => strings[l].title).join(' · ');
    main.replaceChildren(...LOCALES.map((l) => h('p', { lang: l, class: 'outside' }, strings[l].outsideTeams)));
    setState('outside');
    return;
  }
  const locale = localeOf(host.locale);
  const i = i18n(locale, strings[locale]);
  document.documentElement.lang = locale;
  document.title = i.t('title');
  title.textContent = i.t('title');
  const say = (message: string) => {
    status.classList.remove('error');
    status.textContent = message;
  };
  applyTheme(host.theme);
  host.onThemeChange((theme) => {
    applyTheme(theme);
    say(i.t('theme.changed'));
  });
  const view: View = {
    i,
    api: new TabApi(host.token),
    say,
    fail: (err) => {
      status.classList.add('error');
      status.textContent = i.t(errorKey(err));
    },
  };
  say(i.t('loading'));
  try {
    const me = await view.api.me();
    const parts: HTMLElement[] = [h('p', { class: 'welcome' }, i.t('welcome', { name: me.displayName }))];
    const isCoordinator = me.roles.includes('coordinator');
    const [organiser, coordination] = await Promise.all([
      me.roles.includes('organiser') || !isCoordinator ? view.api.organiser() : null,
      isCoordinator ? view.api.coordination() : null,
    ]);
    if (organiser && coordination) {
      parts.push(h('nav', { 'aria-label': i.t('nav.label') }, h('ul', {}, h('li', {}, h('a', { href: '#organiser' }, i.t('nav.organiser'))), h('li', {}, h('a', { href: '#coordination' }, i.t('nav.coordination'))))));
    }
    if (organiser) parts.push(organiserView(view, organiser));
    if (coordination) parts.push(coordinationView(view, coordination));
    main.replaceChildren(...parts);
    say(i.t('loaded'));
    setState('ready');
  } catch (err) {
    view.fail(err);
    setState('error');
  }
  notifyLoaded();
}

// Only when the strings themselves could not be loaded: a word in each language.
start().catch(() => {
  status.classList.add('error');
  status.textContent = 'Erreur · Fout · Error';
  setState('error');
});
