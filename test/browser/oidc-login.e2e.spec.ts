import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, describeWithBrowser, launchChromium } from '../support/browser.js';
import { sharedBuild, startService, type RunningService } from '../support/built-service.js';
import { startOidcTestProvider, type OidcTestProvider } from '../support/oidc-test-provider.js';

/**
 * The production login in the browser: the built service as backend-for-frontend against a real OpenID
 * provider started in-process (`oidc-provider`), through its own login and consent pages. A person
 * whose groups the claim mapping does not know gets the German "no access" page, not a blank screen.
 */
describeWithBrowser('browser login through OpenID Connect (Chromium, oidc-provider)', (executable) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-oidc-'));
  let provider: OidcTestProvider;
  let service: RunningService;
  let browser: Browser;

  beforeAll(async () => {
    provider = await startOidcTestProvider({ accessTokenSeconds: 600 });
    provider.accounts.set('erika', ['pp-jc-demo-team-mi-1-lead']);
    provider.accounts.set('unbekannt', ['eine-andere-anwendung']);
    const mapping = path.join(dir, 'mapping.json');
    fs.writeFileSync(
      mapping,
      JSON.stringify({
        groupsClaim: 'groups',
        rules: [{ group: 'pp-jc-demo-team-mi-1-lead', tenant: 'jc-demo', roles: ['team_lead'], units: ['team-mi-1'] }],
      }),
    );
    service = await startService(await sharedBuild(), {
      PRUEFPFAD_ENV: 'development',
      PRUEFPFAD_DEVELOPMENT_LOGIN: 'off',
      PRUEFPFAD_OIDC_ISSUER: provider.issuer,
      PRUEFPFAD_OIDC_CLIENT_ID: provider.clientId,
      PRUEFPFAD_OIDC_CLIENT_SECRET: provider.clientSecret,
      PRUEFPFAD_OIDC_SCOPES: 'openid groups',
      PRUEFPFAD_OIDC_CLAIM_MAPPING_FILE: mapping,
    });
    provider.registerClient(service.baseUrl);
    browser = await launchChromium(executable());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    await provider?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const freshPage = async (): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin' });
    return { context, page: await context.newPage() };
  };

  const signInAtProvider = async (page: Page, account: string) => {
    await page.goto(service.baseUrl);
    await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
    expect(await page.getByText('Entwicklungsanmeldung').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Mit dem Dienstkonto anmelden' }).click();
    await page.getByRole('heading', { level: 1, name: 'Anmelden beim Test-Anmeldedienst' }).waitFor();
    await page.getByLabel('Benutzername').fill(account);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByRole('button', { name: 'Zustimmen' }).click();
  };

  it('signs a mapped person in through the provider’s pages, and out again', async () => {
    const { context, page } = await freshPage();
    await signInAtProvider(page, 'erika');
    await page.getByRole('heading', { level: 1, name: 'Übersicht' }).waitFor();
    await page.getByText('Angemeldet: erika (Teamleitung, jc-demo)').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Abmelden' }).click();
    // RP-initiated logout: the provider's end-session page, then no session at the app any more.
    await page.waitForURL((url) => url.origin === provider.issuer);
    const session = await context.request.get(`${service.baseUrl}/api/v1/session`);
    expect(session.status()).toBe(401);
    await context.close();
  });

  it('shows a person without a mapping the German “no access” page', async () => {
    const { context, page } = await freshPage();
    await signInAtProvider(page, 'unbekannt');
    await page.getByText('Kein Zugang zu Prüfpfad').first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
    expect((await context.request.get(`${service.baseUrl}/api/v1/session`)).status()).toBe(401);
    await context.close();
  });
});
