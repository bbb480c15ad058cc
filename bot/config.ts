// Configuration from the environment, validated once at start-up.
// Every problem is reported at once, each naming its variable, so a newcomer fixes all in one go.
import { Locale, SUPPORTED_LOCALES } from '../locales/i18n';

export type AppType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';

export interface AppConfig {
  port: number;
  mongodbUri: string | null; // null → start the embedded FerretDB
  dbName: string;
  dataDir: string;
  embeddedDbPort: number;
  embeddedDbBackend: 'postgresql' | 'sqlite';
  microsoftAppId: string;
  microsoftAppPassword: string;
  microsoftAppType: AppType;
  microsoftAppTenantId: string;
  allowedTenantIds: string[]; // empty → every tenant
  maxBodyBytes: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  defaultLocale: Locale;
  bootstrapCoordinatorIds: string[]; // Teams AAD object ids of the first coordinators
  draftExpiryDays: number;
  schedulerProcessEvery: string;
  /** How long a running job holds its lock; agenda checks on it every half of that. */
  schedulerLockLifetime: string;
  shutdownTimeoutMs: number;
  reminderDispatchEvery: string;
  reminderLateGraceMinutes: number;
  reminderClaimLeaseSeconds: number;
  reminderRetentionDays: number;
  retentionPurgeEvery: string;
  /** Months after a case's stop before its personal data is purged (domain/retention.ts); 0 = at the next purge run. */
  caseRetentionMonths: number;
  outboundGlobalPerSecond: number;
  /** Public address of the bot (download links of exports); empty → http://localhost:PORT. */
  publicBaseUrl: string;
  /** Where the Bot Framework's signing keys are published; empty → the public cloud's (tests point it at a local server). */
  botOpenIdMetadataUrl: string;
  /** The dashboard tab's Teams SSO: where the identity platform's signing keys are published (tests point it at a local server). */
  tabSsoJwksUrl: string;
  /** The app registration the tab's SSO tokens are issued for; empty → the tab answers every call 401. */
  tabSsoAppId: string;
  /** Accepted audiences of the tab's SSO tokens: the app id, api://<public host>/<app id> and api://<public host>/botid-<app id>, unless set. */
  tabSsoAudiences: string[];
  /** Origins besides Teams' that may frame the tab page (a test host page); empty in production. */
  tabFrameAncestors: string[];
  /** What the Teams app package (`npm run package`) says about the app; the bot itself does not read it. */
  teamsApp: TeamsAppConfig;
}

export interface TeamsAppConfig {
  /** The Teams app's id (manifest `id`); the bot's application id unless TEAMS_APP_ID says otherwise. */
  id: string;
  developerName: string;
  /** Empty → PUBLIC_BASE_URL. */
  websiteUrl: string;
  /** Empty → the website. */
  privacyUrl: string;
  /** Empty → the website. */
  termsOfUseUrl: string;
}

export interface LoadOptions {
  /** false: MicrosoftAppPassword is not required (the app package needs ids and addresses, never the bot's secret). */
  secrets?: boolean;
}

/** Where people reach this bot from outside (export links, the tab): PUBLIC_BASE_URL, else this machine. */
export const publicBaseOf = (config: Pick<AppConfig, 'publicBaseUrl' | 'port'>): string => (config.publicBaseUrl || `http://localhost:${config.port}`).replace(/\/+$/, '');

