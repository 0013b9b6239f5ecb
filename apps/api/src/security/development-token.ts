import { SignJWT } from 'jose';
import { isRole, type Role } from '@pruefpfad/domain';
import { DEVELOPMENT_AUDIENCE, DEVELOPMENT_ISSUER } from './token-verifier.js';

export interface DevelopmentTokenRequest {
  readonly secret: Uint8Array;
  readonly subject: string;
  readonly tenant: string;
  readonly roles: readonly Role[];
  readonly units?: readonly string[];
  readonly region?: string;
  /** A jose duration (`'8h'`, `'30 min'`) or seconds since the epoch. Default `'8h'`. */
  readonly expiresIn?: string | number;
  readonly issuer?: string;
  readonly audience?: string;
  /** Issued-at, seconds since the epoch; defaults to now (the CLI, unlike the domain, may read the clock). */
  readonly issuedAt?: number;
}

/** Mints an HS256 token for the embedded default, accepted by `HmacTokenVerifier` with the same secret. */
export async function mintDevelopmentToken(request: DevelopmentTokenRequest): Promise<string> {
  const unknown = request.roles.filter((role) => !isRole(role));
  if (request.roles.length === 0 || unknown.length > 0) {
    throw new Error(
      `Unbekannte oder fehlende Rolle: ${unknown.join(', ') || '(keine)'} / Unknown or missing role: ${unknown.join(', ') || '(none)'}`,
    );
  }
  if (!request.subject || !request.tenant)
    throw new Error('Subjekt und Mandant sind Pflicht / Subject and tenant are required');
  return new SignJWT({
    tenant: request.tenant,
    roles: [...request.roles],
    units: [...(request.units ?? [])],
    ...(request.region !== undefined ? { region: request.region } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.subject)
    .setIssuer(request.issuer ?? DEVELOPMENT_ISSUER)
    .setAudience(request.audience ?? DEVELOPMENT_AUDIENCE)
    .setIssuedAt(request.issuedAt)
    .setExpirationTime(request.expiresIn ?? '8h')
    .sign(request.secret);
}
