import type { Browser, Page } from 'playwright-core';
import { DEMO_ORGANISATION, DEMO_TENANT } from '../../apps/cli/src/commands/demo.command.js';
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
 * An area head's month in the browser, on the built service (embedded default): the demonstration
 * organisation, questionnaire and programme are set up over HTTP; in the browser the area head uploads
 * the month's population (first a file with a bad line, whose error is shown with its line number), draws,
 * recomputes a team's draw, revises the programme with the staff council's participation, and looks at the
 * area dashboard, the consolidated team reports and the questionnaires. axe runs on every page visited.
 */
const MONTH = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit' }).format(
  new Date(),
);
const AREA = 'markt-integration';
const PROCESS = 'allgemeine-vermittlung';
const QUESTIONNAIRE_TITLE =
  'Verlaufsbezogene Kundenbetrachtung – allgemeine Arbeitsvermittlung inkl. beschäftigungsorientiertem Fallmanagement';

function population(badLine: boolean): string {
  const rows = ['caseReference;customerGroup;team;process;needs16a'];
  for (const team of ['team-mi-1', 'team-mi-2']) {
    for (let i = 0; i < 12; i += 1) {
      rows.push(
        `${team === 'team-mi-1' ? 111 : 222}D${100000 + i};${i % 2 === 0 ? 'u25' : 'ue25'};${team};${PROCESS};nein`,
      );
    }
  }
  // Line 4 of the file: a team the organisation does not know.
  if (badLine) rows[3] = `111D999999;u25;team-unbekannt;${PROCESS};nein`;
  return `${rows.join('\n')}\n`;
}

