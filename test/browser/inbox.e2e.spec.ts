import type { Browser, Page } from 'playwright-core';
import { DEMO_TENANT, seedDemoMonth } from '../../apps/cli/src/commands/demo.command.js';
import { mintDevelopmentToken } from '../../apps/api/src/security/development-token.js';
import { loadOrCreateSigningSecret } from '../../apps/api/src/security/signing-secret.js';
import { axeViolations, describeWithBrowser, launchChromium, type AxeFinding } from '../support/browser.js';
import { sharedBuild, startService, type RunningService } from '../support/built-service.js';

/**
 * Each person's inbox of deadlines in the browser (issue 12, item 4), on the built service with the
 * demonstration Jobcenter: a team lead with a due measure and an overdue quarterly report, the team lead
 * of another team who sees neither, an employee with nothing due (the empty state), and management
 * queuing today's e-mail digest (no mail server configured: the answer says so). axe (WCAG 2.1 A/AA)
 * runs on every state and must find nothing.
 */
// The service runs on a shifted clock (PRUEFPFAD_TEST_CLOCK_START, test environment only): the month of
// March 2026 is drawn and a measure agreed, then the service restarts on the same stores in April, after
// the 15th, when team-mi-1's Q1 report is overdue and the measure falls due within the 14-day horizon.
const MONTH = '2026-03';
const IN_THE_MONTH = '2026-03-10T08:00:00Z';
const AFTER_THE_REPORT_DAY = '2026-04-16T08:00:00Z';
const MEASURE_DUE = '2026-04-24';
const serviceEnv = (now: string) => ({ PRUEFPFAD_ENV: 'test', PRUEFPFAD_TEST_CLOCK_START: now });

const LEAD_1 = 'Teamleitung Team Markt und Integration 1 (Bereich Markt und Integration)';
const LEAD_2 = 'Teamleitung Team Markt und Integration 2 (Bereich Markt und Integration)';

