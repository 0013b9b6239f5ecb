import type { Browser, Page } from 'playwright-core';
import { DEMO_TENANT, seedDemoMonth } from '../../apps/cli/src/commands/demo.command.js';
import { mintDevelopmentToken } from '../../apps/api/src/security/development-token.js';
import { loadOrCreateSigningSecret } from '../../apps/api/src/security/signing-secret.js';
import { axeViolations, describeWithBrowser, launchChromium, type AxeFinding } from '../support/browser.js';
import { sharedBuild, startService, type RunningService } from '../support/built-service.js';

/**
 * The monthly team indicators in the browser (issue 12, 004:100), on the built service with the
 * demonstration Jobcenter. The team lead of team-mi-1 opens the empty month, uploads a file with a broken
 * line (the line is named next to the file, nothing is imported), then a good file of ready counts and
 * reads the figures as a table and as bars; is told at the comment that amber needs one, rates with a
 * comment and a measure of the team, proposes the team risk and agrees a shorter contact interval. The
 * area head opens the area overview (team-mi-2's small cell reads "unterdrückt"), confirms the team lead's
 * proposal on the team's page and finds the joint risk in the overview. axe runs on every state visited.
 */
const berlinDay = (date: Date) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Berlin',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(date);
const MONTH = berlinDay(new Date()).slice(0, 7);
/** The indicators of the month that ended last (its reference date, the last day, lies in the past). */
const PREVIOUS = (() => {
  const [year, month] = MONTH.split('-').map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
})();
const TEAM_LEAD = 'Teamleitung Team Markt und Integration 1 (Bereich Markt und Integration)';
const AREA_HEAD = 'Bereichsleitung Markt und Integration';
const HEADER = 'kind;indicator;eligible;fulfilled;fulfilledWide;usedSlots;possibleSlots';
const BAD_FILE = [HEADER, 'count;first-consultation;12;9;;;', 'count;counselling-contact;vierzig;28;;;'].join('\n');
const GOOD_FILE = [
  HEADER,
  'count;first-consultation;12;9;;;',
  'count;counselling-contact;40;28;;;',
  'count;graduate-management;8;5;7;;',
  'capacity;;;;;72;96',
].join('\n');
const MEASURE = 'Zusätzliche Sprechstunde für Beratungskontakte';

