// The dashboard tab's sign-in: the Teams SSO token (teams-js authentication.getAuthToken), an
// Entra ID access token for the tab's app registration. Checked here: signature against the keys
// the identity platform publishes (RS256 only), issuer of the token's own tenant, audience, expiry,
// tenant allow-list, and a person (oid). Nothing of the token is ever logged: callers get a reason
// code, for their log, and the person's ids.
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { AppConfig } from '../config';

export interface SsoIdentity {
  /** The person's AAD object id (Member.aadObjectId, CaseParticipant.aadObjectId). */
  oid: string;
  tid: string;
  /** The name in the token, when there is one (the member's stored name wins). */
  name: string | null;
}

/** Why a token was refused; 'unavailable' means the keys could not be fetched (the caller may retry). */
export type SsoRefusal = 'missing' | 'malformed' | 'algorithm' | 'signature' | 'expired' | 'notYetValid' | 'audience' | 'issuer' | 'tenant' | 'claims' | 'unknownKey' | 'notConfigured' | 'unavailable';

export type SsoResult = { ok: true; identity: SsoIdentity } | { ok: false; reason: SsoRefusal };

export interface SsoOptions {
  jwksUrl: string;
  /** Empty: the tab's SSO is not configured and every token is refused. */
  audiences: string[];
  /** Tenants whose people may sign in; empty → any tenant. */
  allowedTenantIds: string[];
  /** Single-tenant app: only its own tenant. */
  homeTenantId: string | null;
  clockToleranceSec?: number;
  /** How long a fetch of the keys may take before the call answers 'unavailable'. */
  timeoutMs?: number;
}

export interface SsoVerifier {
  readonly configured: boolean;
  verify(authorizationHeader: string | undefined): Promise<SsoResult>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export function ssoOptionsFrom(config: AppConfig): SsoOptions {
  return {
    jwksUrl: config.tabSsoJwksUrl,
    audiences: config.tabSsoAppId ? config.tabSsoAudiences : [],
    allowedTenantIds: config.allowedTenantIds,
    homeTenantId: config.microsoftAppType === 'SingleTenant' && config.microsoftAppTenantId ? config.microsoftAppTenantId : null,
  };
}

/** v2.0 tokens name the tenant's login endpoint, v1.0 ones the STS; both name the token's own tenant. */
export const issuersOf = (tid: string): string[] => [`https://login.microsoftonline.com/${tid}/v2.0`, `https://sts.windows.net/${tid}/`];

export function createSsoVerifier(options: SsoOptions): SsoVerifier {
  const configured = options.audiences.length > 0;
  const keys = createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: options.timeoutMs ?? 5000, cooldownDuration: 30_000, cacheMaxAge: 6 * 3600_000 });
  const allowed = new Set(options.allowedTenantIds.map((t) => t.toLowerCase()));

  const check = (claims: JWTPayload): SsoResult => {
    const tid = typeof claims.tid === 'string' ? claims.tid : '';
    const oid = typeof claims.oid === 'string' ? claims.oid : '';
    if (!GUID.test(tid) || !GUID.test(oid)) return { ok: false, reason: 'claims' };
    if (!claims.iss || !issuersOf(tid).includes(claims.iss)) return { ok: false, reason: 'issuer' };
    if (allowed.size && !allowed.has(tid.toLowerCase())) return { ok: false, reason: 'tenant' };
    if (options.homeTenantId && options.homeTenantId.toLowerCase() !== tid.toLowerCase()) return { ok: false, reason: 'tenant' };
    return { ok: true, identity: { oid, tid, name: typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : null } };
  };

  return {
    configured,
    async verify(header) {
      if (!configured) return { ok: false, reason: 'notConfigured' };
      const token = /^Bearer ([^\s]+)$/i.exec(header?.trim() ?? '')?.[1];
      if (!token) return { ok: false, reason: 'missing' };
      if (token.length > 16_384 || !JWT_SHAPE.test(token)) return { ok: false, reason: 'malformed' };
      try {
        const { payload } = await jwtVerify(token, keys, {
          algorithms: ['RS256'],
          audience: options.audiences,
          clockTolerance: options.clockToleranceSec ?? 60,
          requiredClaims: ['exp', 'nbf', 'iss', 'aud', 'tid', 'oid'],
        });
        return check(payload);
      } catch (err) {
        return { ok: false, reason: refusalOf(err) };
      }
    },
  };
}

function refusalOf(err: unknown): SsoRefusal {
  if (err instanceof errors.JWTExpired) return 'expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf') return 'notYetValid';
    if (err.claim === 'aud') return 'audience';
    return 'claims';
  }
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) return 'algorithm';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'signature';
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) return 'unknownKey';
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid || err instanceof errors.JWKInvalid) return 'malformed';
  // The keys could not be fetched or read (timeout, HTTP error, network, a broken key set): not the caller's fault.
  return 'unavailable';
}
