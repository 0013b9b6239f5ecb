import type { Browser, Page } from 'playwright-core';
import { DEMO_TENANT, seedDemoMonth } from '../../apps/cli/src/commands/demo.command.js';
import { mintDevelopmentToken } from '../../apps/api/src/security/development-token.js';
import { loadOrCreateSigningSecret } from '../../apps/api/src/security/signing-secret.js';
import { axeViolations, describeWithBrowser, launchChromium, type AxeFinding } from '../support/browser.js';
import { sharedBuild, startService, type RunningService } from '../support/built-service.js';

/**
 * The legal department's avoidable-appeal quota in the browser (issue 12, 001:252–280), on the built
 * service with the demonstration Jobcenter: the legal department records last month's figures (an API
 * message shown at its row's field first), corrects them with a reason through a 412 (someone corrected
 * meanwhile; reload keeps the input), sees the trend as a chart with the same figures as tables and the
 * quarter's quota in its quarterly report; management finds the quota on its dashboard and reads the
 * month with small team cells hidden; the area head reads the trend, the auditor the month. axe (WCAG 2.1
 * A/AA) runs on every state visited and must find nothing.
 */
const berlinMonth = (date: Date) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit' }).format(date);
const MONTH = berlinMonth(new Date());
const shift = (month: string, by: number) => {
  const [year, number] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + number - 1 + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
};
/** The month the quota screen opens at: the one before this. */
const PREVIOUS = shift(MONTH, -1);
/** The quarter that ended last and its first month (never PREVIOUS: at least two months back). */
const QUARTER = (() => {
  const [year, month] = MONTH.split('-').map(Number) as [number, number];
  const quarter = Math.ceil(month / 3);
  return quarter === 1 ? { year: year - 1, quarter: 4 } : { year, quarter: quarter - 1 };
})();
const QUARTER_FIRST = `${QUARTER.year}-${String((QUARTER.quarter - 1) * 3 + 1).padStart(2, '0')}`;
const monthName = (month: string) =>
  new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', month: 'long', year: 'numeric' }).format(
    new Date(`${month}-15T12:00:00Z`),
  );

const quotaRow = (
  legalNorm: string,
  teamId: string | null,
  settled: number,
  upheldFully: number,
  upheldPartly: number,
  [documentation, law, fact]: [number, number, number],
) => ({
  legalNorm,
  teamId,
  settled,
  upheldFully,
  upheldPartly,
  avoidable: documentation + law + fact,
  avoidableByReason: { documentation, 'application-of-law': law, 'fact-finding': fact },
});

