// What the app package needs from the configuration (bot/config.ts loadConfig, the same variables as
// the bot's), with the problems that stop it named one by one, as the bot does at start-up.
import { AppConfig, ConfigError, loadConfig } from '../../bot/config';
import type { PackageSettings } from './manifest';

export type SettingsResult = { ok: true; settings: Omit<PackageSettings, 'version'> } | { ok: false; problems: string[] };

export function packageSettings(env: Record<string, string | undefined>): SettingsResult {
  let config: AppConfig;
  try {
    // The package holds ids and addresses only: building it never needs the bot's secret.
    config = loadConfig(env, { secrets: false });
  } catch (err) {
    if (err instanceof ConfigError) return { ok: false, problems: [...err.problems, ...packageProblems(env)] };
    throw err;
  }
  const problems = packageProblems(env);
  if (problems.length) return { ok: false, problems };
  const base = config.publicBaseUrl.replace(/\/+$/, '');
  const website = config.teamsApp.websiteUrl || base;
  // The resource Teams asks a token for must be one the server accepts: the first api:// audience
  // of the tab's configuration (by default api://<public host>/<app id>).
  const resource = config.tabSsoAudiences.find((a) => a.startsWith('api://'));
  if (!resource) return { ok: false, problems: ['TAB_SSO_AUDIENCES names no api:// Application ID URI: the tab\'s sign-in needs one (or leave it empty for api://<public host>/<app id>)'] };
  return {
    ok: true,
    settings: {
      teamsAppId: config.teamsApp.id,
      botAppId: config.microsoftAppId,
      sso: { appId: config.tabSsoAppId, resource },
      publicBaseUrl: base,
      developer: { name: config.teamsApp.developerName, websiteUrl: website, privacyUrl: config.teamsApp.privacyUrl || website, termsOfUseUrl: config.teamsApp.termsOfUseUrl || website },
    },
  };
}

/** What the package needs beyond what the bot itself accepts (local use runs without an app id or a public address). */
function packageProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const value = (name: string) => (env[name] ?? '').trim();
  if (!value('MicrosoftAppId')) problems.push('MicrosoftAppId is empty: the Teams app package needs the bot registration\'s application id');
  const base = value('PUBLIC_BASE_URL');
  if (!base) problems.push('PUBLIC_BASE_URL is empty: the Teams app package needs the bot\'s public https:// address (the tab is served there)');
  else if (!/^https:\/\//i.test(base)) problems.push(`PUBLIC_BASE_URL="${base}" must start with https:// (Teams loads tabs over HTTPS only)`);
  else if (/[?#]/.test(base)) problems.push('PUBLIC_BASE_URL must be an address without a query or fragment');
  return problems;
}
