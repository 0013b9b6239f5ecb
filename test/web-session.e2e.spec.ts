import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { Clock } from '@pruefpfad/application';
import type { EventStore } from '@pruefpfad/event-store';
import { MailAddressBook } from '../apps/api/src/mail/mail-address-book.js';
import { EVENT_STORE } from '../apps/api/src/runtime/tokens.js';
import { CookieJar } from './support/cookie-jar.js';
import { startOidcTestProvider, type OidcTestProvider } from './support/oidc-test-provider.js';
import { startTestApp, startTestAppWithClock, temporaryDirectories, testConfig, tokenFor } from './support/test-app.js';

const SESSION = '__Host-pruefpfad-session';
const HOST = '127.0.0.1';

/** A clock the test moves: session expiry and token refresh are decided on it. */
class MovableClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advanceMinutes(minutes: number): void {
    this.offsetMs += minutes * 60_000;
  }
}

async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, HOST);
  return `http://${HOST}:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
}

const json = { 'content-type': 'application/json' };

describe('browser login: development login, session cookie, CSRF', () => {
  const dirs = temporaryDirectories();
  const config = testConfig(dirs);
  const clock = new MovableClock();
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    app = await startTestAppWithClock(config, clock);
    base = await listen(app);
    // An organisation, so the people list has team leads, deputies and area heads.
    const management = await tokenFor(config, { roles: ['management'], tenant: 'jc-demo' });
    const loaded = await fetch(`${base}/api/v1/organisation`, {
      method: 'PUT',
      headers: { ...json, authorization: `Bearer ${management}` },
      body: JSON.stringify({
        areas: [
          {
            id: 'markt-integration',
            name: 'Markt und Integration',
            teams: [
              {
                id: 'team-1',
                name: 'Team 1',
                process: 'allgemeine-vermittlung',
                lead: { subject: 'tl-1', name: 'Erika Muster' },
                deputy: { subject: 'dep-1', name: 'Max Vertreter' },
              },
            ],
          },
        ],
      }),
    });
    expect(loaded.status).toBeLessThan(300);
    const { position } = (await loaded.json()) as { position: number };
    // Wait until the read model has the organisation (read-your-writes, no sleep).
    const ready = await fetch(`${base}/api/v1/organisation`, {
      headers: { authorization: `Bearer ${management}`, 'x-min-position': String(position) },
    });
    expect(ready.status).toBe(200);
  });

  afterAll(async () => {
    await app.close();
    dirs.remove();
  });

  const login = async (jar: CookieJar, body: unknown, headers: Record<string, string> = {}) =>
    jar.fetch(`${base}/auth/development/login`, {
      method: 'POST',
      headers: { ...json, ...headers },
      body: JSON.stringify(body),
    });

  it('says which logins exist', async () => {
    const response = await fetch(`${base}/auth/config`);
    expect(await response.json()).toEqual({ oidc: false, development: true });
  });

  it('lists the people of the organisation plus one per remaining role, with German labels', async () => {
    const people = (await (await fetch(`${base}/auth/development/people`)).json()) as {
      tenant: string;
      subject: string;
      roles: string[];
      units: string[];
      label: string;
    }[];
    expect(people).toEqual(
      expect.arrayContaining([
        {
          tenant: 'jc-demo',
          subject: 'tl-1',
          roles: ['team_lead'],
          units: ['team-1'],
          label: 'Teamleitung Team 1 (Bereich Markt und Integration)',
        },
        expect.objectContaining({ subject: 'dep-1', roles: ['deputy'], units: ['team-1'] }),
        expect.objectContaining({
          roles: ['area_head'],
          units: ['markt-integration'],
          label: 'Bereichsleitung Markt und Integration',
        }),
      ]),
    );
    const roles = new Set(people.flatMap((person) => person.roles));
    for (const role of ['management', 'legal', 'auditor', 'operator', 'regional', 'central', 'employee'])
      expect(roles).toContain(role);
    // Labels never carry the sealed names of people.
    expect(JSON.stringify(people)).not.toContain('Erika');
  });

  it('signs in, shows the session, lets the cookie call the API and refuses writes without the CSRF token', async () => {
    const jar = new CookieJar();
    const response = await login(jar, { tenant: 'jc-demo', subject: 'tl-1', roles: ['team_lead'], units: ['team-1'] });
    expect(response.status).toBe(200);
    const setCookie = response.headers.getSetCookie().find((line) => line.startsWith(`${SESSION}=`)) ?? '';
    for (const attribute of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/']) expect(setCookie).toContain(attribute);
    const { session } = (await response.json()) as { session: { csrfToken: string; via: string } };
    expect(session).toMatchObject({ subject: 'tl-1', tenant: 'jc-demo', roles: ['team_lead'], via: 'development' });

    const current = await jar.fetch(`${base}/api/v1/session`);
    expect(current.status).toBe(200);
    const view = (await current.json()) as { csrfToken: string; expiresAt: string };
    expect(view.csrfToken).toBe(session.csrfToken);
    expect(Date.parse(view.expiresAt)).toBeGreaterThan(clock.now().getTime());

    expect((await jar.fetch(`${base}/api/v1/organisation`)).status).toBe(200);

    // A write with the cookie but without the token: 403 problem details, German first.
    const body = JSON.stringify({ from: '2026-07-01', to: '2026-07-02' });
    const refused = await jar.fetch(`${base}/api/v1/organisation/teams/team-1/absences`, {
      method: 'POST',
      headers: json,
      body,
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(await refused.json()).toMatchObject({
      code: 'CSRF_REFUSED',
      detail: expect.stringMatching(/^Der Header X-CSRF-Token fehlt/),
    });
    const wrong = await jar.fetch(`${base}/api/v1/organisation/teams/team-1/absences`, {
      method: 'POST',
      headers: { ...json, 'x-csrf-token': 'not-the-token' },
      body,
    });
    expect(wrong.status).toBe(403);
    const foreign = await jar.fetch(`${base}/api/v1/organisation/teams/team-1/absences`, {
      method: 'POST',
      headers: { ...json, 'x-csrf-token': session.csrfToken, origin: 'https://evil.example' },
      body,
    });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ code: 'CSRF_REFUSED' });
    // With the token (and our own origin) the guard lets it through to the handler.
    const accepted = await jar.fetch(`${base}/api/v1/organisation/teams/team-1/absences`, {
      method: 'POST',
      headers: { ...json, 'x-csrf-token': session.csrfToken, origin: base },
      body,
    });
    expect(accepted.status).not.toBe(401);
    expect(accepted.status).not.toBe(403);
  });

  it('refuses bad input with the offending fields', async () => {
    const response = await login(new CookieJar(), {
      tenant: '',
      subject: 'x',
      roles: ['king'],
      units: 'team-1',
      extra: 1,
    });
    expect(response.status).toBe(400);
    const fields = ((await response.json()) as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['tenant', 'roles', 'units', 'extra']));
  });

  it('refuses a login posted from another origin', async () => {
    const response = await login(
      new CookieJar(),
      { tenant: 'jc-demo', subject: 'tl-1', roles: ['team_lead'], units: ['team-1'] },
      { origin: 'https://evil.example' },
    );
    expect(response.status).toBe(403);
  });

  it('answers 401 (never 500) for a tampered, foreign or garbage cookie', async () => {
    const jar = new CookieJar();
    await login(jar, { tenant: 'jc-demo', subject: 'tl-1', roles: ['team_lead'], units: ['team-1'] });
    const value = jar.get(HOST, SESSION)?.value ?? '';
    const flipped = `${value.slice(0, -3)}${value.at(-3) === 'A' ? 'B' : 'A'}${value.slice(-2)}`;
    for (const forged of [flipped, 'garbage', `${value}x`, '']) {
      jar.set(HOST, SESSION, forged);
      const response = await jar.fetch(`${base}/api/v1/session`);
      expect(response.status).toBe(401);
    }
  });

  it('ends a session after 30 idle minutes, and renews it on use', async () => {
    const jar = new CookieJar();
    await login(jar, { tenant: 'jc-demo', subject: 'tl-1', roles: ['team_lead'], units: ['team-1'] });
    clock.advanceMinutes(20);
    expect((await jar.fetch(`${base}/api/v1/session`)).status).toBe(200);
    clock.advanceMinutes(20); // 40 min after login, but only 20 after the last use
    expect((await jar.fetch(`${base}/api/v1/session`)).status).toBe(200);
    const stale = jar.get(HOST, SESSION)?.value ?? '';
    clock.advanceMinutes(31);
    const expired = await jar.fetch(`${base}/api/v1/session`);
    expect(expired.status).toBe(401);
    // The expired cookie is cleared.
    expect(jar.get(HOST, SESSION)).toBeUndefined();
    expect(stale).not.toBe('');
  });

  it('ends a session at its absolute expiry of 8 hours, however busy', async () => {
    const jar = new CookieJar();
    await login(jar, { tenant: 'jc-demo', subject: 'tl-1', roles: ['team_lead'], units: ['team-1'] });
    for (let minutes = 0; minutes < 8 * 60 - 25; minutes += 25) {
      clock.advanceMinutes(25);
      expect((await jar.fetch(`${base}/api/v1/session`)).status).toBe(200);
    }
    clock.advanceMinutes(25);
    expect((await jar.fetch(`${base}/api/v1/session`)).status).toBe(401);
  });

  it('still serves bearer tokens, without CSRF token, and a bearer wins over a cookie', async () => {
    const token = await tokenFor(config, { roles: ['auditor'], tenant: 'jc-demo', subject: 'machine' });
    const response = await fetch(`${base}/api/v1/session`, { headers: { authorization: `Bearer ${token}` } });
    expect(await response.json()).toEqual({
      subject: 'machine',
      tenant: 'jc-demo',
      roles: ['auditor'],
      units: [],
      via: 'bearer',
      csrfToken: null,
      expiresAt: null,
    });
    const jar = new CookieJar();
    await login(jar, { tenant: 'jc-demo', subject: 'tl-1', roles: ['team_lead'], units: ['team-1'] });
    const both = await jar.fetch(`${base}/api/v1/session`, { headers: { authorization: `Bearer ${token}` } });
    expect(await both.json()).toMatchObject({ subject: 'machine', via: 'bearer' });
    expect((await fetch(`${base}/api/v1/session`)).status).toBe(401);
  });

  it('logs out with the CSRF token only, and the cookie no longer opens anything', async () => {
    const jar = new CookieJar();
    const { session } = (await (
      await login(jar, { tenant: 'jc-demo', subject: 'tl-1', roles: ['team_lead'], units: ['team-1'] })
    ).json()) as { session: { csrfToken: string } };
    expect((await jar.fetch(`${base}/auth/logout`, { method: 'POST' })).status).toBe(403);
    const out = await jar.fetch(`${base}/auth/logout`, {
      method: 'POST',
      headers: { 'x-csrf-token': session.csrfToken },
    });
    expect(out.status).toBe(200);
    expect(await out.json()).toEqual({ logoutUrl: null });
    expect(jar.get(HOST, SESSION)).toBeUndefined();
    expect((await jar.fetch(`${base}/api/v1/session`)).status).toBe(401);
  });
});

describe('browser login in production', () => {
  const dirs = temporaryDirectories();
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    const config = testConfig(dirs, {
      PRUEFPFAD_ENV: 'production',
      PRUEFPFAD_MASTER_KEY: randomBytes(32).toString('base64'),
      JWT_JWKS_URL: 'https://idp.invalid/jwks',
      JWT_ISSUER: 'https://idp.invalid',
      JWT_AUDIENCE: 'pruefpfad',
    });
    app = await startTestApp(config);
    base = await listen(app);
  });
  afterAll(async () => {
    await app.close();
    dirs.remove();
  });

  it('refuses the development login with a German and English message', async () => {
    expect(await (await fetch(`${base}/auth/config`)).json()).toEqual({ oidc: false, development: false });
    const people = await fetch(`${base}/auth/development/people`);
    expect(people.status).toBe(403);
    expect(await people.json()).toMatchObject({
      code: 'DEVELOPMENT_LOGIN_DISABLED',
      detail: expect.stringMatching(
        /^Die Entwicklungsanmeldung ist abgeschaltet.* \/ The development login is disabled/,
      ),
    });
    const login = await fetch(`${base}/auth/development/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ tenant: 'jc-demo', subject: 'x', roles: ['management'], units: [] }),
    });
    expect(login.status).toBe(403);
    expect(login.headers.getSetCookie()).toEqual([]);
  });
});