describeWithBrowser('an area head’s month in the browser (Chromium, axe)', (executable) => {
  let service: RunningService;
  let browser: Browser;
  let page: Page;
  const findings: { page: string; violations: AxeFinding[] }[] = [];

  const audit = async (name: string) => {
    findings.push({ page: name, violations: await axeViolations(page) });
  };

  beforeAll(async () => {
    service = await startService(await sharedBuild(), { PRUEFPFAD_ENV: 'development' });
    const secret = loadOrCreateSigningSecret(service.dataDir);
    const token = (role: 'management' | 'area_head', units: string[]) =>
      mintDevelopmentToken({
        secret,
        subject: `seed-${role}`,
        tenant: DEMO_TENANT,
        roles: [role],
        units,
        expiresIn: '1h',
      });
    let position = 0;
    const call = async (bearer: string, method: string, path: string, body: unknown) => {
      const response = await fetch(`${service.baseUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${bearer}`,
          'Content-Type': 'application/json',
          ...(position > 0 ? { 'X-Min-Position': String(position) } : {}),
        },
        body: JSON.stringify(body),
      });
      const answer = (await response.json()) as { id?: string; position?: number };
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
      if (typeof answer.position === 'number' && answer.position > position) position = answer.position;
      return answer;
    };
    const management = await token('management', []);
    const areaHead = await token('area_head', [AREA]);
    await call(management, 'PUT', '/api/v1/organisation', DEMO_ORGANISATION);
    const questionnaire = await call(areaHead, 'POST', '/api/v1/questionnaires', {
      catalogue: 'verlaufsbezogene-kundenbetrachtung',
      validFrom: '2020-01-01',
    });
    await call(areaHead, 'POST', '/api/v1/programmes', {
      settings: {
        title: 'Verlaufsbezogene Kundenbetrachtung Markt und Integration',
        areaId: AREA,
        customerProcess: PROCESS,
        questionnaireId: questionnaire.id,
        minimumCasesPerTeamLead: 3,
        drawnBy: 'area_head',
      },
      reason: 'Einführung',
    });
    browser = await launchChromium(executable());
    const context = await browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin' });
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('signs in on the development page as the area head', async () => {
    await page.goto(service.baseUrl);
    await page.getByRole('heading', { name: 'Anmelden', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Bereichsleitung Markt und Integration (jc-demo)' }).click();
    await page.getByRole('heading', { name: 'Übersicht', level: 1 }).waitFor();
    await page.getByText(`(Bereichsleitung, ${DEMO_TENANT})`).waitFor();
  });

  it('opens the programme and revises it with reason and staff council', async () => {
    await page.getByRole('link', { name: 'Prüfpläne und Ziehung' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Prüfpläne' }).waitFor();
    await page.getByRole('table', { name: 'Prüfpläne' }).getByRole('link').first().waitFor();
    await audit('Prüfpläne');
    await page.getByRole('table', { name: 'Prüfpläne' }).getByRole('link').first().click();
    await page.getByRole('heading', { level: 1, name: /^Prüfplan: / }).waitFor();
    await audit('Prüfplan');
    await page.getByLabel('Mindestens Fälle je Teamleitung und Monat').fill('4');
    await page.getByLabel('Begründung der Änderung').fill('Risikobewertung Q3: mehr Fälle');
    await page.getByLabel(/^Personalrat beteiligt/).check();
    await page.getByLabel('Datum der Beteiligung').fill('2026-01-15');
    await page.getByRole('button', { name: /^Änderung speichern/ }).click();
    await page.getByText('Änderung gespeichert.').waitFor();
    const history = page.getByRole('table', { name: 'Änderungshistorie' });
    await history.getByText('Risikobewertung Q3: mehr Fälle').waitFor();
    await history.getByText(/zugestimmt/).waitFor();
  });

  it('uploads the population: a bad line is named next to the file, a good file is imported', async () => {
    await page.getByRole('link', { name: 'Grundgesamtheit hochladen und ziehen' }).click();
    await page.getByRole('heading', { level: 1, name: /^Ziehung / }).waitFor();
    const file = page.getByLabel('Datei der Grundgesamtheit (CSV oder JSON)');
    await file.setInputFiles({ name: 'fehlerhaft.csv', mimeType: 'text/csv', buffer: Buffer.from(population(true)) });
    await page.getByRole('button', { name: 'Hochladen' }).click();
    const errors = page.getByRole('table', { name: 'Fehler in der Datei' });
    await errors.waitFor();
    await expect(errors.getByRole('row').nth(1).getByRole('cell').first().textContent()).resolves.toContain('4');
    await audit('Ziehung (Datei mit Fehlern)');
    await file.setInputFiles({
      name: `grundgesamtheit-${MONTH}.csv`,
      mimeType: 'text/csv',
      buffer: Buffer.from(population(false)),
    });
    await page.getByRole('button', { name: 'Hochladen' }).click();
    await page.getByText('Grundgesamtheit mit 24 Zeilen importiert.').waitFor();
    await page
      .getByRole('table', { name: 'Grundgesamtheiten des Monats' })
      .getByText(`grundgesamtheit-${MONTH}.csv`)
      .waitFor();
  });

  it('draws for every team and verifies a team’s draw', async () => {
    await page.getByRole('button', { name: 'Für alle Teams des Bereichs ziehen' }).click();
    const samples = page.getByRole('table', { name: 'Stichproben des Monats' });
    await samples.getByRole('link', { name: 'team-mi-1' }).waitFor();
    await audit('Ziehung (gezogen)');
    // The draw's result and the month's samples in view, not the upload form above them.
    await samples.scrollIntoViewIfNeeded();
    await screenshotForReadme(page, 'bereich-ziehung');
    await samples.getByRole('link', { name: 'team-mi-1' }).click();
    await page.getByRole('heading', { level: 1, name: /^Stichprobe team-mi-1/ }).waitFor();
    expect(await page.getByRole('table', { name: 'Gezogene Fälle' }).getByRole('row').count()).toBe(5); // header + 4
    await page.getByRole('button', { name: 'Ziehung nachrechnen' }).click();
    await page.getByText('Die Ziehung ist nachvollziehbar: Nachrechnung stimmt überein.').waitFor();
    await audit('Stichprobe');
  });

  it('sees the area dashboard with the drawn cases per team and the measures per team', async () => {
    await page
      .getByRole('link', { name: `Bereich ${AREA}` })
      .first()
      .click();
    await page.getByRole('heading', { level: 1, name: /^Bereich Markt und Integration/ }).waitFor();
    const teams = page.getByRole('table', { name: 'Stand je Team' });
    await teams
      .getByRole('row', { name: /Team Markt und Integration 1/ })
      .getByText('4 / 4')
      .waitFor();
    await page
      .getByRole('table', { name: /^Offene Maßnahmen/ })
      .getByText('Bereich insgesamt')
      .waitFor();
    await audit('Bereich');
    await screenshotForReadme(page, 'bereich-uebersicht');
  });

  it('opens a drawn review of the area and sees its questionnaire by title and version', async () => {
    await page.goto(`${service.baseUrl}/teams/team-mi-1/arbeitsliste?monat=${MONTH}`);
    await page.getByRole('heading', { level: 1, name: /^Arbeitsliste team-mi-1/ }).waitFor();
    await page.getByRole('table', { name: 'Gezogene Fälle' }).getByRole('link').first().click();
    await page.getByRole('heading', { level: 1, name: /^Prüfung / }).waitFor();
    // The review names the questionnaire only by id; the page shows its title, version and validity.
    await page
      .locator('dl.facts dd')
      .getByText(`${QUESTIONNAIRE_TITLE}, Version 1 (gültig ab 01.01.2020)`, { exact: true })
      .waitFor();
    await audit('Prüfung');
  });

  it('sees the consolidated team reports and the questionnaires', async () => {
    await page
      .getByRole('link', { name: `Teamberichte ${AREA}` })
      .first()
      .click();
    await page.getByRole('heading', { level: 1, name: /^Teamberichte Q/ }).waitFor();
    await page.getByRole('table', { name: 'Teamberichte' }).getByText('Bereich insgesamt').waitFor();
    await audit('Teamberichte');
    await page.getByRole('link', { name: 'Fragebögen' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Fragebögen' }).waitFor();
    await page.getByRole('table', { name: 'Fragebögen' }).getByRole('link').first().waitFor();
    await audit('Fragebögen');
    await page.getByRole('table', { name: 'Fragebögen' }).getByRole('link').first().click();
    await page.getByRole('heading', { level: 1, name: /^Fragebogen: / }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Regionale Ergänzungen' }).waitFor();
    await audit('Fragebogen');
  });

  it('finds no accessibility violations (axe, WCAG 2.1 A/AA) on any page visited', () => {
    expect(findings.map((finding) => finding.page)).toEqual([
      'Prüfpläne',
      'Prüfplan',
      'Ziehung (Datei mit Fehlern)',
      'Ziehung (gezogen)',
      'Stichprobe',
      'Bereich',
      'Prüfung',
      'Teamberichte',
      'Fragebögen',
      'Fragebogen',
    ]);
    expect(findings.filter((finding) => finding.violations.length > 0)).toEqual([]);
  });
});
