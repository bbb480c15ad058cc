import { ConfigError, loadConfig } from '../../bot/config';

describe('configuration', () => {
  it('has working defaults for local use (embedded database, no authentication)', () => {
    expect(loadConfig({})).toMatchObject({ port: 3978, mongodbUri: null, microsoftAppId: '', defaultLocale: 'fr', allowedTenantIds: [] });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ MONGODB_URI: 'postgres://x' }, 'MONGODB_URI'],
    [{ MicrosoftAppId: 'not-a-guid', MicrosoftAppPassword: 'x' }, 'MicrosoftAppId'],
    [{ MicrosoftAppId: '22222222-2222-4222-8222-222222222222' }, 'MicrosoftAppPassword'],
    [{ MicrosoftAppPassword: 'secret' }, 'MicrosoftAppPassword'],
    [{ MicrosoftAppType: 'Single' }, 'MicrosoftAppType'],
    [{ MicrosoftAppType: 'SingleTenant', MicrosoftAppId: '22222222-2222-4222-8222-222222222222', MicrosoftAppPassword: 'x' }, 'MicrosoftAppTenantId'],
    [{ ALLOWED_TENANT_IDS: 'contoso' }, 'ALLOWED_TENANT_IDS'],
    [{ DEFAULT_LOCALE: 'de' }, 'DEFAULT_LOCALE'],
    [{ DB_NAME: 'a b' }, 'DB_NAME'],
    [{ SCHEDULER_PROCESS_EVERY: 'often' }, 'SCHEDULER_PROCESS_EVERY'],
    [{ SCHEDULER_LOCK_LIFETIME: 'forever' }, 'SCHEDULER_LOCK_LIFETIME'],
    [{ CASE_RETENTION_MONTHS: '-1' }, 'CASE_RETENTION_MONTHS'],
    [{ CASE_RETENTION_MONTHS: '601' }, 'CASE_RETENTION_MONTHS'],
    [{ CASE_RETENTION_MONTHS: 'two years' }, 'CASE_RETENTION_MONTHS'],
    [{ TEAMS_APP_ID: 'concertation' }, 'TEAMS_APP_ID'],
    [{ TEAMS_APP_DEVELOPER_NAME: 'Coordination des concertations de Bruxelles' }, 'TEAMS_APP_DEVELOPER_NAME'],
    [{ TEAMS_APP_PRIVACY_URL: 'http://concertation.example.org/privacy' }, 'TEAMS_APP_PRIVACY_URL'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (err) {
      expect((err as ConfigError).problems.join('\n')).toContain(variable);
    }
  });

  it('keeps a stopped case 24 months by default; 0 purges at the next run', () => {
    expect(loadConfig({}).caseRetentionMonths).toBe(24);
    expect(loadConfig({ CASE_RETENTION_MONTHS: '0' }).caseRetentionMonths).toBe(0);
  });

  it('gives the Teams app the bot\'s id unless TEAMS_APP_ID is set', () => {
    const bot = '22222222-2222-4222-8222-222222222222';
    expect(loadConfig({ MicrosoftAppId: bot, MicrosoftAppPassword: 'x' }).teamsApp.id).toBe(bot);
    expect(loadConfig({ MicrosoftAppId: bot, MicrosoftAppPassword: 'x', TEAMS_APP_ID: '33333333-3333-4333-8333-333333333333' }).teamsApp.id).toBe('33333333-3333-4333-8333-333333333333');
  });

  it('needs no password when asked for the ids only (the app package)', () => {
    const env = { MicrosoftAppId: '22222222-2222-4222-8222-222222222222' };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(loadConfig(env, { secrets: false }).microsoftAppId).toBe(env.MicrosoftAppId);
  });

  it("checks the tab's SSO tokens against the tenant's published keys when the app is single-tenant", () => {
    const tenant = '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9';
    const single = loadConfig({ MicrosoftAppId: '3f2a9c41-7d5e-4b8a-9e21-5c0d8b7a6f13', MicrosoftAppPassword: 'fictional', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: tenant });
    expect(single.tabSsoJwksUrl).toBe(`https://login.microsoftonline.com/${tenant}/discovery/v2.0/keys`);
    expect(loadConfig({}).tabSsoJwksUrl).toBe('https://login.microsoftonline.com/common/discovery/v2.0/keys');
    expect(loadConfig({ TAB_SSO_JWKS_URL: 'http://127.0.0.1:9/keys' }).tabSsoJwksUrl).toBe('http://127.0.0.1:9/keys');
  });

  it('reports every problem at once', () => {
    try {
      loadConfig({ PORT: 'x', DEFAULT_LOCALE: 'de', MONGODB_URI: 'http://x' });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect((err as ConfigError).problems).toHaveLength(3);
    }
  });
});