describeWithBrowser('the monthly team indicators in the browser (Chromium, axe)', (executable) => {
  let service: RunningService;
  let browser: Browser;
  let teamLead: Page;
  let areaHead: Page;
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
    const secret = loadOrCreateSigningSecret(service.dataDir);
    await seedDemoMonth({ baseUrl: service.baseUrl, secret, month: MONTH });
    const post = async (subject: string, units: string[], path: string, body: string, contentType: string) => {
      const token = await mintDevelopmentToken({
        secret,
        subject,
        tenant: DEMO_TENANT,
        roles: ['team_lead'],
        units,
        expiresIn: '1h',
      });
      const response = await fetch(`${service.baseUrl}${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
        body,
      });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    };
    // A measure of team-mi-1 to link to a rating.
    await post(
      'tl-mi-1',
      ['team-mi-1'],
      '/api/v1/teams/team-mi-1/measures',
      JSON.stringify({
        kind: 'process-change',
        scope: 'team',
        owner: 'Teamleitung',
        description: MEASURE,
        dueDate: berlinDay(new Date(Date.now() + 30 * 86_400_000)),
      }),
      'application/json',
    );
    // team-mi-2 has 2 new customers only: a small cell once it leaves the team.
    await post(
      'tl-mi-2',
      ['team-mi-2'],
      `/api/v1/teams/team-mi-2/indicators/${PREVIOUS}/import`,
      JSON.stringify({
        rows: [
          { kind: 'count', indicator: 'first-consultation', eligible: 2, fulfilled: 2 },
          { kind: 'count', indicator: 'counselling-contact', eligible: 30, fulfilled: 27 },
        ],
      }),
      'application/json',
    );
    browser = await launchChromium(executable());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('the team lead opens the empty month and is shown the broken line of a file next to it, nothing imported', async () => {
    teamLead = await signIn(TEAM_LEAD);
    await openNav(teamLead, 'Kennzahlen team-mi-1', /^Kennzahlen team-mi-1: /);
    await teamLead.goto(`${service.baseUrl}/teams/team-mi-1/kennzahlen?monat=${PREVIOUS}`);
    await teamLead.getByRole('heading', { level: 1, name: /^Kennzahlen team-mi-1: / }).waitFor();
    await teamLead.getByText('Für diesen Monat sind noch keine Kennzahlen importiert.').waitFor();
    await audit(teamLead, 'Kennzahlen (leer)');
    const file = teamLead.getByLabel('Datei der Kennzahlen (CSV oder JSON)');
    await file.setInputFiles({
      name: 'kennzahlen-fehlerhaft.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(BAD_FILE),
    });
    await teamLead.getByRole('button', { name: 'Importieren' }).click();
    const errors = teamLead.getByRole('table', { name: 'Fehler in der Datei' });
    await errors.waitFor();
    const firstError = errors.getByRole('row').nth(1);
    await expect(firstError.getByRole('cell').first().textContent()).resolves.toContain('3');
    await firstError.getByText('eligible', { exact: true }).waitFor();
    await teamLead.getByText(/Die Datei enthält 1 Fehler; nichts wurde importiert/).waitFor();
    await audit(teamLead, 'Kennzahlen (Datei mit Fehlern)');
    await teamLead.reload();
    await teamLead.getByText('Für diesen Monat sind noch keine Kennzahlen importiert.').waitFor();
  });

  it('the team lead imports a good file and reads the counts and shares as a table and as bars', async () => {
    const file = teamLead.getByLabel('Datei der Kennzahlen (CSV oder JSON)');
    await file.setInputFiles({
      name: `kennzahlen-${PREVIOUS}.csv`,
      mimeType: 'text/csv',
      buffer: Buffer.from(GOOD_FILE),
    });
    await teamLead.getByRole('button', { name: 'Importieren' }).click();
    await teamLead.getByText('Kennzahlen importiert (Import Nr. 1).').waitFor();
    const table = teamLead.getByRole('table', { name: 'Kennzahlen des Monats: Anzahlen und Anteile' });
    await table.waitFor();
    const contact = table.getByRole('row', { name: /^Beratungskontakt in 6 Monaten/ });
    await contact.getByText('40', { exact: true }).waitFor();
    await contact.getByText('28', { exact: true }).waitFor();
    await contact.getByText('70 %', { exact: true }).waitFor();
    await table
      .getByRole('row', { name: /^Absolventenmanagement/ })
      .getByText('62,5 %')
      .waitFor();
    await table
      .getByRole('row', { name: /^Beratungskapazität/ })
      .getByText('75 %')
      .waitFor();
    const chart = teamLead.locator('figure svg[role="img"]');
    expect(await chart.getAttribute('aria-label')).toBe(
      'Anteile des Monats: Erstberatung Neukunden: 75 %; Beratungskontakt in 6 Monaten: 70 %; ' +
        'Absolventenmanagement: 62,5 %; Beratungskapazität: 75 %',
    );
    // A replacement now asks for its reason.
    await teamLead.getByRole('heading', { name: 'Import ersetzen' }).waitFor();
    await audit(teamLead, 'Kennzahlen (importiert)');
  });

  it('the team lead is told that amber needs a comment, then rates with a comment and a measure', async () => {
    const name = 'Beratungskontakt in 6 Monaten';
    await teamLead
      .getByRole('radiogroup', { name: `Bewertung: ${name}` })
      .or(teamLead.getByRole('group', { name: `Bewertung: ${name}` }))
      .getByLabel('gelb')
      .check();
    await teamLead.getByRole('button', { name: `Bewertung speichern: ${name}` }).click();
    await teamLead.getByText('Bei Gelb und Rot die eingeleiteten Maßnahmen beschreiben (004:100)').waitFor();
    await audit(teamLead, 'Kennzahlen (Bewertung ohne Kommentar)');
    await teamLead
      .getByLabel(`Kommentar und eingeleitete Maßnahmen: ${name} (bei gelb oder rot Pflicht)`)
      .fill('Rückstand nach Krankheitsausfällen; zusätzliche Sprechstunde eingerichtet.');
    await teamLead
      .getByRole('group', { name: `Maßnahmen des Teams zu: ${name}` })
      .getByLabel(new RegExp(`^${MEASURE}`))
      .check();
    await teamLead.getByRole('button', { name: `Bewertung speichern: ${name}` }).click();
    await teamLead.getByText(`Bewertung gespeichert: ${name}.`).waitFor();
    const ratings = teamLead.getByRole('table', { name: 'Bewertungen je Kennzahl' });
    const row = ratings.getByRole('row', { name: new RegExp(`^${name}`) });
    await row.getByText('gelb', { exact: true }).waitFor();
    await row.getByText('Rückstand nach Krankheitsausfällen; zusätzliche Sprechstunde eingerichtet.').waitFor();
    await teamLead
      .getByRole('navigation', { name: 'Verknüpfte Maßnahmen' })
      .getByRole('link', { name: new RegExp(`^${MEASURE}`) })
      .waitFor();
    await audit(teamLead, 'Kennzahlen (bewertet)');
  });

  it('the team lead proposes the team risk on the matrix with a reason', async () => {
    // The matrix in force, by its German labels (team leads read it: risk.matrix.read).
    await teamLead.getByLabel('Schadensausmaß', { exact: true }).selectOption({ label: '3 hoch' });
    await teamLead.getByLabel('Eintrittswahrscheinlichkeit', { exact: true }).selectOption({ label: '2 möglich' });
    await teamLead.getByText('Wert 6', { exact: true }).waitFor();
    await teamLead.getByLabel('Begründung des Vorschlags').fill('Beratungskontakte unter Plan, Ursache bekannt');
    await teamLead.getByRole('button', { name: 'Vorschlagen' }).click();
    await teamLead.getByText('Vorschlag gespeichert; die andere Seite bestätigt.').waitFor();
    await teamLead
      .getByText(/^Vorschlag der Teamleitung: Schadensausmaß 3 hoch, Eintrittswahrscheinlichkeit 2 möglich, Wert 6/)
      .waitFor();
    // The proposing side does not confirm its own proposal.
    await expect(teamLead.getByRole('button', { name: 'Vorschlag bestätigen' }).count()).resolves.toBe(0);
    await audit(teamLead, 'Kennzahlen (Teamrisiko vorgeschlagen)');
  });

  it('the team lead agrees a shorter contact interval for the team', async () => {
    await teamLead.getByRole('link', { name: 'Teamvereinbarung zu den Kennzahlen' }).click();
    await teamLead.getByRole('heading', { level: 1, name: 'Teamvereinbarung zu den Kennzahlen team-mi-1' }).waitFor();
    await teamLead.getByText('Es gelten die Standardwerte.').waitFor();
    await audit(teamLead, 'Teamvereinbarung (Standard)');
    await teamLead.getByLabel('Beratungsabstand in Monaten').fill('4');
    await teamLead.getByLabel('Begründung (Teamvereinbarung)').fill('Teambesprechung: engere Kontaktdichte');
    await teamLead.getByRole('button', { name: 'Vereinbarung speichern' }).click();
    await teamLead.getByText('Teamvereinbarung gespeichert.').waitFor();
    await teamLead.getByText('Vom Team vereinbart.').waitFor();
    await teamLead
      .getByRole('table', { name: 'Geltende Einstellungen' })
      .getByRole('row', { name: /^Beratungsabstand \(Monate\)/ })
      .getByText('4', { exact: true })
      .waitFor();
    await audit(teamLead, 'Teamvereinbarung (vereinbart)');
    await teamLead.context().close();
  });

  it('the area head opens the overview with the small cell suppressed and confirms the proposal', async () => {
    areaHead = await signIn(AREA_HEAD);
    await openNav(
      areaHead,
      'Kennzahlen des Bereichs markt-integration',
      /^Kennzahlen des Bereichs markt-integration: /,
    );
    const overview = areaHead.getByRole('table', { name: 'Kennzahlen je Team' });
    await overview.waitFor().catch(async (error: unknown) => {
      throw new Error(`${String(error)}\n${await areaHead.locator('main').innerText()}`);
    });
    await overview
      .getByRole('row', { name: /^team-mi-2/ })
      .getByText('unterdrückt')
      .first()
      .waitFor();
    await overview
      .getByRole('row', { name: /^team-mi-1/ })
      .getByText('vorgeschlagen, noch nicht bestätigt')
      .waitFor();
    await overview
      .getByRole('row', { name: /^team-mi-1/ })
      .getByText('70 % (gelb)')
      .waitFor();
    await audit(areaHead, 'Bereichsübersicht (vorgeschlagen)');
    await overview.getByRole('link', { name: 'team-mi-1' }).click();
    await areaHead.getByRole('heading', { level: 1, name: /^Kennzahlen team-mi-1: / }).waitFor();
    await areaHead
      .getByText(/^Vorschlag der Teamleitung: Schadensausmaß 3 hoch, Eintrittswahrscheinlichkeit 2 /)
      .waitFor();
    // The area head does not rate the indicators: no rating forms.
    await expect(areaHead.getByRole('button', { name: /^Bewertung speichern/ }).count()).resolves.toBe(0);
    await audit(areaHead, 'Kennzahlen (Bereichsleitung, Vorschlag)');
    await areaHead.getByRole('button', { name: 'Vorschlag bestätigen' }).click();
    await areaHead.getByText('Teamrisiko gemeinsam bewertet.').waitFor();
    await areaHead
      .getByText(/^Gemeinsam bewertet am .*: Schadensausmaß 3 hoch, .*Wert 6.*bestätigt: Bereichsleitung\)/)
      .waitFor();
    await audit(areaHead, 'Kennzahlen (Teamrisiko gemeinsam bewertet)');
  });

  it('the area head finds the joint risk in the overview', async () => {
    await openNav(
      areaHead,
      'Kennzahlen des Bereichs markt-integration',
      /^Kennzahlen des Bereichs markt-integration: /,
    );
    const overview = areaHead.getByRole('table', { name: 'Kennzahlen je Team' });
    await overview
      .getByRole('row', { name: /^team-mi-1/ })
      .getByText(/^Schadensausmaß 3 hoch, Eintrittswahrscheinlichkeit 2 .*, Wert 6/)
      .waitFor();
    await audit(areaHead, 'Bereichsübersicht (gemeinsam bewertet)');
    await areaHead.context().close();
  });

  it('axe finds no violation on any state visited', () => {
    expect(findings.length).toBeGreaterThanOrEqual(11);
    expect(findings.filter((finding) => finding.violations.length > 0)).toEqual([]);
  });
});
