// The Teams host through @microsoft/teams-js (its UMD bundle, loaded by index.html before this
// module, defines the global `microsoftTeams`).
export type TeamsJs = typeof import('@microsoft/teams-js');
declare const microsoftTeams: TeamsJs | undefined;

export type Theme = 'light' | 'dark' | 'contrast';

/** Outside Teams, initialize fails at once (no parent window) or nobody answers: a few seconds at most. */
const INITIALIZE_WAIT_MS = 5000;

export interface TeamsHost {
  locale: string | undefined;
  theme: Theme;
  token(): Promise<string>;
  onThemeChange(handler: (theme: Theme) => void): void;
}

export function themeOf(teamsTheme: string | undefined): Theme {
  return teamsTheme === 'dark' ? 'dark' : teamsTheme === 'contrast' ? 'contrast' : 'light';
}

/** The Teams host, or null when the page is not inside Teams. */
export async function connectToTeams(): Promise<TeamsHost | null> {
  if (typeof microsoftTeams === 'undefined') return null;
  const teams = microsoftTeams;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const silence = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), INITIALIZE_WAIT_MS)));
  try {
    const ready = await Promise.race([teams.app.initialize().then(() => true), silence]);
    if (!ready) return null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
  const context = await teams.app.getContext();
  return {
    locale: context.app.locale,
    theme: themeOf(context.app.theme),
    token: () => teams.authentication.getAuthToken(),
    onThemeChange: (handler) => teams.app.registerOnThemeChangeHandler((t) => handler(themeOf(t))),
  };
}

/** Tells Teams the page is ready (hides its loading indicator); nothing waits for the answer. */
export function notifyLoaded(): void {
  if (typeof microsoftTeams === 'undefined') return;
  microsoftTeams.app.notifySuccess().catch(() => undefined);
}
