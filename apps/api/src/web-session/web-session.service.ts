import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Clock } from '@pruefpfad/application';
import type { Principal } from '@pruefpfad/domain';
import type {
  HttpRequestLike,
  HttpResponseLike,
  RequestAuthentication,
  SessionAuthenticator,
} from '../security/session-authenticator.js';
import { UnauthenticatedError } from '../security/security.errors.js';
import { mapClaims, type ClaimMapping } from './claim-mapping.js';
import { appendSetCookie, readCookie, serializeCookie } from './cookies.js';
import type { OidcLogin, OidcResult } from './oidc-login.js';
import type { SessionCodec } from './session-codec.js';
import { parseWebSession, SESSION_COOKIE, type OidcSessionTokens, type WebSession } from './web-session.js';

/** Browsers keep at most 4096 bytes of name, value and attributes per cookie; we stay below with margin. */
export const MAX_COOKIE_BYTES = 4000;
/** Tokens are refreshed this long before they expire, so a request never runs on the edge. */
const REFRESH_AHEAD_SECONDS = 30;
/** Parallel requests that still carry the old cookie reuse one refresh's result for this long. */
const REFRESH_REUSE_MS = 60_000;

export interface WebSessionSettings {
  readonly codec: SessionCodec;
  readonly clock: Clock;
  readonly absoluteSeconds: number;
  readonly idleSeconds: number;
  /** The configured public origin, or null: the loopback address the server listens on. */
  readonly publicUrl: string | null;
  readonly oidc: { readonly login: OidcLogin; readonly mapping: ClaimMapping } | null;
}

/** The session as the API shows it (`GET /api/v1/session`, the development login's answer). */
export interface SessionView {
  readonly subject: string;
  readonly tenant: string;
  readonly roles: readonly string[];
  readonly units: readonly string[];
  readonly region?: string;
  readonly via: 'oidc' | 'development' | 'bearer';
  readonly csrfToken: string | null;
  readonly expiresAt: string | null;
}

export function sessionView(authentication: RequestAuthentication): SessionView {
  const { principal } = authentication;
  return {
    subject: principal.subject,
    tenant: principal.tenant,
    roles: principal.roles,
    units: principal.units,
    ...(principal.region !== undefined ? { region: principal.region } : {}),
    via: authentication.via,
    csrfToken: authentication.via === 'bearer' ? null : authentication.csrfToken,
    expiresAt: authentication.via === 'bearer' ? null : authentication.expiresAt,
  };
}

/**
 * Told of each OIDC sign-in with the mapped principal and the provider's claims (the mail address book
 * records the `email` claim for the deadline digest). Not told of token refreshes. A failing observer is
 * logged and never stops the sign-in.
 */
export interface LoginObserver {
  signedIn(principal: Principal, claims: Readonly<Record<string, unknown>>): Promise<void>;
}

interface Refreshed {
  readonly principal: Principal;
  readonly tokens: OidcSessionTokens;
}

/**
 * The browser session: a sealed cookie (see `SessionCodec`), no server-side state. Every authenticated
 * request renews the idle expiry; an OIDC session whose tokens expired refreshes them and maps the
 * claims again, so a changed group at the provider changes the role here. Anything wrong with a cookie
 * (tampered, expired, unreadable, refresh refused) is a 401 and the cookie is cleared, never a 500.
 */
export class WebSessionService implements SessionAuthenticator {
  private readonly logger = new Logger('WebSession');
  private readonly refreshes = new Map<string, { result: Promise<Refreshed>; at: number }>();
  private readonly loginObservers: LoginObserver[] = [];
  /** Claims of a sign-in between `principalFrom` and `start` (keyed by the principal it mapped to). */
  private readonly signInClaims = new WeakMap<Principal, Readonly<Record<string, unknown>>>();

  constructor(private readonly settings: WebSessionSettings) {}

  /** Registers an observer of OIDC sign-ins (see `LoginObserver`). */
  observeLogins(observer: LoginObserver): void {
    this.loginObservers.push(observer);
  }

  get oidcEnabled(): boolean {
    return this.settings.oidc !== null;
  }

  get oidc(): WebSessionSettings['oidc'] {
    return this.settings.oidc;
  }

  private now(): number {
    return Math.floor(this.settings.clock.now().getTime() / 1000);
  }

  expectedOrigin(request: HttpRequestLike): string {
    if (this.settings.publicUrl) return this.settings.publicUrl;
    const socket = (request as { socket?: { localPort?: number } }).socket;
    return `http://127.0.0.1:${socket?.localPort ?? 0}`;
  }

  /** Starts a session (after a login): a new CSRF token, fresh absolute and idle expiries. */
  async start(
    response: HttpResponseLike,
    via: 'oidc' | 'development',
    principal: Principal,
    oidc?: OidcSessionTokens,
  ): Promise<RequestAuthentication> {
    const claims = via === 'oidc' ? this.signInClaims.get(principal) : undefined;
    if (claims !== undefined) {
      this.signInClaims.delete(principal);
      for (const observer of this.loginObservers)
        await observer.signedIn(principal, claims).catch((error: unknown) => {
          this.logger.warn(`Sign-in observer failed (the sign-in goes on): ${String(error)}`);
        });
    }
    const now = this.now();
    const session: WebSession = {
      v: 1,
      via,
      principal,
      csrf: randomBytes(32).toString('base64url'),
      issuedAt: now,
      absoluteExpiry: now + this.settings.absoluteSeconds,
      idleExpiry: now + this.settings.idleSeconds,
      ...(oidc ? { oidc } : {}),
    };
    return this.write(response, session);
  }

