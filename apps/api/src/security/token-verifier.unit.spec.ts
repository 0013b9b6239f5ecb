import { SignJWT, UnsecuredJWT, generateKeyPair } from 'jose';
import { mintDevelopmentToken } from './development-token.js';
import { UnauthenticatedError } from './security.errors.js';
import { DEVELOPMENT_AUDIENCE, DEVELOPMENT_ISSUER, HmacTokenVerifier, principalFromClaims } from './token-verifier.js';
import { createTokenVerifier } from './create-token-verifier.js';

const secret = new Uint8Array(64).map((_, i) => (i * 37 + 11) % 256);
const verifier = new HmacTokenVerifier(secret);

const base = { secret, subject: 'tl-1', tenant: 'jc-heinsberg', roles: ['team_lead'] as const, units: ['team-1'] };

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

function signed(claims: Record<string, unknown>, options: { exp?: string | null; iss?: string; aud?: string } = {}) {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('u-1').setIssuedAt();
  jwt = jwt.setIssuer(options.iss ?? DEVELOPMENT_ISSUER).setAudience(options.aud ?? DEVELOPMENT_AUDIENCE);
  if (options.exp !== null) jwt = jwt.setExpirationTime(options.exp ?? '5 min');
  return jwt.sign(secret);
}

describe('HmacTokenVerifier with development tokens', () => {
  it('accepts a minted token and maps its claims to the principal', async () => {
    const token = await mintDevelopmentToken({
      ...base,
      roles: ['team_lead', 'employee'],
      region: 'nrw',
      expiresIn: '1h',
    });
    await expect(verifier.verify(token)).resolves.toEqual({
      subject: 'tl-1',
      tenant: 'jc-heinsberg',
      roles: ['team_lead', 'employee'],
      units: ['team-1'],
      region: 'nrw',
    });
  });

  it('accepts the hand-signed control token the rejections below each break in one way', async () => {
    await expect(
      verifier.verify(await signed({ tenant: 't', roles: ['employee'], units: ['team-1'] })),
    ).resolves.toMatchObject({
      subject: 'u-1',
      roles: ['employee'],
    });
  });

  it.each([
    ['another secret', async () => mintDevelopmentToken({ ...base, secret: new Uint8Array(64).fill(1) })],
    ['an expired token', async () => mintDevelopmentToken({ ...base, issuedAt: 1_000_000, expiresIn: 1_000_060 })],
    ['another issuer', async () => mintDevelopmentToken({ ...base, issuer: 'evil' })],
    ['another audience', async () => mintDevelopmentToken({ ...base, audience: 'other-app' })],
    ['no expiry', async () => signed({ tenant: 't', roles: ['employee'] }, { exp: null })],
    ['an unknown role', async () => signed({ tenant: 't', roles: ['employee', 'superuser'] })],
    ['no roles', async () => signed({ tenant: 't', roles: [] })],
    ['roles as a string', async () => signed({ tenant: 't', roles: 'management' })],
    ['no tenant', async () => signed({ roles: ['employee'] })],
    ['units not a list of ids', async () => signed({ tenant: 't', roles: ['employee'], units: 'team-1' })],
    [
      'an unsigned token',
      () =>
        Promise.resolve(
          new UnsecuredJWT({ tenant: 't', roles: ['employee'] }).setSubject('x').setExpirationTime('5 min').encode(),
        ),
    ],
    [
      'an RS256 token (algorithm confusion)',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return new SignJWT({ tenant: 't', roles: ['employee'] })
          .setProtectedHeader({ alg: 'RS256' })
          .setSubject('x')
          .setIssuer(DEVELOPMENT_ISSUER)
          .setAudience(DEVELOPMENT_AUDIENCE)
          .setExpirationTime('5 min')
          .sign(privateKey);
      },
    ],
    ['garbage', () => Promise.resolve('not.a.jwt')],
  ])('rejects %s with UnauthenticatedError', async (_name, token) => {
    const error = await rejection(verifier.verify(await token()));
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => new HmacTokenVerifier(new Uint8Array(16))).toThrow(/32 bytes/);
  });
});

describe('principalFromClaims', () => {
  it('defaults units to none, drops duplicates, keeps region optional', () => {
    expect(principalFromClaims({ sub: 's', tenant: 't', roles: ['employee', 'employee'] })).toEqual({
      subject: 's',
      tenant: 't',
      roles: ['employee'],
      units: [],
    });
  });
});

describe('mintDevelopmentToken', () => {
  it('refuses unknown or missing roles', async () => {
    await expect(mintDevelopmentToken({ ...base, roles: [] })).rejects.toThrow(/Unknown or missing role/);
    await expect(mintDevelopmentToken({ ...base, roles: ['root' as 'employee'] })).rejects.toThrow(/root/);
  });
});

describe('createTokenVerifier', () => {
  it('builds the HS256 verifier from the local secret and insists on issuer and audience for JWKS', async () => {
    const local = createTokenVerifier({ kind: 'local-secret' }, secret);
    await expect(local.verify(await mintDevelopmentToken(base))).resolves.toMatchObject({ subject: 'tl-1' });
    expect(() => createTokenVerifier({ kind: 'local-secret' }, null)).toThrow(/signing secret/);
    expect(() =>
      createTokenVerifier(
        { kind: 'jwks', jwksUrl: 'https://idp.example/jwks', issuer: undefined, audience: 'a' },
        null,
      ),
    ).toThrow(/JWT_ISSUER/);
  });

  it('refuses every bearer token where none are set up (production with browser sign-in only)', async () => {
    const none = createTokenVerifier({ kind: 'none' }, secret);
    expect(await rejection(none.verify(await mintDevelopmentToken(base)))).toBeInstanceOf(UnauthenticatedError);
  });
});
