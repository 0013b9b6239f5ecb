import * as client from 'openid-client';
import type { OidcConfig } from '@pruefpfad/application';

/** What a code exchange or a refresh yields for the session: the claims to map and the tokens to keep. */
export interface OidcResult {
  readonly claims: Readonly<Record<string, unknown>>;
  readonly refreshToken: string | null;
  readonly idToken: string | null;
  /** Seconds from now until the access token expires (the session refreshes then); null: not said. */
  readonly expiresIn: number | null;
}

export interface LoginRequest {
  readonly url: string;
  readonly codeVerifier: string;
  readonly state: string;
  readonly nonce: string;
}

/** The identity provider answered with an error, or its answer failed a check (state, nonce, signature). */
export class OidcLoginError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OidcLoginError';
  }
}

/**
 * The relying party, on openid-client 6: discovery (once, retried after a failure), the authorisation
 * request with PKCE (S256), state and nonce, the code exchange, the refresh and RP-initiated logout.
 * Claims are the ID token's joined with the UserInfo answer, since many providers put groups only there.
 */
export class OidcLogin {
  private discovered: Promise<client.Configuration> | null = null;

  constructor(
    private readonly settings: OidcConfig,
    /** Plain http to the provider: only outside production (the configuration refuses it there). */
    private readonly allowHttp: boolean,
  ) {}

  private configuration(): Promise<client.Configuration> {
    if (!this.discovered) {
      const { issuer, clientId, clientSecret } = this.settings;
      const insecure = this.allowHttp && issuer.startsWith('http:');
      this.discovered = client
        .discovery(
          new URL(issuer),
          clientId,
          undefined,
          clientSecret === undefined ? client.None() : client.ClientSecretBasic(clientSecret),
          insecure ? { execute: [client.allowInsecureRequests] } : undefined,
        )
        .catch((error: unknown) => {
          this.discovered = null;
          throw new OidcLoginError(`Discovery of ${issuer} failed: ${String(error)}`, { cause: error });
        });
    }
    return this.discovered;
  }

  async begin(redirectUri: string): Promise<LoginRequest> {
    const configuration = await this.configuration();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: this.settings.scopes.join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, codeVerifier, state, nonce };
  }

  /** `callbackUrl`: the redirect URI with the provider's query parameters. */
  async complete(
    callbackUrl: URL,
    checks: { readonly codeVerifier: string; readonly state: string; readonly nonce: string },
  ): Promise<OidcResult> {
    const configuration = await this.configuration();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw new OidcLoginError(`Code exchange failed: ${String(error)}`, { cause: error });
    }
    return this.result(configuration, tokens, null);
  }

  async refresh(refreshToken: string): Promise<OidcResult> {
    const configuration = await this.configuration();
    let tokens: Awaited<ReturnType<typeof client.refreshTokenGrant>>;
    try {
      tokens = await client.refreshTokenGrant(configuration, refreshToken);
    } catch (error) {
      throw new OidcLoginError(`Refresh failed: ${String(error)}`, { cause: error });
    }
    return this.result(configuration, tokens, refreshToken);
  }

  /** The provider's end-session URL for this session, or null when it offers none. */
  async endSessionUrl(idToken: string | null, postLogoutRedirectUri: string): Promise<string | null> {
    const configuration = await this.configuration();
    if (!configuration.serverMetadata().end_session_endpoint) return null;
    const parameters: Record<string, string> = { post_logout_redirect_uri: postLogoutRedirectUri };
    // Without the hint (it may have been dropped for size) the provider identifies the client by its id.
    if (idToken) parameters.id_token_hint = idToken;
    else parameters.client_id = this.settings.clientId;
    return client.buildEndSessionUrl(configuration, parameters).href;
  }

  private async result(
    configuration: client.Configuration,
    tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers,
    previousRefreshToken: string | null,
  ): Promise<OidcResult> {
    const idClaims = tokens.claims();
    let claims: Record<string, unknown> = { ...(idClaims ?? {}) };
    if (configuration.serverMetadata().userinfo_endpoint) {
      try {
        // A refresh may come without an ID token; the access token was issued to us just now, either way.
        const expectedSubject = typeof idClaims?.sub === 'string' ? idClaims.sub : client.skipSubjectCheck;
        const userInfo = await client.fetchUserInfo(configuration, tokens.access_token, expectedSubject);
        claims = { ...claims, ...userInfo };
      } catch (error) {
        throw new OidcLoginError(`UserInfo failed: ${String(error)}`, { cause: error });
      }
    }
    if (typeof claims.sub !== 'string') throw new OidcLoginError('The provider returned no subject (sub)');
    return {
      claims,
      // A provider that does not rotate refresh tokens answers a refresh without a new one.
      refreshToken: tokens.refresh_token ?? previousRefreshToken,
      idToken: tokens.id_token ?? null,
      expiresIn: tokens.expiresIn() ?? null,
    };
  }
}
