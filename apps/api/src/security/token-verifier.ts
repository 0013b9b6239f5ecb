import {
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyOptions,
  type RemoteJWKSetOptions,
} from 'jose';
import { isRole, type Principal, type Role } from '@pruefpfad/domain';
import { AuthenticationUnavailableError, UnauthenticatedError } from './security.errors.js';

/** Turns a bearer token into a verified principal, or throws `UnauthenticatedError` (401). */
export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

/** Issuer and audience of the tokens the embedded default mints and accepts. */
export const DEVELOPMENT_ISSUER = 'pruefpfad-local';
export const DEVELOPMENT_AUDIENCE = 'pruefpfad-api';

export interface ClaimChecks {
  readonly issuer?: string | string[];
  readonly audience?: string | string[];
  /** Seconds of clock skew tolerated for `exp` and `nbf`. Default 30. */
  readonly clockToleranceSeconds?: number;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/**
 * Claims → principal: `sub`, `tenant`, `roles` (non-empty array of known roles), `units` (array of org
 * unit ids; absent means none), optional `region`. Anything else is a 401: a token we cannot read fully
 * grants nothing, rather than less than its issuer meant.
 */
export function principalFromClaims(payload: JWTPayload): Principal {
  const { sub, tenant, roles, units, region } = payload;
  if (!isNonEmptyString(sub)) throw new UnauthenticatedError('Token has no subject (sub)');
  if (!isNonEmptyString(tenant)) throw new UnauthenticatedError('Token has no tenant claim');
  if (!Array.isArray(roles) || roles.length === 0) throw new UnauthenticatedError('Token has no roles claim');
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length > 0)
    throw new UnauthenticatedError(`Token carries unknown roles: ${unknown.map(String).join(', ')}`);
  if (units !== undefined && !(Array.isArray(units) && units.every(isNonEmptyString)))
    throw new UnauthenticatedError('Token units claim is not an array of unit ids');
  if (region !== undefined && !isNonEmptyString(region))
    throw new UnauthenticatedError('Token region claim is not a string');
  return {
    subject: sub,
    tenant,
    roles: [...new Set(roles as Role[])],
    units: [...new Set(units ?? [])],
    ...(region !== undefined ? { region } : {}),
  };
}

function verifyOptions(algorithm: 'HS256' | 'RS256', checks: ClaimChecks): JWTVerifyOptions {
  return {
    algorithms: [algorithm],
    // A token without expiry would be valid forever.
    requiredClaims: ['exp', 'sub'],
    clockTolerance: checks.clockToleranceSeconds ?? 30,
    ...(checks.issuer !== undefined ? { issuer: checks.issuer } : {}),
    ...(checks.audience !== undefined ? { audience: checks.audience } : {}),
  };
}

/**
 * Production where people sign in through OIDC and no identity provider for machines is configured
 * (no `JWT_JWKS_URL`): every bearer token is refused (401), the browser session is the only way in.
 */
export class NoBearerTokensVerifier implements TokenVerifier {
  verify(): Promise<Principal> {
    return Promise.reject(
      new UnauthenticatedError('Bearer tokens are not set up in this installation (no JWT_JWKS_URL)'),
    );
  }
}

/** The embedded default: HS256 with the local signing secret (see `loadOrCreateSigningSecret`). */
export class HmacTokenVerifier implements TokenVerifier {
  private readonly options: JWTVerifyOptions;

  constructor(
    private readonly secret: Uint8Array,
    checks: ClaimChecks = { issuer: DEVELOPMENT_ISSUER, audience: DEVELOPMENT_AUDIENCE },
  ) {
    if (secret.byteLength < 32) throw new Error('The HS256 signing secret must have at least 32 bytes');
    this.options = verifyOptions('HS256', checks);
  }

  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.secret, this.options));
    } catch (error) {
      throw new UnauthenticatedError(`Token rejected: ${String(error)}`, { cause: error });
    }
    return principalFromClaims(payload);
  }
}

export interface JwksVerifierOptions {
  readonly jwksUrl: string | URL;
  /** Required in production: a token of another issuer or for another audience must not pass. */
  readonly issuer: string | string[];
  readonly audience: string | string[];
  readonly clockToleranceSeconds?: number;
  readonly jwks?: RemoteJWKSetOptions;
}

/** JOSE failures that say the key set could not be had, rather than that the token is bad. */
const KEY_SET_UNAVAILABLE = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID']);

/** Production: RS256 tokens of an OIDC provider, keys fetched (and cached) from its JWKS URL. */
export class JwksTokenVerifier implements TokenVerifier {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;
  private readonly options: JWTVerifyOptions;

  constructor(options: JwksVerifierOptions) {
    this.keys = createRemoteJWKSet(new URL(options.jwksUrl), options.jwks);
    this.options = verifyOptions('RS256', options);
  }

  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, this.options));
    } catch (error) {
      if (!(error instanceof joseErrors.JOSEError) || KEY_SET_UNAVAILABLE.has(error.code)) {
        // Network failures surface as plain errors from fetch: the IdP is unreachable, the token may be fine.
        throw new AuthenticationUnavailableError(`JWKS unavailable: ${String(error)}`, { cause: error });
      }
      throw new UnauthenticatedError(`Token rejected: ${String(error)}`, { cause: error });
    }
    return principalFromClaims(payload);
  }
}
