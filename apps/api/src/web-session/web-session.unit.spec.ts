import { parseWebSession, safeReturnTo } from './web-session.js';
import { readCookie, serializeCookie } from './cookies.js';
import { SessionCodec } from './session-codec.js';

describe('safeReturnTo (no open redirect)', () => {
  it.each([
    ['/dashboards?tab=2#x', '/dashboards?tab=2#x'],
    ['/reviews/r-1', '/reviews/r-1'],
    ['https://evil.example/', '/'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['\\\\evil.example', '/'],
    ['javascript:alert(1)', '/'],
    ['/ok\r\nSet-Cookie: x=y', '/'],
    ['/auth/login', '/'],
    ['', '/'],
    [undefined, '/'],
    [['/a', '/b'], '/'],
  ])('%j → %s', (raw, expected) => {
    expect(safeReturnTo(raw)).toBe(expected);
  });
});

describe('session cookie sealing', () => {
  const session = {
    v: 1,
    via: 'development',
    principal: { subject: 'tl-1', tenant: 'jc-demo', roles: ['team_lead'], units: ['team-1'] },
    csrf: 'c',
    issuedAt: 1,
    absoluteExpiry: 2,
    idleExpiry: 2,
  };

  it('opens what it sealed, and nothing sealed for another purpose or with another key', async () => {
    const codec = new SessionCodec(new Uint8Array(32).fill(1));
    const sealed = await codec.seal('session', session);
    expect(parseWebSession(await codec.open('session', sealed))).toEqual(session);
    expect(await codec.open('login-state', sealed)).toBeNull();
    expect(await new SessionCodec(new Uint8Array(32).fill(2)).open('session', sealed)).toBeNull();
    expect(await codec.open('session', `${sealed.slice(0, -2)}AA`)).toBeNull();
    expect(await codec.open('session', 'not.a.jwe.at.all')).toBeNull();
  });

  it('refuses decrypted content of the wrong shape (unknown role, missing fields)', () => {
    expect(parseWebSession({ ...session, principal: { ...session.principal, roles: ['king'] } })).toBeNull();
    expect(parseWebSession({ ...session, csrf: undefined })).toBeNull();
    expect(parseWebSession({ ...session, via: 'oidc' })).toBeNull();
  });
});

describe('cookies', () => {
  it('reads one cookie among others and writes __Host- attributes', () => {
    expect(readCookie('a=1; __Host-x=two; b=3', '__Host-x')).toBe('two');
    expect(readCookie(undefined, 'a')).toBeUndefined();
    expect(serializeCookie('__Host-x', 'v', { maxAge: 60 })).toBe(
      '__Host-x=v; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=60',
    );
    expect(() => serializeCookie('x', 'a;b')).toThrow();
  });
});
