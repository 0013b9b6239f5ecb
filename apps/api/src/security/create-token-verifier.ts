import { HmacTokenVerifier, JwksTokenVerifier, NoBearerTokensVerifier, type TokenVerifier } from './token-verifier.js';

/** The shape of `AppConfig['auth']` (libs/application/src/config.ts). */
export type AuthSettings =
  | { readonly kind: 'local-secret' }
  | { readonly kind: 'none' }
  | {
      readonly kind: 'jwks';
      readonly jwksUrl: string;
      readonly issuer: string | undefined;
      readonly audience: string | undefined;
    };

/**
 * None → every bearer token refused (production with browser sign-in only). Local secret → HS256 (`HmacTokenVerifier`), JWKS URL → RS256 (`JwksTokenVerifier`). With a JWKS
 * URL, issuer and audience are required: an identity provider signs tokens for many applications, and
 * one meant for another of them must not open this API.
 */
export function createTokenVerifier(auth: AuthSettings, signingSecret: Uint8Array | null): TokenVerifier {
  switch (auth.kind) {
    case 'local-secret':
      if (!signingSecret)
        throw new Error('auth.kind "local-secret" needs the signing secret (loadOrCreateSigningSecret)');
      return new HmacTokenVerifier(signingSecret);
    case 'none':
      return new NoBearerTokensVerifier();
    case 'jwks':
      if (!auth.issuer || !auth.audience) {
        throw new Error(
          'JWT_ISSUER und JWT_AUDIENCE sind mit JWT_JWKS_URL Pflicht / JWT_ISSUER and JWT_AUDIENCE are required with JWT_JWKS_URL',
        );
      }
      return new JwksTokenVerifier({ jwksUrl: auth.jwksUrl, issuer: auth.issuer, audience: auth.audience });
  }
}