describeWithBrowser("the legal department's avoidable-appeal quota in the browser (Chromium, axe)", (executable) => {
  let service: RunningService;
  let browser: Browser;
  let secret: Uint8Array;
  let position = 0;
  const findings: { page: string; violations: AxeFinding[] }[] = [];

  const audit = async (page: Page, name: string) => {
    findings.push({ page: name, violations: await axeViolations(page) });
  };

  /** One HTTP call as the legal department (development bearer token), read-your-writes. */
  const legalApi = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const token = await mintDevelopmentToken({ secret, subject: 'seed-legal', tenant: DEMO_TENANT, roles: ['legal'] });
    const response = await fetch(`${service.baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(position > 0 ? { 'X-Min-Position': String(position) } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    const parsed = (text === '' ? {} : JSON.parse(text)) as { position?: number };
    if (typeof parsed.position === 'number' && parsed.position > position) position = parsed.position;
    return parsed;
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

  const open = async (page: Page, link: string, heading: string | RegExp) => {
    await page
      .getByRole('navigation', { name: 'Hauptnavigation' })
      .getByRole('link', { name: link, exact: true })
      .click();
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };

  /** The KoliBri field (its host element) whose input has this accessible name, within a container. */
  const field = (scope: ReturnType<Page['getByRole']>, name: RegExp) =>
    scope.locator('kol-input-text').filter({ has: scope.page().getByRole('textbox', { name }) });

  const fillRow = async (
    page: Page,
    index: number,
    values: { norm: string; team: string; counts: [number, number, number, number]; reasons: [number, number, number] },
  ) => {
    const row = page.getByRole('group', { name: `Zeile ${index}`, exact: true });
    await row.getByRole('textbox', { name: /^Rechtsnorm/ }).fill(values.norm);
    await row.getByLabel(/^Team/).selectOption({ label: values.team });
    const [settled, fully, partly, avoidable] = values.counts;
    await row.getByRole('textbox', { name: /^Erledigte Widersprüche/ }).fill(String(settled));
    await row.getByRole('textbox', { name: /^Volle Stattgaben/ }).fill(String(fully));
    await row.getByRole('textbox', { name: /^Teilweise Stattgaben/ }).fill(String(partly));
    await row.getByRole('textbox', { name: /^davon vermeidbar/ }).fill(String(avoidable));
    await row.getByRole('textbox', { name: /^Dokumentation/ }).fill(String(values.reasons[0]));
    await row.getByRole('textbox', { name: /^Rechtsanwendung/ }).fill(String(values.reasons[1]));
    await row.getByRole('textbox', { name: /^Sachverhaltsaufklärung/ }).fill(String(values.reasons[2]));
    return row;
  };

  /** The form's row whose legal norm is this (rows come back in the order the API keeps them). */
  const rowWithNorm = async (page: Page, norm: string) => {
    const groups = page.getByRole('group', { name: /^Zeile \d+$/ });
    for (const group of await groups.all())
      if ((await group.getByRole('textbox', { name: /^Rechtsnorm/ }).inputValue()) === norm) return group;
    throw new Error(`no row for ${norm}`);
  };

  beforeAll(async () => {
    service = await startService(await sharedBuild(), { PRUEFPFAD_ENV: 'development' });
    secret = loadOrCreateSigningSecret(service.dataDir);
    const demo = await seedDemoMonth({ baseUrl: service.baseUrl, secret, month: MONTH });
    position = demo.position;
    // The first month of the quarter that ended last, recorded through the API: 1 of 3 upheld avoidable
    // (33,3 %, above the 30 % target), 1 of 10 settled (10,0 %).
    await legalApi('POST', `/api/v1/legal/quota/${QUARTER_FIRST}`, {
      rows: [quotaRow('§ 22 SGB II', 'team-mi-1', 10, 2, 1, [1, 0, 0])],
    });
    browser = await launchChromium(executable());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  describe('legal department (Rechtsstelle)', () => {
    let page: Page;

    it("records last month's figures, after the API named a row's field at that field", async () => {
      page = await signIn('Rechtsstelle');
      await open(page, 'Widerspruchsquote', `Widerspruchsquote ${monthName(PREVIOUS)}`);
      await page.getByRole('heading', { level: 2, name: 'Monatszahlen erfassen' }).waitFor();
      await audit(page, 'Widerspruchsquote (leer)');
      // Row 1 with more upheld than settled; a third row added and removed again.
      const first = await fillRow(page, 1, {
        norm: '§ 22 SGB II',
        team: 'Team Markt und Integration 1',
        counts: [20, 25, 2, 3],
        reasons: [1, 1, 1],
      });
      await page.getByRole('button', { name: 'Zeile hinzufügen' }).click();
      await fillRow(page, 2, {
        norm: '§ 31 SGB II',
        team: 'Team Markt und Integration 2',
        counts: [10, 2, 0, 1],
        reasons: [0, 1, 0],
      });
      await page.getByRole('button', { name: 'Zeile hinzufügen' }).click();
      await page.getByRole('button', { name: 'Zeile hinzufügen' }).click();
      await page.getByRole('button', { name: 'Zeile 4 entfernen' }).click();
      await expect(page.getByRole('group', { name: 'Zeile 4', exact: true }).count()).resolves.toBe(0);
      await fillRow(page, 3, {
        norm: '§ 11 SGB II',
        team: 'Team Leistung 1',
        counts: [2, 0, 0, 0],
        reasons: [0, 0, 0],
      });
      await page.getByRole('button', { name: 'Monatszahlen erfassen' }).click();
      await field(first, /^Volle Stattgaben/)
        .getByText('höchstens so viele wie erledigte Widersprüche', { exact: false })
        .waitFor();
      const second = page.getByRole('group', { name: 'Zeile 2', exact: true });
      await expect(second.getByText('höchstens so viele', { exact: false }).count()).resolves.toBe(0);
      await audit(page, 'Widerspruchsquote (Feldfehler)');
      // Nothing was written: the form is still there with what was typed.
      await expect(first.getByRole('textbox', { name: /^Erledigte Widersprüche/ }).inputValue()).resolves.toBe('20');
      await first.getByRole('textbox', { name: /^Volle Stattgaben/ }).fill('4');
      await page.getByRole('button', { name: 'Monatszahlen erfassen' }).click();
      await page.getByText(`Zahlen für ${monthName(PREVIOUS)} erfasst.`).waitFor();
      // Settled 32, upheld 8, avoidable 4: 50,0 % of upheld (above 30 %), 12,5 % of settled (above 10 %).
      await page.getByText('50,0 % (4 von 8), über dem Ziel').waitFor();
      await page.getByText('12,5 % (4 von 32), über dem Ziel').waitFor();
      // The legal department sees every team, the small one too, and its own rows.
      await page
        .getByRole('table', { name: `Nach Team ${monthName(PREVIOUS)}` })
        .getByRole('row', { name: /^Team Leistung 1 2 0 0/ })
        .waitFor();
      await page
        .getByRole('table', { name: `Erfasste Zeilen ${monthName(PREVIOUS)}` })
        .getByRole('row', { name: /^§ 31 SGB II Team Markt und Integration 2 10 2 0 0 1 0/ })
        .waitFor();
      await audit(page, 'Widerspruchsquote (erfasst)');
    }, 180_000);

    it('corrects the month with a reason; a correction made meanwhile (412) is loaded and the input kept', async () => {
      await page.getByRole('button', { name: 'Zahlen korrigieren' }).click();
      await page.getByRole('heading', { level: 2, name: 'Zahlen korrigieren' }).waitFor();
      const second = await rowWithNorm(page, '§ 31 SGB II');
      await expect(second.getByRole('textbox', { name: /^Erledigte Widersprüche/ }).inputValue()).resolves.toBe('10');
      await second.getByRole('textbox', { name: /^Erledigte Widersprüche/ }).fill('12');
      await page.getByLabel(/^Begründung der Korrektur/).fill('Nachmeldung aus FALKE');
      await audit(page, 'Widerspruchsquote (Korrektur)');
      // Someone else corrects the month first (revision 0 → 1).
      await legalApi(
        'POST',
        `/api/v1/legal/quota/${PREVIOUS}/corrections`,
        {
          rows: [
            quotaRow('§ 22 SGB II', 'team-mi-1', 20, 4, 2, [1, 1, 1]),
            quotaRow('§ 31 SGB II', 'team-mi-2', 10, 2, 0, [0, 1, 0]),
            quotaRow('§ 11 SGB II', 'team-l-1', 3, 0, 0, [0, 0, 0]),
          ],
          reason: 'Parallele Korrektur',
        },
        { 'If-Match': '"0"' },
      );
      await page.getByRole('button', { name: 'Korrektur speichern' }).click();
      await page.getByText('Inzwischen geändert', { exact: true }).waitFor();
      await audit(page, 'Widerspruchsquote (412)');
      await page.getByRole('button', { name: 'Neuesten Stand laden, meine Eingaben behalten' }).click();
      await page.getByText('Inzwischen geändert', { exact: true }).waitFor({ state: 'detached' });
      await page.getByText('1, zuletzt am', { exact: false }).waitFor();
      await expect(second.getByRole('textbox', { name: /^Erledigte Widersprüche/ }).inputValue()).resolves.toBe('12');
      await expect(page.getByLabel(/^Begründung der Korrektur/).inputValue()).resolves.toBe('Nachmeldung aus FALKE');
      await page.getByRole('button', { name: 'Korrektur speichern' }).click();
      await page.getByText(`Zahlen für ${monthName(PREVIOUS)} korrigiert.`).waitFor();
      // Settled 20 + 12 + 2 = 34: 4 of 34 is 11,8 %; two corrections now.
      await page.getByText('11,8 % (4 von 34), über dem Ziel').waitFor();
      await page.getByText('2, zuletzt am', { exact: false }).waitFor();
      await audit(page, 'Widerspruchsquote (korrigiert)');
    }, 180_000);

    it('sees the trend as a chart with the same figures per month and per year as tables', async () => {
      await open(page, 'Entwicklung der Widerspruchsquote', 'Entwicklung der Widerspruchsquote');
      await page.locator('figure svg[role="img"][aria-label^="Widerspruchsquote je Monat"]').waitFor();
      await page
        .getByRole('row', { name: new RegExp(`^${monthName(PREVIOUS)} 34 8 4 50,0 % \\(über dem Ziel\\) 11,8 %$`) })
        .waitFor();
      await page
        .getByRole('row', {
          name: new RegExp(`^${monthName(QUARTER_FIRST)} 10 3 1 33,3 % \\(über dem Ziel\\) 10,0 %$`),
        })
        .waitFor();
      await page
        .getByRole('row', { name: new RegExp(`^${monthName(MONTH)} nicht erfasst – – keine Angabe keine Angabe$`) })
        .waitFor();
      const years = page.getByRole('table', { name: 'Widerspruchsquote je Kalenderjahr' });
      await years.getByRole('row', { name: new RegExp(`^${MONTH.slice(0, 4)} `) }).waitFor();
      await audit(page, 'Entwicklung der Widerspruchsquote');
    });

    it("shows the quarter's quota before and in the submitted quarterly report", async () => {
      await open(page, 'Quartalsbericht Rechtsstelle', `Bericht der Rechtsstelle ${QUARTER.year}/Q${QUARTER.quarter}`);
      const preview = page.getByRole('table', {
        name: `Widerspruchsquote je Monat ${QUARTER.year}/Q${QUARTER.quarter}`,
      });
      await preview.getByRole('row', { name: new RegExp(`^${monthName(QUARTER_FIRST)} 10 3 1 33,3 %`) }).waitFor();
      await audit(page, 'Bericht der Rechtsstelle mit Quote (offen)');
      await page.getByRole('radio', { name: 'Fehlanzeige: keine Feststellungen in diesem Quartal' }).check();
      await page.getByRole('button', { name: 'Fehlanzeige abgeben' }).click();
      await page.getByRole('heading', { level: 2, name: 'Abgegebener Bericht' }).waitFor();
      await page.getByRole('heading', { level: 3, name: 'Widerspruchsquote des Quartals' }).waitFor();
      await page
        .getByRole('table', { name: `Widerspruchsquote je Monat ${QUARTER.year}/Q${QUARTER.quarter}` })
        .getByRole('row', { name: new RegExp(`^${monthName(QUARTER_FIRST)} 10 3 1 33,3 %`) })
        .waitFor();
      await page
        .getByRole('table', { name: `Nach Rechtsnorm ${QUARTER.year}/Q${QUARTER.quarter}` })
        .getByRole('row', { name: /^§ 22 SGB II / })
        .waitFor();
      await audit(page, 'Bericht der Rechtsstelle mit Quote (abgegeben)');
      await page.context().close();
    });
  });

  describe('management (Geschäftsführung)', () => {
    it('finds the quota on its dashboard and reads the month with small team cells hidden', async () => {
      const page = await signIn('Geschäftsführung');
      await open(page, 'Jobcenter-Übersicht', /^Jobcenter, /);
      await page.getByRole('heading', { level: 2, name: 'Widerspruchsquote der Rechtsstelle' }).waitFor();
      await page.getByText(`Für ${monthName(MONTH)} hat die Rechtsstelle noch keine Zahlen erfasst.`).waitFor();
      await page
        .getByRole('row', { name: new RegExp(`^${monthName(PREVIOUS)} 34 8 4 50,0 % \\(über dem Ziel\\) 11,8 %$`) })
        .waitFor();
      // The dashboard shows the twelve months as tables; the chart is one link away (no chart library here).
      await expect(page.locator('figure svg').count()).resolves.toBe(0);
      await audit(page, 'Jobcenter mit Widerspruchsquote');
      await page.getByRole('link', { name: 'Entwicklung der Widerspruchsquote' }).last().click();
      await page.getByRole('heading', { level: 1, name: 'Entwicklung der Widerspruchsquote' }).waitFor();
      await page.locator('figure svg[role="img"][aria-label^="Widerspruchsquote je Monat"]').waitFor();
      await open(page, 'Widerspruchsquote', `Widerspruchsquote ${monthName(PREVIOUS)}`);
      await page.getByText('50,0 % (4 von 8), über dem Ziel').waitFor();
      // Team Leistung 1 settled 2 (< 3): hidden, with a second team hidden so that it cannot be worked out.
      await page
        .getByRole('table', { name: `Nach Team ${monthName(PREVIOUS)}` })
        .getByRole('row', { name: /^Team Leistung 1 unterdrückt/ })
        .waitFor();
      await page.getByText(/^\d+ Teams sind nach der Kleinzellenregel ausgeblendet/).waitFor();
      await expect(page.getByRole('button', { name: 'Zahlen korrigieren' }).count()).resolves.toBe(0);
      await expect(page.getByRole('heading', { name: 'Erfasste Zeilen' }).count()).resolves.toBe(0);
      await audit(page, 'Widerspruchsquote (Geschäftsführung)');
      await page.context().close();
    });
  });

  describe('area head and auditor', () => {
    it('the area head reads the trend', async () => {
      const page = await signIn('Bereichsleitung Markt und Integration');
      await open(page, 'Entwicklung der Widerspruchsquote', 'Entwicklung der Widerspruchsquote');
      await page.locator('figure svg[role="img"]').waitFor();
      await page.getByRole('row', { name: new RegExp(`^${monthName(PREVIOUS)} 34 8 4 `) }).waitFor();
      await audit(page, 'Entwicklung der Widerspruchsquote (Bereichsleitung)');
      await page.context().close();
    });

    it('the auditor reads the month, without the form', async () => {
      const page = await signIn('Prüfung (Revision)');
      await open(page, 'Widerspruchsquote', `Widerspruchsquote ${monthName(PREVIOUS)}`);
      await page.getByText('11,8 % (4 von 34), über dem Ziel').waitFor();
      await expect(page.getByRole('button', { name: 'Zahlen korrigieren' }).count()).resolves.toBe(0);
      await audit(page, 'Widerspruchsquote (Revision)');
      // A month without figures: said so, no form.
      await page.goto(`${service.baseUrl}/rechtsstelle/widerspruchsquote?monat=${shift(MONTH, -30)}`);
      await page.getByText(`hat die Rechtsstelle noch keine Zahlen erfasst.`, { exact: false }).waitFor();
      await expect(page.getByRole('button', { name: 'Monatszahlen erfassen' }).count()).resolves.toBe(0);
      await audit(page, 'Widerspruchsquote ohne Zahlen (Revision)');
      await page.context().close();
    });
  });

  it('finds no accessibility violations (axe, WCAG 2.1 A/AA) on any state visited', () => {
    expect(findings.length).toBe(14);
    expect(findings.filter((finding) => finding.violations.length > 0)).toEqual([]);
  });
});
