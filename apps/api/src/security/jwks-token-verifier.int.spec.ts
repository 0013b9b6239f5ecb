import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { AuthenticationUnavailableError, UnauthenticatedError } from './security.errors.js';
import { JwksTokenVerifier } from './token-verifier.js';

/** A real HTTP JWKS endpoint on loopback, standing in for the identity provider (only the IdP is replaced). */
describe('JwksTokenVerifier (RS256 via a JWKS URL)', () => {
  let server: Server;
  let jwksUrl: string;
  let privateKey: CryptoKey;
  let strangerKey: CryptoKey;
  let served: { keys: JWK[] } = { keys: [] };
  let requests = 0;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    served = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
    server = createServer((_request, response) => {
      requests += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  });

  const options = () => ({ jwksUrl, issuer: 'https://idp.example/realms/jc', audience: 'pruefpfad' });

  const token = (key: CryptoKey, overrides: { aud?: string; kid?: string } = {}) =>
    new SignJWT({ tenant: 'jc-krefeld', roles: ['auditor'], units: [] })
      .setProtectedHeader({ alg: 'RS256', kid: overrides.kid ?? 'k1' })
      .setSubject('a-1')
      .setIssuer('https://idp.example/realms/jc')
      .setAudience(overrides.aud ?? 'pruefpfad')
      .setIssuedAt()
      .setExpirationTime('5 min')
      .sign(key);

  async function rejection(promise: Promise<unknown>): Promise<unknown> {
    try {
      await promise;
    } catch (error) {
      return error;
    }
    throw new Error('expected a rejection');
  }

  it('verifies a token signed by the provider, fetching its keys from the URL', async () => {
    const verifier = new JwksTokenVerifier(options());
    await expect(verifier.verify(await token(privateKey))).resolves.toEqual({
      subject: 'a-1',
      tenant: 'jc-krefeld',
      roles: ['auditor'],
      units: [],
    });
    expect(requests).toBeGreaterThan(0);
  });

  it('rejects a foreign signature, a wrong audience and an HS256 token with 401', async () => {
    const verifier = new JwksTokenVerifier(options());
    const hs256 = await new SignJWT({ tenant: 'jc-krefeld', roles: ['auditor'] })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setSubject('a-1')
      .setIssuer('https://idp.example/realms/jc')
      .setAudience('pruefpfad')
      .setExpirationTime('5 min')
      .sign(new Uint8Array(32).fill(3));
    for (const bad of [await token(strangerKey), await token(privateKey, { aud: 'other-app' }), hs256, 'x.y.z']) {
      expect(await rejection(verifier.verify(bad))).toBeInstanceOf(UnauthenticatedError);
    }
  });

  it('reports an unreachable provider as unavailable (503), not as a bad token', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const verifier = new JwksTokenVerifier({ ...options(), jwksUrl: `http://127.0.0.1:${port}/jwks` });
    const error = await rejection(verifier.verify(await token(privateKey)));
    expect(error).toBeInstanceOf(AuthenticationUnavailableError);
  });
});