describe('browser login with OpenID Connect (a real oidc-provider)', () => {
  const dirs = temporaryDirectories();
  const clock = new MovableClock();
  let provider: OidcTestProvider;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    provider = await startOidcTestProvider({ accessTokenSeconds: 600 });
    provider.accounts.set('alice', ['pp-jc-demo-team-1-lead']);
    provider.accounts.set('bob', ['some-other-application']);
    const mappingFile = path.join(dirs.root, 'mapping.json');
    fs.mkdirSync(dirs.root, { recursive: true });
    fs.writeFileSync(
      mappingFile,
      JSON.stringify({
        groupsClaim: 'groups',
        rules: [
          { group: 'pp-jc-demo-team-1-lead', tenant: 'jc-demo', roles: ['team_lead'], units: ['team-1'] },
          { group: 'pp-jc-demo-management', tenant: 'jc-demo', roles: ['management'] },
        ],
      }),
    );
    const config = testConfig(dirs, {
      PRUEFPFAD_OIDC_ISSUER: provider.issuer,
      PRUEFPFAD_OIDC_CLIENT_ID: provider.clientId,
      PRUEFPFAD_OIDC_CLIENT_SECRET: provider.clientSecret,
      PRUEFPFAD_OIDC_SCOPES: 'openid groups',
      PRUEFPFAD_OIDC_CLAIM_MAPPING_FILE: mappingFile,
    });
    app = await startTestAppWithClock(config, clock);
    base = await listen(app);
    provider.registerClient(base);
  });
  afterAll(async () => {
    await app.close();
    await provider.close();
    dirs.remove();
  });

  /** Login at the app → provider → login and consent forms → callback; answers the callback's response. */
  async function signIn(jar: CookieJar, account: string, returnTo = '/dashboards?tab=2'): Promise<Response> {
    let response = await jar.fetch(`${base}/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
    expect(response.status).toBe(302);
    let location = response.headers.get('location') ?? '';
    expect(location.startsWith(`${provider.issuer}/`)).toBe(true);
    const authorize = new URL(location);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    for (const name of ['code_challenge', 'state', 'nonce']) expect(authorize.searchParams.get(name)).toBeTruthy();
    for (let step = 0; step < 12; step += 1) {
      if (location.startsWith(`${base}/`)) return jar.fetch(location);
      const url = new URL(location, provider.issuer).href;
      const interaction = /\/interaction\/([\w-]+)$/.exec(new URL(url).pathname);
      if (interaction) {
        const form = await jar.fetch(url);
        const action = /action="([^"]+)"/.exec(await form.text())?.[1] ?? '';
        response = await jar.fetch(new URL(action, provider.issuer).href, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: action.endsWith('/login') ? new URLSearchParams({ login: account }).toString() : '',
        });
      } else {
        response = await jar.fetch(url);
      }
      expect([302, 303]).toContain(response.status);
      location = response.headers.get('location') ?? '';
    }
    throw new Error('the login did not come back to the app');
  }

  it('says OIDC is available', async () => {
    expect(await (await fetch(`${base}/auth/config`)).json()).toEqual({ oidc: true, development: true });
  });

  it('runs the whole flow: login, consent, callback, session, API call, CSRF refusal, logout', async () => {
    const jar = new CookieJar();
    const callback = await signIn(jar, 'alice');
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe('/dashboards?tab=2');
    expect(jar.get(HOST, '__Host-pruefpfad-login')).toBeUndefined();
    const sessionCookie = jar.get(HOST, SESSION);
    expect(sessionCookie?.attributes).toEqual(expect.arrayContaining(['HttpOnly', 'Secure', 'SameSite=Strict']));
    expect(`${SESSION}=${sessionCookie?.value ?? ''}`.length).toBeLessThan(4000);

    const session = (await (await jar.fetch(`${base}/api/v1/session`)).json()) as Record<string, unknown>;
    expect(session).toMatchObject({
      subject: 'alice',
      tenant: 'jc-demo',
      roles: ['team_lead'],
      units: ['team-1'],
      via: 'oidc',
    });
    expect((await jar.fetch(`${base}/api/v1/organisation`)).status).toBe(200);
    const refused = await jar.fetch(`${base}/api/v1/organisation/teams/team-1/absences`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ from: '2026-07-01', to: '2026-07-02' }),
    });
    expect(refused.status).toBe(403);

    const out = await jar.fetch(`${base}/auth/logout`, {
      method: 'POST',
      headers: { 'x-csrf-token': String(session.csrfToken), origin: base },
    });
    expect(out.status).toBe(200);
    const { logoutUrl } = (await out.json()) as { logoutUrl: string };
    const end = new URL(logoutUrl);
    expect(end.origin).toBe(provider.issuer);
    expect(end.searchParams.get('id_token_hint')).toBeTruthy();
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${base}/`);
    expect((await jar.fetch(`${base}/api/v1/session`)).status).toBe(401);
    // The provider accepts the hint: it shows its logout confirmation rather than an error.
    expect((await jar.fetch(logoutUrl)).status).toBe(200);
  });

  it('shows a German page with a way back to a person without a mapping', async () => {
    const jar = new CookieJar();
    const callback = await signIn(jar, 'bob');
    expect(callback.status).toBe(403);
    expect(callback.headers.get('content-type')).toContain('text/html');
    const page = await callback.text();
    expect(page).toContain('<html lang="de">');
    expect(page).toContain('Kein Zugang zu Prüfpfad');
    expect(page.indexOf('Kein Zugang')).toBeLessThan(page.indexOf('No access'));
    expect(page).toContain('href="/"');
    expect(jar.get(HOST, SESSION)).toBeUndefined();
  });

  it('shows a page (400) when the provider answers with an error or the state does not match', async () => {
    const jar = new CookieJar();
    const started = await jar.fetch(`${base}/auth/login`);
    const state = new URL(started.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const denied = await jar.fetch(`${base}/auth/callback?error=access_denied&state=${state}`);
    expect(denied.status).toBe(400);
    expect(await denied.text()).toContain('Anmeldung fehlgeschlagen');
    // No login under way (no state cookie): refused as well, without a session.
    const stray = await new CookieJar().fetch(`${base}/auth/callback?code=x&state=y`);
    expect(stray.status).toBe(400);
  });

  it('never redirects elsewhere after login (open redirect)', async () => {
    for (const returnTo of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
      const callback = await signIn(new CookieJar(), 'alice', returnTo);
      expect(callback.headers.get('location')).toBe('/');
    }
  });

  it('refreshes expired tokens and maps the claims again; a refused refresh ends the session', async () => {
    const jar = new CookieJar();
    await signIn(jar, 'alice');
    expect(await (await jar.fetch(`${base}/api/v1/session`)).json()).toMatchObject({ roles: ['team_lead'] });

    // Promoted at the provider: the next refresh brings the new group, and the session the new role.
    provider.accounts.set('alice', ['pp-jc-demo-management']);
    expect(await (await jar.fetch(`${base}/api/v1/session`)).json()).toMatchObject({ roles: ['team_lead'] });
    clock.advanceMinutes(11); // past the access token's 10 minutes, within the 30 idle minutes
    const refreshed = await jar.fetch(`${base}/api/v1/session`);
    expect(refreshed.status).toBe(200);
    expect(await refreshed.json()).toMatchObject({ subject: 'alice', roles: ['management'], units: [] });

    // Gone at the provider: the refresh is refused and the session ends.
    provider.accounts.delete('alice');
    clock.advanceMinutes(11);
    expect((await jar.fetch(`${base}/api/v1/session`)).status).toBe(401);
    expect(jar.get(HOST, SESSION)).toBeUndefined();
  });
});