/** The identity platform's signing keys: the tenant's own set for a single-tenant app, else the common one. */
export const microsoftIdentityJwksUrl = (tenantId: string): string => `https://login.microsoftonline.com/${tenantId || 'common'}/discovery/v2.0/keys`;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, options: LoadOptions = {}): AppConfig {
  const problems: string[] = [];
  const setting = (name: string, fallback = ''): string => (env[name] ?? '').trim() || fallback;

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = setting(name);
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}="${raw}" must be a whole number between ${min} and ${max}`);
      return fallback;
    }
    return n;
  };

  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = setting(name);
    if (!raw) return fallback;
    const found = allowed.find((a) => a.toLowerCase() === raw.toLowerCase());
    if (!found) problems.push(`${name}="${raw}" must be one of: ${allowed.join(', ')}`);
    return found ?? fallback;
  };

  const list = (name: string): string[] =>
    setting(name)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);

  const mongodbUri = setting('MONGODB_URI') || null;
  if (mongodbUri && !/^mongodb(\+srv)?:\/\//.test(mongodbUri)) {
    problems.push('MONGODB_URI must start with mongodb:// or mongodb+srv:// (leave it empty to use the embedded database)');
  }

  const microsoftAppId = setting('MicrosoftAppId');
  const microsoftAppPassword = setting('MicrosoftAppPassword');
  const microsoftAppType = oneOf<AppType>('MicrosoftAppType', ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], 'MultiTenant');
  const microsoftAppTenantId = setting('MicrosoftAppTenantId');
  const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (microsoftAppId && !guid.test(microsoftAppId)) problems.push('MicrosoftAppId must be a GUID (the bot registration\'s application id)');
  if (microsoftAppId && microsoftAppType !== 'UserAssignedMSI' && !microsoftAppPassword && options.secrets !== false) {
    problems.push('MicrosoftAppPassword is required when MicrosoftAppId is set (except with MicrosoftAppType=UserAssignedMSI)');
  }
  if (!microsoftAppId && microsoftAppPassword) problems.push('MicrosoftAppPassword is set but MicrosoftAppId is empty');
  if (microsoftAppType === 'SingleTenant' && !microsoftAppTenantId) {
    problems.push('MicrosoftAppTenantId is required when MicrosoftAppType=SingleTenant');
  }
  const allowedTenantIds = list('ALLOWED_TENANT_IDS');
  for (const t of allowedTenantIds) if (!guid.test(t)) problems.push(`ALLOWED_TENANT_IDS contains "${t}", which is not a tenant GUID`);

  const dbName = setting('DB_NAME', 'cmd_concertation');
  if (!/^[A-Za-z0-9_-]{1,60}$/.test(dbName)) problems.push('DB_NAME may only contain letters, digits, "_" and "-" (at most 60)');

  const config: AppConfig = {
    port: int('PORT', 3978, 1, 65535),
    mongodbUri,
    dbName,
    dataDir: setting('DATA_DIR', 'data'),
    embeddedDbPort: int('EMBEDDED_DB_PORT', 27018, 0, 65535),
    embeddedDbBackend: oneOf('EMBEDDED_DB_BACKEND', ['postgresql', 'sqlite'] as const, 'postgresql'),
    microsoftAppId,
    microsoftAppPassword,
    microsoftAppType,
    microsoftAppTenantId,
    allowedTenantIds,
    maxBodyBytes: int('MAX_BODY_BYTES', 262144, 1024, 10485760),
    logLevel: oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    defaultLocale: oneOf<Locale>('DEFAULT_LOCALE', SUPPORTED_LOCALES, 'fr'),
    bootstrapCoordinatorIds: list('BOOTSTRAP_COORDINATOR_IDS'),
    draftExpiryDays: int('DRAFT_EXPIRY_DAYS', 30, 1, 365),
    schedulerProcessEvery: setting('SCHEDULER_PROCESS_EVERY', '30 seconds'),
    schedulerLockLifetime: setting('SCHEDULER_LOCK_LIFETIME', '10 minutes'),
    shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_MS', 10000, 100, 120000),
    reminderDispatchEvery: setting('REMINDER_DISPATCH_EVERY', '1 minute'),
    reminderLateGraceMinutes: int('REMINDER_LATE_GRACE_MINUTES', 15, 0, 1440),
    reminderClaimLeaseSeconds: int('REMINDER_CLAIM_LEASE_SECONDS', 900, 60, 86400),
    reminderRetentionDays: int('REMINDER_RETENTION_DAYS', 90, 1, 3650),
    retentionPurgeEvery: setting('RETENTION_PURGE_EVERY', '1 day'),
    caseRetentionMonths: int('CASE_RETENTION_MONTHS', 24, 0, 600),
    outboundGlobalPerSecond: int('OUTBOUND_GLOBAL_PER_SECOND', 30, 1, 1000),
    publicBaseUrl: setting('PUBLIC_BASE_URL'),
    botOpenIdMetadataUrl: setting('BOT_OPENID_METADATA_URL'),
    teamsApp: {
      id: setting('TEAMS_APP_ID', microsoftAppId),
      developerName: setting('TEAMS_APP_DEVELOPER_NAME', 'Brusano'),
      websiteUrl: setting('TEAMS_APP_WEBSITE_URL'),
      privacyUrl: setting('TEAMS_APP_PRIVACY_URL'),
      termsOfUseUrl: setting('TEAMS_APP_TERMS_URL'),
    },
    tabSsoJwksUrl: setting('TAB_SSO_JWKS_URL', microsoftIdentityJwksUrl(microsoftAppType === 'SingleTenant' ? microsoftAppTenantId : '')),
    tabSsoAppId: setting('TAB_SSO_APP_ID', microsoftAppId),
    tabSsoAudiences: list('TAB_SSO_AUDIENCES'),
    tabFrameAncestors: list('TAB_FRAME_ANCESTORS'),
  };
  for (const origin of config.tabFrameAncestors) if (!/^https?:\/\/[A-Za-z0-9.*-]+(:\d+)?$/.test(origin)) problems.push(`TAB_FRAME_ANCESTORS contains "${origin}", which is not an origin such as https://host.example.org`);
  if (config.tabSsoAppId && !guid.test(config.tabSsoAppId)) problems.push('TAB_SSO_APP_ID must be a GUID (the application id the tab\'s SSO tokens are issued for)');
  if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/i.test(config.tabSsoJwksUrl)) problems.push('TAB_SSO_JWKS_URL must be the address of a JSON Web Key Set (leave it empty for the Microsoft identity platform\'s)');
  if (!config.tabSsoAudiences.length && config.tabSsoAppId) {
    const host = config.publicBaseUrl ? /^https?:\/\/([^\s/]+)/i.exec(config.publicBaseUrl)?.[1] : undefined;
    // The Application ID URI of a tab with SSO: api://<host>/<app id>, or api://<host>/botid-<app id>
    // when the app registration is also the bot's (Teams' documented form for a bot with a tab).
    config.tabSsoAudiences = [config.tabSsoAppId, ...(host ? [`api://${host}/${config.tabSsoAppId}`, `api://${host}/botid-${config.tabSsoAppId}`] : [])];
  }
  if (config.teamsApp.id && !guid.test(config.teamsApp.id)) problems.push('TEAMS_APP_ID must be a GUID (leave it empty to use MicrosoftAppId)');
  // Teams shows the developer's name on the app's page and refuses more than 32 characters.
  if (config.teamsApp.developerName.length > 32) problems.push('TEAMS_APP_DEVELOPER_NAME must be at most 32 characters');
  for (const [name, value] of [
    ['TEAMS_APP_WEBSITE_URL', config.teamsApp.websiteUrl],
    ['TEAMS_APP_PRIVACY_URL', config.teamsApp.privacyUrl],
    ['TEAMS_APP_TERMS_URL', config.teamsApp.termsOfUseUrl],
  ] as const) {
    if (value && !/^https:\/\/[^\s/]+(\/[^\s]*)?$/i.test(value)) problems.push(`${name} must be an https:// address (Teams accepts no other)`);
  }
  for (const [name, value] of [
    ['REMINDER_DISPATCH_EVERY', config.reminderDispatchEvery],
    ['RETENTION_PURGE_EVERY', config.retentionPurgeEvery],
    ['SCHEDULER_LOCK_LIFETIME', config.schedulerLockLifetime],
  ] as const) {
    if (!/^\d+\s*(ms|milliseconds?|seconds?|minutes?|hours?|days?)$/.test(value)) problems.push(`${name} must look like "1 minute", "500 ms", "6 hours" or "1 day"`);
  }
  if (!/^\d+\s*(ms|milliseconds?|seconds?|minutes?)$/.test(config.schedulerProcessEvery)) {
    problems.push('SCHEDULER_PROCESS_EVERY must look like "30 seconds", "500 ms" or "1 minute"');
  }
  if (config.publicBaseUrl && !/^https?:\/\/[^\s/]+(\/[^\s]*)?$/i.test(config.publicBaseUrl)) problems.push('PUBLIC_BASE_URL must be the bot\'s public address, e.g. https://bot.example.org');
  if (config.botOpenIdMetadataUrl && !/^https?:\/\/[^\s/]+(\/[^\s]*)?$/i.test(config.botOpenIdMetadataUrl)) problems.push('BOT_OPENID_METADATA_URL must be the address of an OpenID configuration document (leave it empty for the Bot Framework\'s)');
  if (problems.length) throw new ConfigError(problems);
  return config;
}
