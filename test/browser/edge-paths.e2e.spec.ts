import type { Browser, Page } from 'playwright-core';
import { DEMO_TENANT, seedDemoMonth } from '../../apps/cli/src/commands/demo.command.js';
import { mintDevelopmentToken } from '../../apps/api/src/security/development-token.js';
import { loadOrCreateSigningSecret } from '../../apps/api/src/security/signing-secret.js';
import { axeViolations, describeWithBrowser, launchChromium, type AxeFinding } from '../support/browser.js';
import { sharedBuild, startService, type RunningService } from '../support/built-service.js';

/**
 * Paths of the web application that no role's journey takes, on the built service (embedded default,
 * development login): a 412 when someone else decided meanwhile (reload keeps the input), a lost answer
 * (the retry sends the same Idempotency-Key and writes once), the population upload's progress with a large
 * file and a malformed file's line-numbered errors, replacement and supplementary draws with their
 * verification, a routine suspended and resumed, the legal department's findings and nil report, and the
 * English switch. axe (WCAG 2.1 A/AA) runs on every page state visited and must find nothing.
 */
const berlin = (date: Date, options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', ...options }).format(date);
const MONTH = berlin(new Date(), { year: 'numeric', month: '2-digit' });
/** The month before: its population is uploaded in the browser (the current one is the demo's). */
const PREVIOUS_MONTH = (() => {
  const [year, month] = MONTH.split('-').map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
})();
const inDays = (days: number) =>
  berlin(new Date(Date.now() + days * 86_400_000), { year: 'numeric', month: '2-digit', day: '2-digit' });
/** As the screens show a date (de-DE, medium). */
const shown = (isoDate: string) =>
  new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', dateStyle: 'medium' }).format(
    new Date(`${isoDate}T12:00:00Z`),
  );
const AREA = 'markt-integration';
const PROCESS = 'allgemeine-vermittlung';