describe("the e-mail claim of an OIDC sign-in goes to the deadline digest's address book", () => {
  const dirs = temporaryDirectories();
  let provider: OidcTestProvider;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    provider = await startOidcTestProvider({ accessTokenSeconds: 600 });
    provider.accounts.set('carla', ['pp-jc-demo-team-1-lead']);
    const mappingFile = path.join(dirs.root, 'mapping.json');
    fs.mkdirSync(dirs.root, { recursive: true });
    fs.writeFileSync(
      mappingFile,
      JSON.stringify({
        groupsClaim: 'groups',
        rules: [
          { group: 'pp-jc-demo-team-1-lead', tenant: 'jc-demo', roles: ['team_lead'], units: ['team-1'] },
          { group: 'pp-jc-demo-management', tenant: 'jc-demo', roles: ['management'] },
        ],
      }),
    );
    const config = testConfig(dirs, {
      PRUEFPFAD_OIDC_ISSUER: provider.issuer,
      PRUEFPFAD_OIDC_CLIENT_ID: provider.clientId,
      PRUEFPFAD_OIDC_CLIENT_SECRET: provider.clientSecret,
      PRUEFPFAD_OIDC_SCOPES: 'openid groups email',
      PRUEFPFAD_OIDC_CLAIM_MAPPING_FILE: mappingFile,
    });
    app = await startTestApp(config);
    base = await listen(app);
    provider.registerClient(base);
  });
  afterAll(async () => {
    await app.close();
    await provider.close();
    dirs.remove();
  });

  /** Login at the app → provider → login and consent forms → callback (as in the flow above). */
  async function signIn(account: string): Promise<void> {
    const jar = new CookieJar();
    let response = await jar.fetch(`${base}/auth/login?returnTo=%2F`);
    let location = response.headers.get('location') ?? '';
    for (let step = 0; step < 12 && !location.startsWith(`${base}/`); step += 1) {
      const url = new URL(location, provider.issuer).href;
      if (/\/interaction\/[\w-]+$/.test(new URL(url).pathname)) {
        const action = /action="([^"]+)"/.exec(await (await jar.fetch(url)).text())?.[1] ?? '';
        response = await jar.fetch(new URL(action, provider.issuer).href, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: action.endsWith('/login') ? new URLSearchParams({ login: account }).toString() : '',
        });
      } else {
        response = await jar.fetch(url);
      }
      location = response.headers.get('location') ?? '';
    }
    expect((await jar.fetch(location)).status).toBe(302);
    expect((await jar.fetch(`${base}/api/v1/session`)).status).toBe(200);
  }

  const recorded = async () =>
    (await app.get<EventStore>(EVENT_STORE).readStream('mail-addresses-jc-demo')).filter(
      (event) => event.type === 'MailAddressRecorded',
    );

  it('records the address with the mapped roles and units, sealed, and again only when something changed', async () => {
    expect(await recorded()).toHaveLength(0);
    await signIn('carla');
    expect(await app.get(MailAddressBook).recipients('jc-demo')).toEqual([
      {
        principal: { subject: 'carla', tenant: 'jc-demo', roles: ['team_lead'], units: ['team-1'] },
        address: 'carla@example.test',
      },
    ]);
    const [first] = await recorded();
    expect(first?.metadata.actor).toEqual({ userId: 'carla', role: 'team_lead' });
    expect(first?.data).toMatchObject({ subject: 'carla', source: 'login', roles: ['team_lead'], units: ['team-1'] });
    // Sealed in the event store: the address is not there in clear.
    expect(JSON.stringify(first)).not.toContain('carla@example.test');

    // The same sign-in again changes nothing and writes nothing.
    await signIn('carla');
    expect(await recorded()).toHaveLength(1);

    // Promoted at the provider: the next sign-in records the new role.
    provider.accounts.set('carla', ['pp-jc-demo-management']);
    await signIn('carla');
    expect(await recorded()).toHaveLength(2);
    expect((await app.get(MailAddressBook).recipients('jc-demo'))[0]?.principal).toMatchObject({
      roles: ['management'],
      units: [],
    });
  });
});
