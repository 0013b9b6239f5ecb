import type { Browser, Page } from 'playwright-core';
import { DEMO_TENANT, seedDemoMonth } from '../../apps/cli/src/commands/demo.command.js';
import { loadOrCreateSigningSecret } from '../../apps/api/src/security/signing-secret.js';
import { axeViolations, describeWithBrowser, launchChromium, type AxeFinding } from '../support/browser.js';
import { sharedBuild, startService, type RunningService } from '../support/built-service.js';

/**
 * The risk register in the browser (issue 12, 001:107–125), on the built service with the demonstration
 * Jobcenter. Management opens the empty register with its heat map, is told at the field that an appetite
 * line beyond the matrix does not fit and then sets the matrix, identifies a risk found by an external
 * audit, assesses it above the appetite line (score and appetite shown while choosing), accepts it only
 * after confirming against the appetite with a re-check date, and finds it in the heat map's table and the
 * filtered list with the quarterly report's PDF and CSV. The area head reassesses the risk of their area
 * (no strategy form), travels back to the first assessment, identifies a risk of their own area only,
 * consolidates the quarter's team reports and reads the matrix without a form. Management closes the area
 * head's risk with a reason. axe (WCAG 2.1 A/AA) runs on every state visited and must find nothing.
 */
const berlinDay = (date: Date) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Berlin',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(date);
const MONTH = berlinDay(new Date()).slice(0, 7);
const RECHECK = berlinDay(new Date(Date.now() + 30 * 86_400_000));
const QUARTER = { year: Number(MONTH.slice(0, 4)), quarter: Math.ceil(Number(MONTH.slice(5, 7)) / 3) };
const RISK_A = 'Fristversäumnisse bei Widerspruchsbescheiden';
const RISK_B = 'Unvollständige Aktenvermerke nach Umzug';