describeWithBrowser('each person’s inbox of deadlines in the browser (Chromium, axe)', (executable) => {
  let service: RunningService;
  let browser: Browser;
  const findings: { page: string; violations: AxeFinding[] }[] = [];

  const audit = async (page: Page, name: string) => {
    findings.push({ page: name, violations: await axeViolations(page) });
  };

  const signIn = async (label: string | RegExp): Promise<Page> => {
    const context = await browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin' });
    await context.clock.install({ time: new Date(AFTER_THE_REPORT_DAY) });
    const page = await context.newPage();
    await page.goto(service.baseUrl);
    await page.getByRole('heading', { name: 'Anmelden', level: 1 }).waitFor();
    await page
      .getByRole(
        'button',
        typeof label === 'string' ? { name: `${label} (${DEMO_TENANT})`, exact: true } : { name: label },
      )
      .click();
    await page.getByRole('heading', { name: 'Übersicht', level: 1 }).waitFor();
    return page;
  };

  const openInbox = async (page: Page) => {
    await page.getByRole('navigation').getByRole('link', { name: 'Posteingang', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Posteingang' }).waitFor();
    await page.getByText('Stand 16.04.2026:').waitFor();
  };

  beforeAll(async () => {
    const build = await sharedBuild();
    service = await startService(build, serviceEnv(IN_THE_MONTH));
    const secret = loadOrCreateSigningSecret(service.dataDir);
    const demo = await seedDemoMonth({ baseUrl: service.baseUrl, secret, month: MONTH });
    const lead = await mintDevelopmentToken({
      secret,
      subject: 'tl-mi-1',
      tenant: DEMO_TENANT,
      roles: ['team_lead'],
      units: ['team-mi-1'],
      expiresIn: '1h',
    });
    const agreed = await fetch(`${service.baseUrl}/api/v1/teams/team-mi-1/measures`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${lead}`,
        'Content-Type': 'application/json',
        'X-Min-Position': String(demo.position),
      },
      body: JSON.stringify({
        kind: 'process-change',
        scope: 'team',
        owner: 'Teamleitung',
        description: 'Ablage der Eingliederungsvereinbarungen vereinheitlichen',
        dueDate: MEASURE_DUE,
      }),
    });
    if (agreed.status !== 201) throw new Error(`measure: ${agreed.status} ${await agreed.text()}`);
    await service.stop({ keepStores: true });
    service = await startService(build, serviceEnv(AFTER_THE_REPORT_DAY), service.dirs);
    browser = await launchChromium(executable());
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('shows a team lead the due measure and the overdue report, counted per kind, by due date, with links', async () => {
    const page = await signIn(LEAD_1);
    // The overview says first what is overdue, and leads to the inbox.
    await page.getByRole('link', { name: /^[1-9]\d* überfällig, \d+ bald fällig – zum Posteingang$/ }).waitFor();
    await audit(page, 'Übersicht mit Fristen');
    await openInbox(page);
    await page.getByText(/^\d+ überfällig, \d+ fällig$/).waitFor();
    const counts = page.getByRole('table', { name: 'Anzahl der Fristen nach Art' });
    await counts.getByRole('row', { name: /Maßnahmen/ }).waitFor();
    // Overdue in words, not by colour alone.
    await counts.getByRole('row', { name: /Quartalsberichte der Teams.*1 überfällig/ }).waitFor();
    const list = page.getByRole('table', { name: 'Fristen nach Fälligkeit' });
    const report = list.getByRole('link', {
      name: 'Quartalsberichte der Teams – team-mi-1, überfällig am 15.04.2026',
    });
    await expect(report.getAttribute('href')).resolves.toBe('/teams/team-mi-1/berichte/2026/1');
    const measure = list.getByRole('link', { name: 'Maßnahmen – team-mi-1, fällig am 24.04.2026' });
    await expect(measure.getAttribute('href')).resolves.toBe('/teams/team-mi-1/massnahmen');
    // Sorted by due date: the overdue report (15 April) comes before the measure (24 April).
    const links = await list.getByRole('link').allTextContents();
    expect(links.findIndex((text) => text.includes('überfällig am 15.04.2026'))).toBeLessThan(
      links.findIndex((text) => text.includes('fällig am 24.04.2026')),
    );
    // Every due date shown is a de-DE date, in order.
    const dates = links.map((text) => /am (\d\d)\.(\d\d)\.(\d{4})$/.exec(text)!.slice(1).reverse().join('-'));
    expect(dates).toEqual([...dates].sort());
    expect(await page.getByRole('button', { name: 'Heutige E-Mail-Übersicht senden' }).count()).toBe(0);
    await audit(page, 'Posteingang (Teamleitung 1)');

    await measure.click();
    await page.getByRole('heading', { level: 1, name: 'Maßnahmen team-mi-1' }).waitFor();
    await audit(page, 'Maßnahmen aus dem Posteingang');
    await page.context().close();
  });

  it('shows the team lead of another team neither the measure nor the report of team-mi-1', async () => {
    const page = await signIn(LEAD_2);
    await openInbox(page);
    const list = page.getByRole('table', { name: 'Fristen nach Fälligkeit' });
    await list
      .getByRole('link', { name: 'Quartalsberichte der Teams – team-mi-2, überfällig am 15.04.2026' })
      .waitFor();
    const links = await list.getByRole('link').allTextContents();
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((text) => text.includes('team-mi-1'))).toEqual([]);
    expect(links.filter((text) => text.startsWith('Maßnahmen'))).toEqual([]);
    await expect(page.getByRole('table', { name: 'Anzahl der Fristen nach Art' }).innerText()).resolves.not.toMatch(
      /Maßnahmen/,
    );
    await audit(page, 'Posteingang (Teamleitung 2)');
    await page.context().close();
  });

  it('tells an employee with nothing due that there is nothing', async () => {
    const page = await signIn(/^Mitarbeiterin \/ Mitarbeiter .*\(jc-demo\)$/);
    await openInbox(page);
    await page.getByText('Keine Fristen – nichts ist überfällig oder bald fällig.').waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
    await audit(page, 'Posteingang (leer)');
    await page.context().close();
  });

  it('lets management queue today’s e-mail digest and shows the answer (mail not configured)', async () => {
    const page = await signIn('Geschäftsführung');
    await openInbox(page);
    await audit(page, 'Posteingang (Geschäftsführung)');
    await page.getByRole('button', { name: 'Heutige E-Mail-Übersicht senden' }).click();
    await page
      .getByText('Übersicht vom 16.04.2026: E-Mail-Versand ist nicht eingerichtet – nichts eingereiht.')
      .waitFor();
    const answer = page.locator('dl');
    await expect(answer.innerText()).resolves.toMatch(
      /Empfänger mit Fristen\s+0\s+Neu eingereiht\s+0\s+E-Mail-Versand\s+nicht eingerichtet/,
    );
    await audit(page, 'Posteingang (Übersicht gesendet)');
    await page.context().close();
  });

  it('found no accessibility violations on any state', () => {
    expect(findings.filter((finding) => finding.violations.length > 0)).toEqual([]);
    expect(findings.map((finding) => finding.page)).toHaveLength(7);
  });
});
