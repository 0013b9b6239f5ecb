import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { DEMO_TENANT, seedDemoMonth } from '../../apps/cli/src/commands/demo.command.js';
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
 * A team lead's month in the browser, on the built service (embedded default) with the demonstration
 * Jobcenter: development sign-in, the worklist, a review answered and completed by keyboard alone, the
 * one-on-one talk. axe (WCAG 2.1 A/AA) runs on every page visited and must find nothing.
 */
// The service runs on a shifted clock (PRUEFPFAD_TEST_CLOCK_START, test environment only), and so does
// the browser: the month is worked in March 2026, and its quarter report submitted after the quarter.
const MONTH = '2026-03';
const TODAY = '2026-03-10';
const IN_THE_MONTH = '2026-03-10T08:00:00Z';
const AFTER_THE_QUARTER = '2026-04-02T08:00:00Z';
const serviceEnv = (now: string) => ({ PRUEFPFAD_ENV: 'test', PRUEFPFAD_TEST_CLOCK_START: now });

interface Focused {
  readonly tag: string;
  readonly type: string | null;
  readonly name: string | null;
  readonly label: string;
  readonly text: string;
  readonly outline: string;
}

/** The element that has focus, looking into KoliBri's shadow roots. */
// Runs in the page (a string: this file is compiled without the DOM's types).
const FOCUSED = `(() => {
  let element = document.activeElement;
  while (element && element.shadowRoot && element.shadowRoot.activeElement) element = element.shadowRoot.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const labels = element.labels;
  return {
    tag: element.tagName.toLowerCase(),
    type: element.getAttribute('type'),
    name: element.getAttribute('name'),
    label: ((labels && labels[0] && labels[0].textContent) || element.getAttribute('aria-label') || '').trim(),
    text: (element.textContent || '').trim().slice(0, 80),
    outline: style.outlineStyle + ' ' + style.outlineWidth + ' / ' + style.boxShadow,
  };
})()`;

async function focused(page: Page): Promise<Focused | null> {
  return page.evaluate<Focused | null>(FOCUSED);
}

/**
 * Presses Tab until `act` says done (bounded), handing it each newly focused element; collects elements
 * that show no focus indicator (no outline and no box shadow), which WCAG 2.4.7 forbids.
 */
async function tabThrough(
  page: Page,
  act: (element: Focused) => Promise<boolean>,
): Promise<{ done: boolean; invisible: string[] }> {
  const invisible: string[] = [];
  for (let step = 0; step < 400; step += 1) {
    await page.keyboard.press('Tab');
    const element = await focused(page);
    if (!element) continue;
    if (/^none 0px \/ none$/.test(element.outline)) invisible.push(`${element.tag} ${element.label || element.text}`);
    if (await act(element)) return { done: true, invisible };
  }
  return { done: false, invisible };
}

