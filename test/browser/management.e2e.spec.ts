import type { Browser, Page } from 'playwright-core';
import { DEMO_ORGANISATION, DEMO_TENANT, seedDemoMonth } from '../../apps/cli/src/commands/demo.command.js';
import { mintDevelopmentToken } from '../../apps/api/src/security/development-token.js';
import { loadOrCreateSigningSecret } from '../../apps/api/src/security/signing-secret.js';
import {
  axeViolations,
  describeWithBrowser,
  launchChromium,
  screenshotForReadme,
  type AxeFinding,
} from '../support/browser.js';
import { sharedBuild, startService, type RunningService } from '../support/built-service.js';

/**
 * Management in the browser, on the built service (embedded default) with the demonstration month: the
 * Jobcenter dashboard, the trends as an SVG chart (Observable Plot, loaded on demand) with the same
 * figures as a table and the CSV, the report status, the routines, a legal hold, the organisation file and
 * the region. axe (WCAG 2.1 A/AA) runs on every page visited and must find nothing.
 */
const MONTH = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit' }).format(
  new Date(),
);

describeWithBrowser('management in the browser (Chromium, axe)', (executable) => {
  let service: RunningService;
  let browser: Browser;
  let page: Page;
  let reviewId: string;
  const findings: { page: string; violations: AxeFinding[] }[] = [];
  const scripts: string[] = [];

  const audit = async (name: string) => {
    findings.push({ page: name, violations: await axeViolations(page) });
  };

  beforeAll(async () => {
    service = await startService(await sharedBuild(), { PRUEFPFAD_ENV: 'development' });
    const secret = loadOrCreateSigningSecret(service.dataDir);
    const demo = await seedDemoMonth({ baseUrl: service.baseUrl, secret, month: MONTH });
    const bearer = await mintDevelopmentToken({
      secret,
      subject: 'seed-gf',
      tenant: DEMO_TENANT,
      roles: ['management'],
      units: [],
      expiresIn: '1h',
    });
    const samples = (await (
      await fetch(`${service.baseUrl}/api/v1/programmes/${demo.programmeId}/samples?month=${MONTH}`, {
        headers: { Authorization: `Bearer ${bearer}`, 'X-Min-Position': String(demo.position) },
      })
    ).json()) as { items: { cases: { reviewId: string }[] }[] };
    reviewId = samples.items[0]!.cases[0]!.reviewId;
    browser = await launchChromium(executable());
    const context = await browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin' });
    page = await context.newPage();
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('signs in on the development page as management and sees the Jobcenter dashboard', async () => {
    await page.goto(service.baseUrl);
    await page.getByRole('button', { name: 'Geschäftsführung (jc-demo)' }).click();
    await page.getByRole('heading', { name: 'Übersicht', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Jobcenter-Übersicht' }).first().click();
    await page.getByRole('heading', { level: 1, name: /^Jobcenter, / }).waitFor();
    const areas = page.getByRole('table', { name: 'Stand je Bereich' });
    await areas
      .getByRole('row', { name: /Markt und Integration/ })
      .getByText('6 / 6')
      .waitFor();
    await page.getByText('Keine Prüfroutine ist ausgesetzt.').waitFor();
    await audit('Jobcenter');
    await screenshotForReadme(page, 'geschaeftsfuehrung-jobcenter');
  });

  it('shows the trends as an SVG chart loaded on demand, with the same figures as a table and a CSV', async () => {
    const before = scripts.length;
    await page.getByRole('link', { name: 'Entwicklungen', exact: true }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Entwicklungen im Jobcenter' }).waitFor();
    await page.locator('figure svg[role="img"]').first().waitFor();
    // The chart library came as its own script after navigation, not with the first page load.
    expect(scripts.slice(before).length).toBeGreaterThan(0);
    // One table a year: five years of quarters (a year's table has its header row and up to four periods).
    const years = page.getByRole('table', { name: /^Entwicklung \d{4}$/ });
    await years.first().waitFor();
    expect(await years.count()).toBeGreaterThanOrEqual(5);
    const rows = await Promise.all((await years.all()).map((table) => table.getByRole('row').count()));
    expect(rows.reduce((sum, count) => sum + count - 1, 0)).toBeGreaterThanOrEqual(20);
    const current = page.getByRole('table', { name: `Entwicklung ${MONTH.slice(0, 4)}` });
    await current
      .getByRole('row', { name: new RegExp(`^${MONTH.slice(0, 4)}-Q${Math.ceil(Number(MONTH.slice(5)) / 3)} `) })
      .getByText('6')
      .first()
      .waitFor();
    const csv = page.getByRole('link', { name: 'Zahlen als CSV herunterladen' });
    const href = await csv.getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/trends\.csv\?from=\d{4}-\d{2}&to=\d{4}-\d{2}&granularity=quarter$/);
    const response = await page.request.get(`${service.baseUrl}${href!}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('text/csv');
    await audit('Entwicklungen');
    // The chart, not the top of the page: scrolled to the figure (a screenshot shows the viewport).
    await page.locator('figure').first().scrollIntoViewIfNeeded();
    await screenshotForReadme(page, 'geschaeftsfuehrung-entwicklungen');
  });

  it('shows the report status and the routines', async () => {
    await page.getByRole('link', { name: 'Berichtsstand' }).first().click();
    await page.getByRole('heading', { level: 1, name: /^Stand der Quartalsberichte/ }).waitFor();
    await page
      .getByRole('table', { name: 'Berichtsstand je Einheit' })
      .getByText('Team Markt und Integration 1')
      .waitFor();
    await audit('Berichtsstand');
    await page.getByRole('link', { name: 'Prüfroutinen' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Prüfroutinen' }).waitFor();
    await page.getByRole('table', { name: 'Prüfroutinen' }).getByRole('link').first().click();
    await page.getByRole('heading', { level: 1, name: /^Prüfroutine: / }).waitFor();
    await page
      .getByText(/nicht erhoben/)
      .first()
      .waitFor();
    await audit('Prüfroutine');
  });

  it('places a legal hold on a review', async () => {
    await page.getByRole('link', { name: 'Rechtliche Sperren' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Rechtliche Sperren' }).waitFor();
    await page.getByLabel('Kennung der Prüfung').fill(reviewId);
    await page.getByRole('button', { name: 'Stand anzeigen' }).click();
    await page.getByText('Nicht gesperrt.').waitFor();
    await page.getByLabel(/^Begründung der Sperre/).fill('Klageverfahren S 12 AS 345/26');
    await page.getByRole('button', { name: 'Sperre setzen' }).click();
    await page.getByText('Sperre gesetzt.').waitFor();
    await page.getByText(/^Gesperrt seit /).waitFor();
    await audit('Rechtliche Sperren');
  });

  it('loads the organisation file and assigns the region', async () => {
    await page.getByRole('link', { name: 'Organisation und Region' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Organisation und Region' }).waitFor();
    await page.getByRole('table', { name: 'Teams und Teamleitungen' }).getByText('Erika Mustermann').waitFor();
    const file = page.getByLabel('Organisationsdatei (JSON)');
    await file.setInputFiles({
      name: 'organisation.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"areas": ['),
    });
    await page.getByRole('button', { name: 'Organisation laden' }).click();
    await page
      .getByText(/^Die Datei ist kein gültiges JSON/)
      .first()
      .waitFor();
    await file.setInputFiles({
      name: 'organisation.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(DEMO_ORGANISATION)),
    });
    await page.getByRole('button', { name: 'Organisation laden' }).click();
    await page.getByText('Organisation geladen.').waitFor();
    await page.getByText('Noch keiner Region zugeordnet.').waitFor();
    await page.getByLabel(/^Region \(Kennung/).fill('rd-nrw');
    await page.getByRole('button', { name: 'Region zuordnen' }).click();
    await page.getByText(/^Zugeordnet: rd-nrw seit /).waitFor();
    await audit('Organisation');
  });

  it('finds no accessibility violations (axe, WCAG 2.1 A/AA) on any page visited', () => {
    expect(findings.map((finding) => finding.page)).toEqual([
      'Jobcenter',
      'Entwicklungen',
      'Berichtsstand',
      'Prüfroutine',
      'Rechtliche Sperren',
      'Organisation',
    ]);
    expect(findings.filter((finding) => finding.violations.length > 0)).toEqual([]);
  });
});
