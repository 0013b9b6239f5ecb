import type { Principal } from '@pruefpfad/domain';

/** The minimal request and response shapes the guard and the session code need (Express underneath). */
export interface HttpRequestLike {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly method?: string;
  readonly originalUrl?: string;
}

export interface HttpResponseLike {
  getHeader(name: string): unknown;
  setHeader(name: string, value: string | readonly string[]): unknown;
}

/** How the request was authenticated: a bearer token (machines) or the browser's session cookie. */
export type RequestAuthentication =
  | { readonly via: 'bearer'; readonly principal: Principal }
  | {
      readonly via: 'oidc' | 'development';
      readonly principal: Principal;
      /** What cookie-authenticated writes must send back as `X-CSRF-Token`. */
      readonly csrfToken: string;
      /** When the session ends at the latest (idle or absolute expiry, whichever is first), ISO 8601. */
      readonly expiresAt: string;
    };

/** The request property the guard stores `RequestAuthentication` in (next to the principal). */
export const AUTHENTICATION_REQUEST_KEY = 'authentication';

/**
 * Reads the browser session from the request (provided by the web-session module; without it only
 * bearer tokens are accepted). `authenticate` answers null when the request carries no session cookie,
 * throws `UnauthenticatedError` for one that is tampered with, expired or cannot be refreshed, and may
 * renew the cookie on the response (idle expiry, refreshed tokens).
 */
export interface SessionAuthenticator {
  authenticate(request: HttpRequestLike, response: HttpResponseLike): Promise<RequestAuthentication | null>;
  /** The service's own origin (`https://host[:port]`), which an `Origin` header of a browser write must equal. */
  expectedOrigin(request: HttpRequestLike): string;
}

export const SESSION_AUTHENTICATOR = Symbol('SESSION_AUTHENTICATOR');

/** Methods that change state: a cookie-authenticated request with one of them needs the CSRF token. */
export const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