/** A valid population of `rows` rows for the demo teams (about 45 bytes a row). */
function population(rows: number): string {
  const lines = ['caseReference;customerGroup;team;process;needs16a'];
  for (let i = 0; i < rows; i += 1) {
    const team = i % 2 === 0 ? 'team-mi-1' : 'team-mi-2';
    lines.push(
      `${team === 'team-mi-1' ? 111 : 222}D${String(100000 + i)};${i % 3 === 0 ? 'u25' : 'ue25'};${team};${PROCESS};nein`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Runs in the page: watches every <progress> (also inside KoliBri's shadow roots) on each animation frame
 * and keeps the values seen as percentages, until `window.__progressStop` is set.
 */
const WATCH_PROGRESS = `(() => {
  const seen = [];
  window.__progressSeen = seen;
  const collect = (root) => {
    for (const element of root.querySelectorAll('*')) {
      if (element.tagName === 'PROGRESS' && element.max > 0) seen.push((element.value / element.max) * 100);
      if (element.shadowRoot) collect(element.shadowRoot);
    }
  };
  const tick = () => {
    collect(document);
    if (!window.__progressStop) requestAnimationFrame(tick);
  };
  tick();
})()`;

describeWithBrowser('edge paths of the web application (Chromium, axe)', (executable) => {
  let service: RunningService;
  let browser: Browser;
  let programmeId: string;
  let sampleId: string;
  let routineProgrammeId: string;
  let bearer: (role: 'management' | 'area_head') => Promise<string>;
  const findings: { page: string; violations: AxeFinding[] }[] = [];

  const audit = async (page: Page, name: string) => {
    findings.push({ page: name, violations: await axeViolations(page) });
  };

  const api = async <T>(role: 'management' | 'area_head', method: string, path: string, body?: unknown) => {
    const response = await fetch(`${service.baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${await bearer(role)}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text === '' ? {} : JSON.parse(text)) as T;
  };

  const signIn = async (label: string, language?: 'en'): Promise<Page> => {
    const context = await browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin' });
    const page = await context.newPage();
    await page.goto(service.baseUrl);
    await page.getByRole('heading', { name: language === 'en' ? 'Sign in' : 'Anmelden', level: 1 }).waitFor();
    await page.getByRole('button', { name: `${label} (${DEMO_TENANT})`, exact: true }).click();
    await page.getByRole('heading', { name: 'Übersicht', level: 1 }).waitFor();
    return page;
  };

  beforeAll(async () => {
    service = await startService(await sharedBuild(), { PRUEFPFAD_ENV: 'development' });
    const secret = loadOrCreateSigningSecret(service.dataDir);
    bearer = (role) =>
      mintDevelopmentToken({
        secret,
        subject: `edge-${role}`,
        tenant: DEMO_TENANT,
        roles: [role],
        units: role === 'area_head' ? [AREA] : [],
        expiresIn: '1h',
      });
    const demo = await seedDemoMonth({ baseUrl: service.baseUrl, secret, month: MONTH });
    programmeId = demo.programmeId;
    sampleId = demo.sampleIds[0]!;
    // A programme that collects error rates: its routine may be suspended.
    const programme = await api<{ settings: { questionnaireId: string } }>(
      'management',
      'GET',
      `/api/v1/programmes/${programmeId}`,
    );
    const created = await api<{ id: string }>('management', 'POST', '/api/v1/programmes', {
      settings: {
        title: 'Leistung (IKS) Markt und Integration',
        areaId: AREA,
        customerProcess: PROCESS,
        questionnaireId: programme.settings.questionnaireId,
        minimumCasesPerTeamLead: 2,
        drawnBy: 'management',
        errorRatePolicy: { kind: 'collect', tolerancePercent: 10 },
      },
      reason: 'IKS-Verfügung (001:202)',
    });
    routineProgrammeId = created.id;
    browser = await launchChromium(executable());
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  describe('management: a routine suspended and resumed, with a 412 when someone else decided meanwhile', () => {
    let page: Page;
    const recheckOn = inDays(60);
    const othersRecheckOn = inDays(45);

    it('suspends the routine with a re-check date (confirming against the failed tolerance test)', async () => {
      page = await signIn('Geschäftsführung');
      await page.goto(`${service.baseUrl}/jobcenter/pruefroutinen/${routineProgrammeId}`);
      await page.getByRole('heading', { level: 1, name: /^Prüfroutine: Leistung \(IKS\)/ }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Prüfroutine aussetzen' }).waitFor();
      await audit(page, 'Prüfroutine (aktiv)');
      await page.getByLabel('Überprüfung spätestens am').fill(recheckOn);
      await page.getByLabel('Begründung der Geschäftsführung').fill('Keine Mängel in den letzten Monaten');
      await page.getByRole('button', { name: 'Aussetzen' }).click();
      // No reviews yet: the test is not passed; management confirms deciding against it.
      const against = page.getByLabel('Gegen den nicht bestandenen Toleranztest entscheiden');
      await against.waitFor();
      await audit(page, 'Prüfroutine (Toleranztest nicht bestanden)');
      await against.check();
      await page.getByRole('button', { name: 'Aussetzen' }).click();
      await page.getByText('Prüfroutine ausgesetzt.').waitFor();
      await page.getByText(new RegExp(`^ausgesetzt seit .*, Überprüfung bis ${shown(recheckOn)}`)).waitFor();
      await audit(page, 'Prüfroutine (ausgesetzt)');
    });

    it('shows the conflict, reloads the latest version keeping the typed reason, and the retry resumes', async () => {
      // Someone else renews the suspension meanwhile (revision 0 → 1); this page still holds revision 0.
      await api('management', 'POST', `/api/v1/routines/${routineProgrammeId}/suspension-renewal`, {
        recheckOn: othersRecheckOn,
        reason: 'Verlängert durch die Vertretung',
        againstToleranceTest: true,
      });
      const reason = page.getByLabel('Begründung der Geschäftsführung');
      await reason.fill('Neue Weisung: Routine wieder durchführen');
      await page.getByRole('button', { name: 'Wieder aufnehmen' }).click();
      await page.getByText(/^Jemand anderes hat das inzwischen geändert\./).waitFor();
      await audit(page, 'Prüfroutine (412)');
      await page.getByRole('button', { name: 'Neuesten Stand laden, meine Eingaben behalten' }).click();
      // The other decision is shown, what this user typed is still there.
      await page.getByText(new RegExp(`Überprüfung bis ${shown(othersRecheckOn)}`)).waitFor();
      await page.getByText(/^Jemand anderes hat das inzwischen/).waitFor({ state: 'detached' });
      await expect(reason.inputValue()).resolves.toBe('Neue Weisung: Routine wieder durchführen');
      await audit(page, 'Prüfroutine (neu geladen)');
      await page.getByRole('button', { name: 'Wieder aufnehmen' }).click();
      await page.getByText('Prüfroutine wieder aufgenommen.').waitFor();
      await page.getByRole('heading', { level: 2, name: 'Prüfroutine aussetzen' }).waitFor();
      const routine = await api<{ status: string; revision: number }>(
        'management',
        'GET',
        `/api/v1/routines/${routineProgrammeId}`,
      );
      expect(routine).toMatchObject({ status: 'active', revision: 2 });
      await audit(page, 'Prüfroutine (wieder aufgenommen)');
      await page.context().close();
    });
  });

  describe('area head: the draw’s follow-ups and the population upload', () => {
    let page: Page;

    it('replaces a case and draws more, the verification showing each follow-up', async () => {
      page = await signIn('Bereichsleitung Markt und Integration');
      await page.goto(`${service.baseUrl}/pruefplaene/${programmeId}/stichproben/${sampleId}`);
      await page.getByRole('heading', { level: 1, name: /^Stichprobe team-mi-\d/ }).waitFor();
      const verified = async () => {
        await page.getByText('Die Ziehung ist nachvollziehbar: Nachrechnung stimmt überein.').waitFor();
        const line = await page.getByText(/^Fälle \(\d+\): stimmt überein$/).textContent();
        return Number(/\((\d+)\)/.exec(line ?? '')?.[1]);
      };
      await page.getByRole('button', { name: 'Ziehung nachrechnen' }).click();
      const drawn = await verified();
      expect(drawn).toBeGreaterThan(0);
      await audit(page, 'Stichprobe (nachgerechnet)');

      await page.getByLabel('Warum ungeeignet (ohne Personenbezug)').fill('Zuständigkeit gewechselt');
      await page.getByRole('button', { name: 'Fall ersetzen' }).click();
      await page.getByText('Fall ersetzt.').waitFor();
      // The verification shown follows: the replacement is recomputed too.
      await page.getByText(`Fälle (${drawn + 1}): stimmt überein`).waitFor();
      // (The reason is sealed for the replaced review: the area head sees that it was replaced, not why.)
      await page.getByText(/: Ersetzung \(1 Fall\)$/).waitFor();
      const cases = page.getByRole('table', { name: 'Gezogene Fälle' });
      await cases.getByRole('cell', { name: 'ersetzt', exact: true }).waitFor();
      await audit(page, 'Stichprobe (ersetzt)');
    });

    it('keeps the input when the answer is lost, and the retry with the same Idempotency-Key draws once', async () => {
      const keys: string[] = [];
      let firstStatus = 0;
      await page.route('**/supplementary', async (route) => {
        keys.push(route.request().headers()['idempotency-key'] ?? '');
        if (keys.length === 1) {
          // The write reaches the server; its answer never reaches the browser.
          firstStatus = (await route.fetch()).status();
          await route.abort('connectionreset');
          return;
        }
        await route.continue();
      });
      const reason = page.getByLabel('Begründung (ohne Personenbezug)');
      await reason.fill('Zu wenige Fälle der Gruppe u25');
      await page.getByRole('button', { name: 'Ergänzungsstichprobe ziehen', exact: true }).click();
      await page.getByText('Keine Verbindung').waitFor();
      await expect(reason.inputValue()).resolves.toBe('Zu wenige Fälle der Gruppe u25');
      await expect(page.getByLabel('Anzahl weiterer Fälle').inputValue()).resolves.toBe('1');
      await audit(page, 'Stichprobe (Verbindung verloren)');
      await page.getByRole('button', { name: 'Ergänzungsstichprobe ziehen', exact: true }).click();
      await page.getByText('Ergänzungsstichprobe gezogen.').waitFor();
      expect(firstStatus).toBe(201);
      expect(keys).toHaveLength(2);
      expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(keys[1]).toBe(keys[0]);
      const sample = await api<{ followUps: { kind: string }[] }>(
        'area_head',
        'GET',
        `/api/v1/programmes/${programmeId}/samples/${sampleId}`,
      );
      expect(sample.followUps.map((followUp) => followUp.kind)).toEqual(['replacement', 'supplementary']);
      await page.getByText(/: Ergänzungsstichprobe \(1 Fall\)$/).waitFor();
      await expect(page.getByText(/: Ergänzungsstichprobe \(1 Fall\)$/).count()).resolves.toBe(1);
      await page.unroute('**/supplementary');
      await audit(page, 'Stichprobe (Ergänzungsstichprobe)');
    });

    it('shows the upload’s progress for a large file', async () => {
      await page.goto(`${service.baseUrl}/pruefplaene/${programmeId}/ziehung?monat=${PREVIOUS_MONTH}`);
      await page.getByRole('heading', { level: 1, name: /^Ziehung / }).waitFor();
      await page.getByText('Für diesen Monat ist noch keine Grundgesamtheit hochgeladen.').waitFor();
      await audit(page, 'Ziehung (Vormonat)');
      const large = population(60_000);
      expect(large.length).toBeGreaterThan(2_500_000);
      // Uploads leave at 1 MB/s, so the file travels for a few seconds.
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: 1024 * 1024,
      });
      await page.getByLabel('Datei der Grundgesamtheit (CSV oder JSON)').setInputFiles({
        name: `gross-${PREVIOUS_MONTH}.csv`,
        mimeType: 'text/csv',
        buffer: Buffer.from(large),
      });
      await page.evaluate(WATCH_PROGRESS);
      await page.getByRole('button', { name: 'Hochladen' }).click();
      await page.getByText('Grundgesamtheit mit 60000 Zeilen importiert.').waitFor({ timeout: 120_000 });
      const seen = await page.evaluate<number[]>('(window.__progressStop = true, window.__progressSeen)');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });
      await cdp.detach();
      expect(seen.some((percent) => percent > 0 && percent < 100)).toBe(true);
      await page
        .getByRole('table', { name: 'Grundgesamtheiten des Monats' })
        .getByText(`gross-${PREVIOUS_MONTH}.csv`)
        .waitFor();
      await audit(page, 'Ziehung (große Datei hochgeladen)');
    }, 180_000);

    it('names a malformed file’s errors by line next to the file and imports nothing', async () => {
      const lines = population(6).split('\n');
      lines[3] = `111D999999;u25;team-unbekannt;${PROCESS};nein`; // line 4
      lines[6] = `222D999998;kinder;team-mi-2;${PROCESS};vielleicht`; // line 7
      await page.getByLabel('Datei der Grundgesamtheit (CSV oder JSON)').setInputFiles({
        name: 'fehlerhaft.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(lines.join('\n')),
      });
      await page.getByRole('button', { name: 'Hochladen' }).click();
      const errors = page.getByRole('table', { name: 'Fehler in der Datei' });
      await errors.waitFor();
      await page.getByText(/^Die Datei enthält \d+ Fehler; nichts wurde importiert\./).waitFor();
      const rows = (await errors.getByRole('row').all()).slice(1);
      const lineNumbers = await Promise.all(
        rows.map(async (row) => ((await row.getByRole('cell').first().textContent()) ?? '').trim()),
      );
      expect(new Set(lineNumbers)).toEqual(new Set(['4', '7']));
      await audit(page, 'Ziehung (Datei mit Fehlern)');
      // Nothing imported: the month still has the one population uploaded before.
      const populations = await api<{ items: { month: string; source: { fileName?: string } }[] }>(
        'area_head',
        'GET',
        `/api/v1/programmes/${programmeId}/populations`,
      );
      expect(
        populations.items.filter((item) => item.month === PREVIOUS_MONTH).map((item) => item.source.fileName),
      ).toEqual([`gross-${PREVIOUS_MONTH}.csv`]);
      await expect(
        page.getByRole('table', { name: 'Grundgesamtheiten des Monats' }).getByText('fehlerhaft.csv').count(),
      ).resolves.toBe(0);
      await page.context().close();
    });
  });

  describe('legal department: findings report and nil report, and the English switch', () => {
    let page: Page;

    it('shows a finding’s error next to its field, then submits the report with findings', async () => {
      page = await signIn('Rechtsstelle');
      await page.getByRole('navigation').getByRole('link', { name: 'Quartalsbericht Rechtsstelle' }).click();
      await page.getByRole('heading', { level: 1, name: /^Bericht der Rechtsstelle \d{4}\/Q\d$/ }).waitFor();
      await page.getByRole('radio', { name: 'Bericht mit Feststellungen' }).check();
      const finding = page.getByRole('group', { name: 'Feststellung 1' });
      await finding.getByLabel('Rechtsnorm').fill('§ 22 SGB II');
      await finding.getByLabel('Ursache').selectOption({ label: 'Rechtsanwendung' });
      await finding.getByLabel('Team (optional)').fill('team-mi-1');
      await finding.getByLabel('Stattgegebene Widersprüche und Klagen').fill('3');
      await finding.getByLabel('davon vermeidbar').fill('5');
      await page.getByLabel(/^Erkenntnisse aus Klageverfahren/).fill('Angemessenheit der Unterkunftskosten prüfen.');
      await audit(page, 'Bericht der Rechtsstelle (Feststellungen)');
      await page.getByRole('button', { name: 'Bericht abgeben' }).click();
      await finding.getByText('höchstens so viele wie Stattgaben').waitFor();
      await audit(page, 'Bericht der Rechtsstelle (Fehler an der Feststellung)');
      await finding.getByLabel('davon vermeidbar').fill('2');
      await page.getByRole('button', { name: 'Bericht abgeben' }).click();
      await page.getByRole('heading', { level: 2, name: 'Abgegebener Bericht' }).waitFor();
      await page.getByText('1 Feststellungen').waitFor();
      const table = page.getByRole('table', { name: 'Feststellungen' });
      await table.getByRole('row', { name: /§ 22 SGB II Rechtsanwendung team-mi-1 3 2/ }).waitFor();
      await page.getByText('Angemessenheit der Unterkunftskosten prüfen.').waitFor();
      await audit(page, 'Bericht der Rechtsstelle (mit Feststellungen abgegeben)');
    });

    it('submits the nil report of the quarter before', async () => {
      const heading = (await page.getByRole('heading', { level: 1 }).textContent()) ?? '';
      const [, year, quarter] = /(\d{4})\/Q(\d)/.exec(heading)!.map(Number) as [number, number, number];
      const before = quarter === 1 ? { year: year - 1, quarter: 4 } : { year, quarter: quarter - 1 };
      if (before.year !== year) await page.getByLabel('Jahr').selectOption({ label: String(before.year) });
      await page.getByLabel('Quartal').selectOption({ label: `Q${before.quarter}` });
      await page
        .getByRole('heading', { level: 1, name: `Bericht der Rechtsstelle ${before.year}/Q${before.quarter}` })
        .waitFor();
      await page.getByRole('radio', { name: 'Fehlanzeige: keine Feststellungen in diesem Quartal' }).check();
      await page.getByRole('button', { name: 'Fehlanzeige abgeben' }).click();
      await page.getByText('Fehlanzeige (keine Feststellungen)').waitFor();
      await audit(page, 'Bericht der Rechtsstelle (Fehlanzeige abgegeben)');
    });

    it('switches to English and back, and keeps the choice across a reload', async () => {
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { level: 1, name: /^Legal department’s report \d{4}\/Q\d$/ }).waitFor();
      await page.getByText('Nil report (no findings)').waitFor();
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
      await audit(page, 'Legal report (English)');
      await page.reload();
      await page.getByRole('heading', { level: 1, name: /^Legal department’s report \d{4}\/Q\d$/ }).waitFor();
      await page.getByRole('button', { name: 'Deutsch' }).waitFor();
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
      await page.getByRole('link', { name: 'Overview' }).first().click();
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      await audit(page, 'Overview (English)');
      await page.getByRole('button', { name: 'Deutsch' }).click();
      await page.getByRole('heading', { level: 1, name: 'Übersicht' }).waitFor();
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('de');
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Übersicht' }).waitFor();
      await page.getByRole('button', { name: 'English' }).waitFor();
      await audit(page, 'Übersicht (wieder Deutsch)');
      await page.context().close();
    });
  });

  it('finds no accessibility violations (axe, WCAG 2.1 A/AA) on any page state visited', () => {
    expect(findings.map((finding) => finding.page)).toEqual([
      'Prüfroutine (aktiv)',
      'Prüfroutine (Toleranztest nicht bestanden)',
      'Prüfroutine (ausgesetzt)',
      'Prüfroutine (412)',
      'Prüfroutine (neu geladen)',
      'Prüfroutine (wieder aufgenommen)',
      'Stichprobe (nachgerechnet)',
      'Stichprobe (ersetzt)',
      'Stichprobe (Verbindung verloren)',
      'Stichprobe (Ergänzungsstichprobe)',
      'Ziehung (Vormonat)',
      'Ziehung (große Datei hochgeladen)',
      'Ziehung (Datei mit Fehlern)',
      'Bericht der Rechtsstelle (Feststellungen)',
      'Bericht der Rechtsstelle (Fehler an der Feststellung)',
      'Bericht der Rechtsstelle (mit Feststellungen abgegeben)',
      'Bericht der Rechtsstelle (Fehlanzeige abgegeben)',
      'Legal report (English)',
      'Overview (English)',
      'Übersicht (wieder Deutsch)',
    ]);
    expect(findings.filter((finding) => finding.violations.length > 0)).toEqual([]);
  });
});
