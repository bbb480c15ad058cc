// The Teams app manifest and its FR / NL / EN localisation files, written from the configuration
// and the locale files (no I/O here: tools/appPackage/cli.ts reads the settings and writes the zip).
//
// Manifest version 1.24 (generally available since October 2025): the first whose bot command lists
// hold 12 commands (the 1:1 list has 11). Nothing declared here needs a later one, and a version
// that has been out longer is one that every Teams client and admin tool in a tenant already
// accepts. Its JSON schema ships with @microsoft/app-manifest, so the tests validate against the
// published schema offline.
import type { TeamsManifestV1D24 } from '@microsoft/app-manifest';
import { Locale, SUPPORTED_LOCALES, t } from '../../locales/i18n';
import { menuOf, MenuPlace, PLACE_SCOPES } from './commandMenu';

type Manifest = TeamsManifestV1D24.TeamsManifestV1D24;

export const MANIFEST_VERSION = '1.24';
const SCHEMA_BASE = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}`;

/** The network works in French first (Brussels); Dutch and English are offered beside it. */
export const DEFAULT_LANGUAGE: Locale = 'fr';
export const ICONS = { color: 'color.png', outline: 'outline.png' } as const;
/** Where the committed icons are, from the project root (drawn by tools/appPackage/icons.ts). */
export const ICON_FOLDER = 'tools/appPackage/icons';
/** The bot sends poll invitations as .ics files, after the file-consent card (bot/features/polls/invitations.ts). */
export const SUPPORTS_FILES = true;
/** The colour icon's background: the app's colour beside its name in Teams. */
export const ACCENT_COLOR = '#0E6B73';

export interface PackageSettings {
  /** manifest id */
  teamsAppId: string;
  /** The bot's Entra application id. */
  botAppId: string;
  /** The tab's sign-in: the app registration its SSO tokens are issued for, and the Application ID URI Teams asks them for (one the server accepts: bot/config.ts tabSsoAudiences). */
  sso: { appId: string; resource: string };
  /** https://host[/path], without a trailing slash: serves /api/messages and /tab/. */
  publicBaseUrl: string;
  version: string;
  developer: { name: string; websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
}

/** The dashboard's place among the static tabs (the localisation files name it by its index). */
export const DASHBOARD_TAB = { entityId: 'dashboard', index: 1 } as const;

export const PLACES = Object.keys(PLACE_SCOPES) as MenuPlace[];

/** The tab's address; Teams fills in {locale} and {theme} so the page can paint in the right language and colours before teams-js answers. */
export const tabUrl = (base: string): string => `${base}/tab/?locale={locale}&theme={theme}`;

/** The Entra application ID URI that Teams asks an SSO token for (it must be set so on the app registration). */
export const ssoResource = (settings: PackageSettings): string => settings.sso.resource;

function texts(locale: Locale) {
  const tr = (key: string) => t(locale, `appPackage.${key}`);
  return {
    name: { short: tr('name.short'), full: tr('name.full') },
    description: { short: tr('description.short'), full: tr('description.full') },
    dashboard: tr('tab.dashboard'),
    menus: PLACES.map((place) => menuOf(place, locale)),
  };
}

export function buildManifest(settings: PackageSettings): Manifest {
  const strings = texts(DEFAULT_LANGUAGE);
  return {
    $schema: `${SCHEMA_BASE}/MicrosoftTeams.schema.json`,
    manifestVersion: MANIFEST_VERSION,
    version: settings.version,
    id: settings.teamsAppId,
    localizationInfo: {
      defaultLanguageTag: DEFAULT_LANGUAGE,
      defaultLanguageFile: `${DEFAULT_LANGUAGE}.json`,
      // Language tags without a region: Teams in nl-BE, nl-NL, en-GB or en-US picks them all up.
      additionalLanguages: SUPPORTED_LOCALES.filter((l) => l !== DEFAULT_LANGUAGE).map((l) => ({ languageTag: l, file: `${l}.json` })),
    },
    developer: settings.developer,
    name: strings.name,
    description: strings.description,
    icons: { color: ICONS.color, outline: ICONS.outline },
    accentColor: ACCENT_COLOR,
    bots: [
      {
        botId: settings.botAppId,
        scopes: ['personal', 'team', 'groupChat'],
        supportsFiles: SUPPORTS_FILES,
        isNotificationOnly: false,
        commandLists: PLACES.map((place, i) => ({
          scopes: [...PLACE_SCOPES[place]],
          commands: strings.menus[i].map(({ title, description }) => ({ title, description })),
        })),
      },
    ],
    // The chat with the bot comes first: most people only ask for a concertation.
    staticTabs: [{ entityId: 'conversations', scopes: ['personal'] }, { entityId: DASHBOARD_TAB.entityId, name: strings.dashboard, contentUrl: tabUrl(settings.publicBaseUrl), scopes: ['personal'], context: ['personalTab'] }],
    defaultInstallScope: 'personal',
    defaultGroupCapability: { team: 'bot', groupchat: 'bot' },
    validDomains: [new URL(settings.publicBaseUrl).hostname],
    webApplicationInfo: { id: settings.sso.appId, resource: settings.sso.resource },
  };
}

/** A language's file: the manifest's strings by their JSON path ("bots[0].commandLists[1].commands[2].title"). */
export function buildLocalisation(locale: Locale): Record<string, string> {
  const strings = texts(locale);
  const file: Record<string, string> = {
    $schema: `${SCHEMA_BASE}/MicrosoftTeams.Localization.schema.json`,
    'name.short': strings.name.short,
    'name.full': strings.name.full,
    'description.short': strings.description.short,
    'description.full': strings.description.full,
    [`staticTabs[${DASHBOARD_TAB.index}].name`]: strings.dashboard,
  };
  strings.menus.forEach((menu, list) =>
    menu.forEach(({ title, description }, i) => {
      file[`bots[0].commandLists[${list}].commands[${i}].title`] = title;
      file[`bots[0].commandLists[${list}].commands[${i}].description`] = description;
    }),
  );
  return file;
}
