import { isRole, type Principal } from '@pruefpfad/domain';

/** The session cookie: `__Host-` so that no subdomain can set or shadow it. */
export const SESSION_COOKIE = '__Host-pruefpfad-session';
/** PKCE verifier, state, nonce and where to return, for the few minutes of a login at the provider. */
export const LOGIN_STATE_COOKIE = '__Host-pruefpfad-login';
export const LOGIN_STATE_SECONDS = 10 * 60;

/** What an OIDC session keeps of the provider's answer. The access token is not kept: nobody here uses it. */
export interface OidcSessionTokens {
  readonly refreshToken: string | null;
  /** For `id_token_hint` at logout; dropped if the cookie would otherwise exceed the browser's limit. */
  readonly idToken: string | null;
  /** When the provider's tokens expire (seconds since the epoch): then the session refreshes them. */
  readonly expiresAt: number;
}

/** The content of the sealed session cookie (times in seconds since the epoch). */
export interface WebSession {
  readonly v: 1;
  readonly via: 'oidc' | 'development';
  readonly principal: Principal;
  readonly csrf: string;
  readonly issuedAt: number;
  readonly absoluteExpiry: number;
  readonly idleExpiry: number;
  readonly oidc?: OidcSessionTokens;
}

export interface LoginState {
  readonly v: 1;
  readonly codeVerifier: string;
  readonly state: string;
  readonly nonce: string;
  readonly returnTo: string;
  readonly expiresAt: number;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function principalOf(value: unknown): Principal | null {
  if (!isRecord(value)) return null;
  const { subject, tenant, roles, units, region } = value;
  if (!isText(subject) || !isText(tenant)) return null;
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every(isRole)) return null;
  if (!Array.isArray(units) || !units.every(isText)) return null;
  if (region !== undefined && !isText(region)) return null;
  return { subject, tenant, roles, units, ...(region !== undefined ? { region } : {}) };
}

/** A decrypted cookie is ours, but possibly of an older shape: check it like input, never trust it blindly. */
export function parseWebSession(value: unknown): WebSession | null {
  if (!isRecord(value) || value.v !== 1) return null;
  const { via, csrf, issuedAt, absoluteExpiry, idleExpiry, oidc } = value;
  const principal = principalOf(value.principal);
  if (!principal || (via !== 'oidc' && via !== 'development') || !isText(csrf)) return null;
  if (!isTime(issuedAt) || !isTime(absoluteExpiry) || !isTime(idleExpiry)) return null;
  let tokens: OidcSessionTokens | undefined;
  if (via === 'oidc') {
    if (!isRecord(oidc) || !isTime(oidc.expiresAt)) return null;
    const refreshToken = isText(oidc.refreshToken) ? oidc.refreshToken : null;
    const idToken = isText(oidc.idToken) ? oidc.idToken : null;
    tokens = { refreshToken, idToken, expiresAt: oidc.expiresAt };
  }
  return {
    v: 1,
    via,
    principal,
    csrf,
    issuedAt,
    absoluteExpiry,
    idleExpiry,
    ...(tokens ? { oidc: tokens } : {}),
  };
}

export function parseLoginState(value: unknown): LoginState | null {
  if (!isRecord(value) || value.v !== 1) return null;
  const { codeVerifier, state, nonce, returnTo, expiresAt } = value;
  if (!isText(codeVerifier) || !isText(state) || !isText(nonce) || !isText(returnTo) || !isTime(expiresAt)) return null;
  return { v: 1, codeVerifier, state, nonce, returnTo, expiresAt };
}

/**
 * `returnTo` of a login: only a path of this service. Absolute URLs, scheme-relative `//host`,
 * backslashes (`/\host`, which browsers read as `//host`), control characters and `/auth/…` itself
 * fall back to `/`, so the login can never be used to send someone elsewhere.
 */
export function safeReturnTo(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2000) return '/';
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) return '/';
  let parsed: URL;
  try {
    parsed = new URL(raw, 'http://same-origin.invalid');
  } catch {
    return '/';
  }
  if (parsed.origin !== 'http://same-origin.invalid') return '/';
  if (parsed.pathname === '/auth' || parsed.pathname.startsWith('/auth/')) return '/';
  return `${parsed.pathname}${parsed.search}${parsed.hash}`;
}