describeWithBrowser('a team lead’s month in the browser (Chromium, axe)', (executable) => {
  let build: string;
  let service: RunningService;
  let browser: Browser;
  let page: Page;
  const findings: { page: string; violations: AxeFinding[] }[] = [];
  // KoliBri component modules fetched one by one (its lazy loader) instead of with the application.
  const lazyComponentModules: string[] = [];

  const audit = async (name: string, screenshot?: string) => {
    findings.push({ page: name, violations: await axeViolations(page) });
    if (screenshot) await screenshotForReadme(page, screenshot);
  };

  beforeAll(async () => {
    build = await sharedBuild();
    service = await startService(build, serviceEnv(IN_THE_MONTH));
    await seedDemoMonth({ baseUrl: service.baseUrl, secret: loadOrCreateSigningSecret(service.dataDir), month: MONTH });
    browser = await launchChromium(executable());
    // axe needs a page of an explicit context.
    const context = await browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin', acceptDownloads: true });
    await context.clock.install({ time: new Date(IN_THE_MONTH) });
    page = await context.newPage();
    page.on('request', (request) => {
      const file = new URL(request.url()).pathname.split('/').pop() ?? '';
      if (/^kol-[a-z-]+\.entry-/.test(file)) lazyComponentModules.push(file);
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('signs in on the development page as a team lead', async () => {
    await page.goto(service.baseUrl);
    await page.getByRole('heading', { name: 'Anmelden', level: 1 }).waitFor();
    await audit('Anmelden', 'anmelden');
    await page
      .getByRole('button', {
        name: 'Teamleitung Team Markt und Integration 1 (Bereich Markt und Integration) (jc-demo)',
      })
      .click();
    await page.getByRole('heading', { name: 'Übersicht', level: 1 }).waitFor();
    await page.getByText(`(Teamleitung, ${DEMO_TENANT})`).waitFor();
    await audit('Übersicht');
  });

  it('shows the month’s worklist with its drawn cases and deadlines', async () => {
    await page.getByRole('link', { name: 'Arbeitsliste team-mi-1' }).first().click();
    await page.getByRole('heading', { level: 1, name: /^Arbeitsliste team-mi-1/ }).waitFor();
    const rows = page.getByRole('table', { name: 'Gezogene Fälle' }).getByRole('row');
    await rows.nth(3).waitFor();
    expect(await rows.count()).toBe(4); // header and the three drawn cases (3 per team lead and month)
    await page.getByText('3 offen').waitFor();
    await audit('Arbeitsliste', 'arbeitsliste');
  });

  it('answers and completes a review by keyboard alone, with visible focus', async () => {
    await page.getByRole('table', { name: 'Gezogene Fälle' }).getByRole('link').first().click();
    await page.getByRole('heading', { level: 1, name: /^Prüfung / }).waitFor();
    // The pinned questionnaire by its title and version, not by its id.
    await page.getByText(/^Verlaufsbezogene Kundenbetrachtung.*, Version 1 \(gültig ab \d\d\.\d\d\.\d{4}\)$/).waitFor();
    await audit('Prüfung (offen)', 'pruefung');

    // From the page heading, Tab through the questions: a radio group gets its first option ("ja",
    // Space), a text field or date a value; until the save button, which Enter presses. Tab then leaves
    // a group (arrow keys would change the choice).
    await page.getByRole('heading', { level: 1 }).focus();
    const answers = await tabThrough(page, async (element) => {
      if (element.tag === 'input' && element.type === 'radio' && element.name?.startsWith('answer-')) {
        await page.keyboard.press('Space');
      } else if (element.tag === 'textarea') {
        await page.keyboard.type('Geprüft, ohne Befund.');
      } else if (element.tag === 'input' && element.type === 'date') {
        await page.keyboard.type('01122026');
      } else if (element.tag === 'button' && element.text.startsWith('Antworten speichern')) {
        await page.keyboard.press('Enter');
        return true;
      }
      return false;
    });
    expect(answers.done).toBe(true);
    await page.getByText('Antworten gespeichert.').waitFor();

    // On to the completion: the overall assessment (first option, "zielgerichtet"), the summary, submit.
    const completion = await tabThrough(page, async (element) => {
      if (element.tag === 'input' && element.type === 'radio' && element.name === 'completion-outcome') {
        await page.keyboard.press('Space');
      } else if (element.tag === 'textarea' && element.label.startsWith('Zusammenfassung')) {
        await page.keyboard.type('Fall zielgerichtet bearbeitet.');
      } else if (element.tag === 'button' && element.text === 'Prüfung abschließen') {
        await page.keyboard.press('Enter');
        return true;
      }
      return false;
    });
    expect(completion.done).toBe(true);
    await page.getByRole('heading', { level: 2, name: 'Einzelgespräch' }).waitFor();
    await expect(page.getByText('abgeschlossen').first().isVisible()).resolves.toBe(true);
    await audit('Prüfung (abgeschlossen)');
    expect([...answers.invisible, ...completion.invisible]).toEqual([]);
  });

  it('records the one-on-one talk, the team discussion and a correction of the completed review', async () => {
    const talk = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Einzelgespräch' }) });
    await talk.getByLabel('Datum').fill(TODAY);
    await talk.getByLabel('Beschäftigte Person').fill('Frau Beispiel');
    await talk.getByLabel('Ergebnis').fill('Rückmeldung gegeben, Vorgehen besprochen.');
    await talk.getByRole('button', { name: 'Gespräch festhalten' }).click();
    await talk.getByText('Frau Beispiel: Rückmeldung gegeben, Vorgehen besprochen.').waitFor();
    const discussion = page.locator('section', {
      has: page.getByRole('heading', { level: 2, name: 'Teambesprechung' }),
    });
    await discussion.getByLabel('Datum').fill(TODAY);
    await discussion.getByRole('button', { name: 'Besprechung festhalten' }).click();
    await discussion.getByText('Noch nicht im Team besprochen.').waitFor({ state: 'detached' });
    // A correction after completion, with its reason: the outcome changes, the record shows the correction.
    const correction = page.locator('section', {
      has: page.getByRole('heading', { level: 2, name: 'Korrektur nach Abschluss' }),
    });
    await correction.getByLabel('Gesamtbewertung').selectOption({ label: 'nicht zielgerichtet' });
    await correction.getByLabel('Begründung der Korrektur').fill('Nachträglich: Eingliederungsziel nicht verfolgt.');
    await correction.getByRole('button', { name: 'Korrektur festhalten' }).click();
    await correction.getByText('Korrektur festgehalten.').waitFor();
    await audit('Prüfung (Gespräch)');
  });

  it('agrees a measure with an employee', async () => {
    await page.getByRole('link', { name: 'Maßnahmen team-mi-1' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Maßnahmen team-mi-1' }).waitFor();
    await page.getByLabel('Verantwortliche Person').fill('Frau Beispiel');
    await page.getByLabel('Beschreibung').fill('Hospitation bei einer erfahrenen Kollegin.');
    await page.getByLabel('Fällig am').fill(TODAY);
    await page.getByRole('button', { name: 'Vereinbaren' }).click();
    await page.getByText('Maßnahme vereinbart.').waitFor();
    const table = page.getByRole('table', { name: 'Maßnahmen des Teams' });
    await table.getByText('Frau Beispiel').waitFor();
    await audit('Maßnahmen');
  });

  it('lets the deputy act during the team lead’s absence, with the banner saying so', async () => {
    const areaHead = await mintDevelopmentToken({
      secret: loadOrCreateSigningSecret(service.dataDir),
      subject: 'demo-bl',
      tenant: DEMO_TENANT,
      roles: ['area_head'],
      units: ['markt-integration'],
    });
    const absence = await fetch(`${service.baseUrl}/api/v1/organisation/teams/team-mi-1/absences`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${areaHead}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ from: TODAY, to: TODAY }),
    });
    expect(absence.status).toBe(201);
    const deputyContext = await browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin' });
    await deputyContext.clock.install({ time: new Date(IN_THE_MONTH) });
    const deputy = await deputyContext.newPage();
    await deputy.goto(service.baseUrl);
    await deputy
      .getByRole('button', {
        name: 'Stellvertretung Team Markt und Integration 1 (Bereich Markt und Integration) (jc-demo)',
      })
      .click();
    await deputy.getByRole('link', { name: 'Arbeitsliste team-mi-1' }).first().click();
    await deputy.getByText('Sie handeln als Stellvertretung').waitFor();
    await deputy.getByRole('table', { name: 'Gezogene Fälle' }).getByRole('link').nth(1).click();
    await deputy.getByRole('heading', { level: 1, name: /^Prüfung / }).waitFor();
    // The look-back period extended, with its reason (002:40).
    const lookBack = deputy.locator('section', {
      has: deputy.getByRole('heading', { level: 2, name: 'Betrachtungszeitraum' }),
    });
    await lookBack.getByLabel('Neuer Betrachtungszeitraum in Monaten').fill('18');
    await lookBack.getByLabel('Begründung').fill('Aufsatzpunkt liegt vor dem Regelzeitraum.');
    await lookBack.getByRole('button', { name: 'Zeitraum ändern' }).click();
    await lookBack.getByText('Zurzeit 18 Monate').waitFor();
    const defects = deputy.locator('section', { has: deputy.getByRole('heading', { level: 2, name: 'Mängel' }) });
    await defects.getByLabel('Beschreibung').fill('Eingliederungsvereinbarung nicht fortgeschrieben.');
    await defects.getByRole('button', { name: 'Mangel erfassen' }).click();
    await defects.getByText('Mangel erfasst.').waitFor();
    await defects.getByText('Eingliederungsvereinbarung nicht fortgeschrieben.').waitFor();
    findings.push({ page: 'Prüfung (Stellvertretung)', violations: await axeViolations(deputy) });
    await deputy.context().close();
  });

  it('submits the quarterly report and downloads it as a PDF that opens', async () => {
    // After the quarter: the service restarts on the same stores with its clock in April, the browser's
    // clock follows, and the team lead signs in again (the session of March has expired).
    await service.stop({ keepStores: true });
    service = await startService(build, serviceEnv(AFTER_THE_QUARTER), service.dirs);
    await page.context().clock.setSystemTime(new Date(AFTER_THE_QUARTER));
    await page.goto(service.baseUrl);
    await page
      .getByRole('button', {
        name: 'Teamleitung Team Markt und Integration 1 (Bereich Markt und Integration) (jc-demo)',
      })
      .click();
    await page.getByRole('heading', { name: 'Übersicht', level: 1 }).waitFor();
    await page.goto(`${service.baseUrl}/teams/team-mi-1/berichte/2026/1`);
    await page.getByRole('heading', { level: 1, name: /^Quartalsbericht team-mi-1/ }).waitFor();
    await page.getByRole('table', { name: 'Kennzahlen des Quartals' }).waitFor();
    await audit('Quartalsbericht (Entwurf)', 'quartalsbericht');
    await page
      .getByLabel('Bewertung der Teamleitung')
      .fill('Das Team arbeitet zielgerichtet; keine gravierenden Mängel.');
    await page.getByRole('button', { name: 'Bericht einreichen' }).click();
    await page.getByText('Bericht eingereicht.').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Bericht als PDF' }).click(),
    ]);
    const file = await download.path();
    const pdf = fs.readFileSync(file);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.subarray(-6).toString()).toMatch(/%%EOF/);
    await audit('Quartalsbericht (eingereicht)');
  });

  it('finds no accessibility violations (axe, WCAG 2.1 A/AA) on any page visited', () => {
    expect(findings.map((finding) => finding.page)).toEqual([
      'Anmelden',
      'Übersicht',
      'Arbeitsliste',
      'Prüfung (offen)',
      'Prüfung (abgeschlossen)',
      'Prüfung (Gespräch)',
      'Maßnahmen',
      'Prüfung (Stellvertretung)',
      'Quartalsbericht (Entwurf)',
      'Quartalsbericht (eingereicht)',
    ]);
    expect(findings.filter((finding) => finding.violations.length > 0)).toEqual([]);
  });

  it('brings every KoliBri component it shows with the application, none fetched on its own', () => {
    // The build bundles the components the source uses (apps/web/vite.config.mjs); a cold page then
    // needs no wave of requests per nesting level of components.
    expect(lazyComponentModules).toEqual([]);
  });
});