  clear(response: HttpResponseLike): void {
    appendSetCookie(response, serializeCookie(SESSION_COOKIE, '', { maxAge: 0 }));
  }

  /** The valid session of the request without renewing it (logout), or null. */
  async current(request: HttpRequestLike): Promise<WebSession | null> {
    const sealed = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (!sealed) return null;
    const session = parseWebSession(await this.settings.codec.open('session', sealed));
    if (!session) return null;
    const now = this.now();
    return now < session.absoluteExpiry && now < session.idleExpiry ? session : null;
  }

  async authenticate(request: HttpRequestLike, response: HttpResponseLike): Promise<RequestAuthentication | null> {
    const sealed = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (sealed === undefined || sealed === '') return null;
    const session = parseWebSession(await this.settings.codec.open('session', sealed));
    const refuse = (reason: string): never => {
      this.clear(response);
      throw new UnauthenticatedError(reason);
    };
    if (!session) return refuse('Session cookie cannot be opened (tampered with, or another key)');
    const now = this.now();
    if (now >= session.absoluteExpiry) return refuse('Session reached its absolute expiry');
    if (now >= session.idleExpiry) return refuse('Session was idle too long');

    let { principal, oidc } = session;
    if (session.via === 'oidc' && oidc && now >= oidc.expiresAt - REFRESH_AHEAD_SECONDS) {
      if (!oidc.refreshToken || !this.settings.oidc) return refuse('OIDC tokens expired and cannot be refreshed');
      try {
        ({ principal, tokens: oidc } = await this.refresh(oidc, now));
      } catch (error) {
        this.logger.warn(`Session refresh failed, session ended: ${String(error)}`);
        return refuse(`Session refresh failed: ${String(error)}`);
      }
    }
    try {
      return await this.write(response, {
        ...session,
        principal,
        ...(oidc ? { oidc } : {}),
        idleExpiry: Math.min(now + this.settings.idleSeconds, session.absoluteExpiry),
      });
    } catch (error) {
      if (error instanceof SessionTooLargeError) return refuse(error.message);
      throw error;
    }
  }

  /** The session's principal from a sign-in's provider answer; throws with the reason if none. */
  principalFrom(result: OidcResult): Principal {
    const principal = this.mappedPrincipal(result);
    // `start` hands the claims to the login observers once the session begins.
    this.signInClaims.set(principal, result.claims);
    return principal;
  }

  /** The principal of a provider answer (sign-in or refresh); throws with the reason if none. */
  private mappedPrincipal(result: OidcResult): Principal {
    if (!this.settings.oidc) throw new Error('OIDC is not configured');
    const mapped = mapClaims(this.settings.oidc.mapping, result.claims);
    if (!mapped.ok) throw new UnmappedUserError(mapped.reason);
    return mapped.principal;
  }

  tokensFrom(result: OidcResult, previousIdToken: string | null = null): OidcSessionTokens {
    return {
      refreshToken: result.refreshToken,
      idToken: result.idToken ?? previousIdToken,
      // Without expires_in the claims are checked again after 5 minutes.
      expiresAt: this.now() + (result.expiresIn ?? 300),
    };
  }

  private refresh(tokens: OidcSessionTokens, now: number): Promise<Refreshed> {
    const key = tokens.refreshToken ?? '';
    const at = now * 1000;
    for (const [token, entry] of this.refreshes) if (at - entry.at > REFRESH_REUSE_MS) this.refreshes.delete(token);
    const existing = this.refreshes.get(key);
    if (existing) return existing.result;
    const login = this.settings.oidc?.login;
    if (!login) return Promise.reject(new Error('OIDC is not configured'));
    const result = login.refresh(key).then((answer) => ({
      principal: this.mappedPrincipal(answer),
      tokens: this.tokensFrom(answer, tokens.idToken),
    }));
    this.refreshes.set(key, { result, at });
    // A failed refresh is not reused: the next request may try again (and fail on its own).
    result.catch(() => this.refreshes.delete(key));
    return result;
  }

  private async write(response: HttpResponseLike, session: WebSession): Promise<RequestAuthentication> {
    let cookie = await this.cookieFor(session);
    if (cookie.length > MAX_COOKIE_BYTES && session.oidc?.idToken) {
      // The ID token only serves as logout hint; without it the provider asks the person to confirm.
      session = { ...session, oidc: { ...session.oidc, idToken: null } };
      cookie = await this.cookieFor(session);
    }
    if (cookie.length > MAX_COOKIE_BYTES) throw new SessionTooLargeError(cookie.length);
    appendSetCookie(response, cookie);
    return {
      via: session.via,
      principal: session.principal,
      csrfToken: session.csrf,
      expiresAt: new Date(Math.min(session.idleExpiry, session.absoluteExpiry) * 1000).toISOString(),
    };
  }

  private async cookieFor(session: WebSession): Promise<string> {
    const sealed = await this.settings.codec.seal('session', session);
    return serializeCookie(SESSION_COOKIE, sealed, { maxAge: session.absoluteExpiry - this.now() });
  }
}

/** The provider's claims match no rule of the claim mapping (403 page). */
export class UnmappedUserError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'UnmappedUserError';
  }
}

/** The provider's tokens do not fit into a cookie even without the ID token. */
export class SessionTooLargeError extends Error {
  constructor(readonly bytes: number) {
    super(`The session cookie would have ${bytes} bytes (at most ${MAX_COOKIE_BYTES})`);
    this.name = 'SessionTooLargeError';
  }
}