describeWithBrowser('the risk register in the browser (Chromium, axe)', (executable) => {
  let service: RunningService;
  let browser: Browser;
  let secret: Uint8Array;
  let management: Page;
  let areaHead: Page;
  let riskAUrl = '';
  const findings: { page: string; violations: AxeFinding[] }[] = [];

  const audit = async (page: Page, name: string) => {
    findings.push({ page: name, violations: await axeViolations(page) });
  };

  const signIn = async (label: string): Promise<Page> => {
    const context = await browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin' });
    const page = await context.newPage();
    await page.goto(service.baseUrl);
    await page.getByRole('heading', { name: 'Anmelden', level: 1 }).waitFor();
    await page.getByRole('button', { name: `${label} (${DEMO_TENANT})`, exact: true }).click();
    await page.getByRole('heading', { name: 'Übersicht', level: 1 }).waitFor();
    return page;
  };

  const openNav = async (page: Page, link: string, heading: string | RegExp) => {
    await page.getByRole('navigation').getByRole('link', { name: link, exact: true }).first().click();
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };

  beforeAll(async () => {
    service = await startService(await sharedBuild(), { PRUEFPFAD_ENV: 'development' });
    secret = loadOrCreateSigningSecret(service.dataDir);
    await seedDemoMonth({ baseUrl: service.baseUrl, secret, month: MONTH });
    browser = await launchChromium(executable());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('management opens the empty register with its heat map as an SVG and as a table', async () => {
    management = await signIn('Geschäftsführung');
    await openNav(management, 'Risikoregister', 'Risikoregister');
    await management.getByText('Keine Risiken zu dieser Auswahl.').waitFor();
    const chart = management.locator('figure svg[role="img"]');
    await chart.waitFor();
    expect(await chart.getAttribute('aria-label')).toMatch(/^Heatmap: 0 bewertete offene Risiken auf der Matrix 4 × 4/);
    const table = management.getByRole('table', { name: 'Offene Risiken je Feld der Matrix' });
    // Four impact rows under the header, the highest first.
    await expect(table.getByRole('row').count()).resolves.toBe(5);
    await table
      .getByRole('row', { name: /^4 sehr hoch/ })
      .getByText('0 (Wert 16, über der Risikobereitschaft)')
      .waitFor();
    await table
      .getByRole('row', { name: /^1 gering/ })
      .getByText('0 (Wert 1)', { exact: true })
      .waitFor();
    await audit(management, 'Risikoregister (leer)');
  });

  it('management is told at its field that the appetite line must lie on the matrix, then sets the matrix', async () => {
    await management.getByRole('link', { name: 'Risikomatrix und Risikobereitschaft' }).click();
    await management.getByRole('heading', { level: 1, name: 'Risikomatrix und Risikobereitschaft' }).waitFor();
    await management.getByText('Es gilt die Standardmatrix').waitFor();
    await audit(management, 'Risikomatrix (Standard)');
    const maxScore = management.getByLabel('Risikobereitschaft: höchster hingenommener Wert');
    await maxScore.fill('16');
    await management
      .getByLabel('Begründung der Geschäftsführung')
      .fill('Beschluss der Geschäftsführung vom Quartalsbeginn');
    await management.getByRole('button', { name: 'Matrix festlegen' }).click();
    await management
      .locator('kol-input-text')
      .filter({ has: management.getByRole('textbox', { name: /Risikobereitschaft: höchster/ }) })
      .getByText(/whole number from 1 to 15/)
      .waitFor();
    await audit(management, 'Risikomatrix (Feldfehler)');
    await maxScore.fill('4');
    await management.getByLabel('Schadensausmaß Stufe 1 (deutsch)').fill('gering');
    await management.getByRole('button', { name: 'Matrix festlegen' }).click();
    await management.getByText('Matrix festgelegt.').waitFor();
    await management.getByText(/^Festgelegt von der Geschäftsführung am /).waitFor();
    await audit(management, 'Risikomatrix (festgelegt)');
  });

  it('management identifies a risk found by an external audit, with its area, process and links', async () => {
    await openNav(management, 'Risiko erfassen', 'Risiko erfassen');
    await management.getByLabel('Bezeichnung').fill(RISK_A);
    await management.getByLabel('Beschreibung').fill('Bescheide ergehen nach Ablauf der Frist; Prüffeststellung.');
    await management.getByLabel('Quelle').selectOption({ label: 'Externe Prüfung' });
    await management.getByLabel('Prüfende Stelle').selectOption({ label: 'Bundesrechnungshof' });
    await management.getByLabel(/^Fundstelle/).fill('Prüfmitteilung 2026/3, Tz. 14');
    await management.getByLabel('Bereich', { exact: true }).selectOption({ label: 'Markt und Integration' });
    await management.getByLabel('Prozess').fill('Widerspruchsbearbeitung');
    await management.getByLabel('Mängelkategorien').fill('fristen, dokumentation');
    await management.getByLabel('Teamberichte').fill(`team-mi-1-${QUARTER.year}-Q${QUARTER.quarter}`);
    await audit(management, 'Risiko erfassen');
    await management.getByLabel('Begründung').fill('Feststellung der externen Prüfung');
    await management.getByRole('button', { name: 'Risiko erfassen' }).click();
    await management.getByRole('heading', { level: 1, name: `Risiko: ${RISK_A}` }).waitFor();
    riskAUrl = new URL(management.url()).pathname;
    expect(riskAUrl).toMatch(/^\/risiken\/[0-9a-f-]{36}$/);
    await management.getByText('Externe Prüfung – Bundesrechnungshof (Prüfmitteilung 2026/3, Tz. 14)').waitFor();
    await management.getByText('fristen, dokumentation').waitFor();
    await management.getByText('noch nicht bewertet').first().waitFor();
    // Not assessed yet: no strategy to decide.
    await expect(management.getByRole('heading', { name: 'Strategie entscheiden' }).count()).resolves.toBe(0);
    await audit(management, 'Risiko (erfasst)');
  });

  it('management assesses it on the matrix, with score and appetite shown while choosing the German levels', async () => {
    await management.getByLabel('Schadensausmaß', { exact: true }).selectOption({ label: '3 – hoch' });
    await management
      .getByLabel('Eintrittswahrscheinlichkeit', { exact: true })
      .selectOption({ label: '3 – wahrscheinlich' });
    await management.getByText('Wert 9 – über der Risikobereitschaft (höchstens 4)').waitFor();
    await management.getByLabel('Begründung der Bewertung').fill('Drei Feststellungen in zwei Quartalen');
    await management.getByRole('button', { name: 'Bewerten', exact: true }).click();
    await management.getByText('Risiko bewertet.').waitFor();
    await management
      .getByText(/^3 × 3 = 9 \(hoch × wahrscheinlich\), über der Risikobereitschaft; neu zu bewerten bis /)
      .waitFor();
    await management
      .getByRole('table', { name: 'Bewertungen' })
      .getByText('Drei Feststellungen in zwei Quartalen')
      .waitFor();
    await audit(management, 'Risiko (bewertet)');
  });

  it('management accepts it above the appetite only after confirming, with a re-check date', async () => {
    await management.getByRole('heading', { name: 'Strategie entscheiden' }).waitFor();
    await management.getByRole('radio', { name: 'Vermindern' }).waitFor();
    await management.getByLabel('Maßnahmen (Kennungen)').waitFor();
    await management.getByRole('radio', { name: 'Hinnehmen' }).check();
    await management.getByLabel('Überprüfung spätestens am').fill(RECHECK);
    await management.getByLabel('Begründung der Geschäftsführung').fill('Personalverstärkung ab nächstem Quartal');
    await management.getByRole('button', { name: 'Entscheiden' }).click();
    // Not confirmed: the API refuses, the form keeps the input.
    await management.getByText(/^Das Risiko liegt über der Risikobereitschaft \(Wert 9\)/).waitFor();
    await audit(management, 'Risiko (Hinnahme nicht bestätigt)');
    await management.getByLabel('Hinnahme gegen die Risikobereitschaft bestätigen (Wert 9)').check();
    await management.getByRole('button', { name: 'Entscheiden' }).click();
    await management.getByText('Strategie entschieden.').waitFor();
    await management
      .getByText(/^Hinnehmen \(Überprüfung bis .*, gegen die Risikobereitschaft bestätigt\), entschieden am /)
      .first()
      .waitFor();
    await audit(management, 'Risiko (hingenommen)');
  });

  it('management finds it in the heat map table, the filtered list and the quarterly report', async () => {
    await openNav(management, 'Risikoregister', 'Risikoregister');
    const table = management.getByRole('table', { name: 'Offene Risiken je Feld der Matrix' });
    await table
      .getByRole('row', { name: /^3 hoch/ })
      .getByText('1 (Wert 9, über der Risikobereitschaft)')
      .waitFor();
    expect(await management.locator('figure svg[role="img"]').getAttribute('aria-label')).toMatch(
      /^Heatmap: 1 bewertete offene Risiken auf der Matrix 4 × 4, 1 davon über der Risikobereitschaft/,
    );
    await management.getByLabel('Risikobereitschaft', { exact: true }).selectOption({ label: 'nur innerhalb' });
    await management.getByText('Keine Risiken zu dieser Auswahl.').waitFor();
    await management
      .getByLabel('Risikobereitschaft', { exact: true })
      .selectOption({ label: 'nur über der Risikobereitschaft' });
    const list = management.getByRole('table', { name: 'Risiken des Registers' });
    await list.getByRole('link', { name: RISK_A }).waitFor();
    await list.getByText('Wert 9, über der Risikobereitschaft').waitFor();
    await audit(management, 'Risikoregister (über der Risikobereitschaft)');
    for (const [name, type] of [
      ['PDF', 'application/pdf'],
      ['CSV', 'text/csv'],
    ] as const) {
      const link = management.getByRole('link', { name: new RegExp(`^Risikobericht \\d{4}/Q\\d als ${name}$`) });
      const href = await link.getAttribute('href');
      expect(href).toMatch(new RegExp(`^/api/v1/risk-reports/\\d{4}/Q[1-4]\\.${name.toLowerCase()}$`));
      const response = await management.request.get(`${service.baseUrl}${href!}`);
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toContain(type);
    }
  });

  it('the area head reassesses the risk of their area, without the strategy form, and travels back in time', async () => {
    areaHead = await signIn('Bereichsleitung Markt und Integration');
    await openNav(areaHead, 'Risikoregister', 'Risikoregister');
    await areaHead.getByRole('table', { name: 'Risiken des Registers' }).getByRole('link', { name: RISK_A }).click();
    await areaHead.getByRole('heading', { level: 1, name: `Risiko: ${RISK_A}` }).waitFor();
    await areaHead.getByRole('heading', { level: 2, name: 'Neu bewerten' }).waitFor();
    await expect(areaHead.getByRole('heading', { name: 'Strategie entscheiden' }).count()).resolves.toBe(0);
    await expect(areaHead.getByRole('heading', { name: 'Risiko schließen' }).count()).resolves.toBe(0);
    await audit(areaHead, 'Risiko (Bereichsleitung)');
    await areaHead.getByLabel('Schadensausmaß', { exact: true }).selectOption({ label: '2 – mittel' });
    await areaHead.getByLabel('Eintrittswahrscheinlichkeit', { exact: true }).selectOption({ label: '2 – möglich' });
    await areaHead.getByText('Wert 4 – innerhalb der Risikobereitschaft (höchstens 4)').waitFor();
    await areaHead
      .getByLabel('Begründung der Bewertung')
      .fill('Quartalsweise Neubewertung: Fristenkontrolle eingeführt');
    await areaHead.getByRole('button', { name: 'Neu bewerten', exact: true }).click();
    await areaHead.getByText('Risiko neu bewertet.').waitFor();
    const assessments = areaHead.getByRole('table', { name: 'Bewertungen' });
    await assessments.getByText('Neubewertung', { exact: true }).waitFor();
    await assessments.getByText('Bewertung', { exact: true }).waitFor();
    await audit(areaHead, 'Risiko (neu bewertet)');
    const history = areaHead.getByRole('list', { name: 'Ereignisse des Risikos' });
    await history.getByRole('listitem').nth(3).waitFor();
    const travel = areaHead.locator('section', { has: areaHead.getByRole('heading', { name: 'Zeitreise' }) });
    await travel.getByText('Stand nach Revision 3 von 3').waitFor();
    await travel.getByText(/^2 × 2 = 4, innerhalb der Risikobereitschaft$/).waitFor();
    await areaHead.getByRole('spinbutton', { name: /^Revision/ }).fill('1');
    await travel.getByText('Stand nach Revision 1 von 3').waitFor();
    await travel.getByText(/^3 × 3 = 9, über der Risikobereitschaft$/).waitFor();
    await travel.getByText('noch nicht entschieden').waitFor();
    await audit(areaHead, 'Risiko (Zeitreise Revision 1)');
  });

  it('the area head identifies a risk of their own area only', async () => {
    await openNav(areaHead, 'Risiko erfassen', 'Risiko erfassen');
    const area = areaHead.getByLabel('Bereich', { exact: true });
    await expect(area.locator('option').allTextContents()).resolves.toEqual(['Markt und Integration']);
    await areaHead.getByLabel('Bezeichnung').fill(RISK_B);
    await areaHead.getByLabel('Beschreibung').fill('Nach dem Umzug fehlen Vermerke in den Akten.');
    await areaHead.getByLabel('Quelle').selectOption({ label: 'Ergebnisse der Fachaufsicht' });
    await expect(areaHead.getByLabel('Prüfende Stelle').count()).resolves.toBe(0);
    await areaHead.getByLabel('Prozess').fill('Aktenführung');
    await areaHead.getByLabel('Begründung').fill('Fachaufsicht im Quartal');
    await areaHead.getByRole('button', { name: 'Risiko erfassen' }).click();
    await areaHead.getByRole('heading', { level: 1, name: `Risiko: ${RISK_B}` }).waitFor();
    await areaHead.getByText('Ergebnisse der Fachaufsicht', { exact: true }).waitFor();
    await audit(areaHead, 'Risiko B (Bereichsleitung)');
  });

  it("the area head consolidates the quarter's team reports into the area's risk analysis", async () => {
    await openNav(areaHead, 'Risikoanalysen', 'Risikoanalysen der Bereiche');
    await areaHead.getByText('Für dieses Quartal liegt noch keine Risikoanalyse vor.').waitFor();
    await audit(areaHead, 'Risikoanalysen (leer)');
    await areaHead
      .getByLabel('Einbezogene Teamberichte')
      .fill(`team-mi-1-${QUARTER.year}-Q${QUARTER.quarter}, team-mi-2-${QUARTER.year}-Q${QUARTER.quarter}`);
    await areaHead.getByRole('checkbox', { name: RISK_A }).check();
    await areaHead.getByLabel('Zusammenfassung').fill('Fristen und Aktenführung sind die Schwerpunkte des Quartals.');
    await areaHead.getByLabel('Begründung').fill('Quartalsabschluss');
    await areaHead.getByRole('button', { name: 'Risikoanalyse speichern' }).click();
    await areaHead.getByText('Risikoanalyse gespeichert.').waitFor();
    const row = areaHead
      .getByRole('table', { name: `Risikoanalysen ${QUARTER.year}/Q${QUARTER.quarter}` })
      .getByRole('row', { name: /Markt und Integration/ });
    await row
      .getByText(`team-mi-1-${QUARTER.year}-Q${QUARTER.quarter}, team-mi-2-${QUARTER.year}-Q${QUARTER.quarter}`)
      .waitFor();
    await row.getByText('Fristen und Aktenführung sind die Schwerpunkte des Quartals.').waitFor();
    await audit(areaHead, 'Risikoanalysen (zusammengefasst)');
  });

  it('the area head reads the matrix without a form', async () => {
    await openNav(areaHead, 'Risikoregister', 'Risikoregister');
    await areaHead.getByRole('link', { name: 'Risikomatrix und Risikobereitschaft' }).click();
    await areaHead.getByRole('heading', { level: 1, name: 'Risikomatrix und Risikobereitschaft' }).waitFor();
    await areaHead.getByRole('table', { name: 'Stufen der Matrix' }).getByText('sehr wahrscheinlich').waitFor();
    await expect(areaHead.getByRole('heading', { name: 'Matrix festlegen' }).count()).resolves.toBe(0);
    await audit(areaHead, 'Risikomatrix (Bereichsleitung)');
    await areaHead.context().close();
  });

  it("management closes the area head's risk with a reason and finds it among the closed ones", async () => {
    await openNav(management, 'Risikoregister', 'Risikoregister');
    await management.getByRole('table', { name: 'Risiken des Registers' }).getByRole('link', { name: RISK_B }).click();
    await management.getByRole('heading', { level: 1, name: `Risiko: ${RISK_B}` }).waitFor();
    await management.getByLabel('Grund des Schließens').fill('Vermerke nachgetragen, Ursache behoben');
    await management.getByRole('button', { name: 'Schließen', exact: true }).click();
    await management.getByText(/^geschlossen am .* – Vermerke nachgetragen, Ursache behoben$/).waitFor();
    await expect(management.getByRole('heading', { name: 'Risiko schließen' }).count()).resolves.toBe(0);
    await audit(management, 'Risiko B (geschlossen)');
    await openNav(management, 'Risikoregister', 'Risikoregister');
    await management.getByLabel('Stand', { exact: true }).selectOption({ label: 'geschlossen' });
    // The filter is in the address (bookmarkable); the navigation entry opens the open risks again.
    await management.waitForURL(/\/risiken\?stand=geschlossen$/);
    const list = management.getByRole('table', { name: 'Risiken des Registers' });
    await list.getByRole('link', { name: RISK_B }).waitFor();
    await expect(list.getByRole('link', { name: RISK_A }).count()).resolves.toBe(0);
    await audit(management, 'Risikoregister (geschlossen)');
    await management.context().close();
  });

  it('axe finds no violation on any state visited', () => {
    expect(findings.length).toBeGreaterThanOrEqual(18);
    expect(findings.filter((finding) => finding.violations.length > 0)).toEqual([]);
  });
});
