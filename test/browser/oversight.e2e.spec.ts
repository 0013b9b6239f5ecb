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
 * The oversight roles in the browser, on the built service (embedded default) with the demonstration
 * Jobcenter: an auditor's time travel over a review a team lead completed (through the API), sample and
 * chain verification, the access log and exports; an operator's rebuild with live progress and its
 * confirmation, the purge dry run and health; the legal department's nil report; the central level's
 * approval of a cross-level review (a field error from the API shown at its field first); the regional
 * level's trends (small cells suppressed), the pseudonymised copies under that approval and regional extra
 * questions for a questionnaire; then the central level closes the review and the copies are gone. axe
 * (WCAG 2.1 A/AA) runs on every page visited and must find nothing.
 */
const MONTH = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit' }).format(
  new Date(),
);
const TODAY = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' }).format(new Date());
const REGION = 'rd-demo';
const PROCESS = 'allgemeine-vermittlung';
const BASIS = 'Weisung Kalibrierung 2026/1';
/** Regional extra questions take effect from today at the earliest: next month leaves this month's reviews as drawn. */
const NEXT_MONTH = (() => {
  const [year, month] = MONTH.split('-').map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
})();

interface Question {
  readonly id: string;
  readonly answerType: 'yes-no-na' | 'goal-directed' | 'text' | 'date';
}

describeWithBrowser(
  'oversight in the browser: auditor, operator, legal department, regional level (Chromium, axe)',
  (executable) => {
    let service: RunningService;
    let browser: Browser;
    let secret: Uint8Array;
    let completedReview: string;
    let takenQuestionId: string;
    let questionnaireTitle: string;
    let position = 0;
    const findings: { page: string; violations: AxeFinding[] }[] = [];

    const audit = async (page: Page, name: string, screenshot?: string) => {
      findings.push({ page: name, violations: await axeViolations(page) });
      if (screenshot) await screenshotForReadme(page, screenshot);
    };

    /** The KoliBri field (its host element) whose input has this accessible name. */
    const field = (page: Page, tag: string, name: RegExp) =>
      page.locator(tag).filter({ has: page.getByRole('textbox', { name }) });

    /** One HTTP call with a development bearer token, read-your-writes through `X-Min-Position`. */
    const api = async <T>(
      role: Parameters<typeof mintDevelopmentToken>[0]['roles'][number],
      subject: string,
      method: string,
      path: string,
      body?: unknown,
      extra: { units?: string[]; region?: string } = {},
    ): Promise<T> => {
      const token = await mintDevelopmentToken({ secret, subject, tenant: DEMO_TENANT, roles: [role], ...extra });
      const response = await fetch(`${service.baseUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(position > 0 ? { 'X-Min-Position': String(position) } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      const parsed = (text === '' ? {} : JSON.parse(text)) as T & { position?: number };
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
      await page.getByRole('navigation').getByRole('link', { name: link }).click();
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    };

    beforeAll(async () => {
      service = await startService(await sharedBuild(), { PRUEFPFAD_ENV: 'development' });
      secret = loadOrCreateSigningSecret(service.dataDir);
      const demo = await seedDemoMonth({ baseUrl: service.baseUrl, secret, month: MONTH });
      position = demo.position;
      // A team lead completes one review through the API: the auditor travels back over it.
      const lead = { units: ['team-mi-1'] };
      const worklist = await api<{ items: { id: string }[] }>(
        'team_lead',
        'tl-mi-1',
        'GET',
        `/api/v1/teams/team-mi-1/worklist?month=${MONTH}`,
        undefined,
        lead,
      );
      completedReview = worklist.items[0]!.id;
      const review = await api<{ questions: Question[] }>(
        'team_lead',
        'tl-mi-1',
        'GET',
        `/api/v1/reviews/${completedReview}`,
        undefined,
        lead,
      );
      const value = (question: Question) =>
        question.answerType === 'yes-no-na'
          ? 'yes'
          : question.answerType === 'goal-directed'
            ? 'goal-directed'
            : question.answerType === 'date'
              ? TODAY
              : 'Geprüft, ohne Befund.';
      await api(
        'team_lead',
        'tl-mi-1',
        'PUT',
        `/api/v1/reviews/${completedReview}/answers`,
        {
          answers: review.questions.map((question) => ({ questionId: question.id, value: value(question) })),
        },
        lead,
      );
      await api(
        'team_lead',
        'tl-mi-1',
        'POST',
        `/api/v1/reviews/${completedReview}/completion`,
        {
          outcome: 'goal-directed',
          summary: 'Fall zielgerichtet bearbeitet.',
        },
        lead,
      );
      // Management records the Jobcenter's region (the Zentrale approves a review over it in the browser).
      await api('management', 'demo-gf', 'PUT', '/api/v1/cross-level/region', { region: REGION });
      // A question id the demonstration questionnaire already uses: a regional question may not take it.
      const questionnaires = await api<{ items: { id: string; title: string }[] }>(
        'management',
        'demo-gf',
        'GET',
        '/api/v1/questionnaires',
      );
      questionnaireTitle = questionnaires.items[0]!.title;
      const questionnaire = await api<{ versions: { sections: { questions: { id: string }[] }[] }[] }>(
        'management',
        'demo-gf',
        'GET',
        `/api/v1/questionnaires/${questionnaires.items[0]!.id}`,
      );
      takenQuestionId = questionnaire.versions[0]!.sections[0]!.questions[0]!.id;
      browser = await launchChromium(executable());
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await service?.stop();
    });

    describe('auditor (Prüfung / Revision)', () => {
      let page: Page;

      it('verifies the month’s samples and recomputes a draw', async () => {
        page = await signIn('Prüfung (Revision)');
        await audit(page, 'Übersicht (Revision)');
        await open(page, 'Stichprobenprüfung', /^Stichprobenprüfung /);
        await page.getByText('2 Stichproben, 2 bestätigt, 0 abweichend.').waitFor();
        await page.getByRole('button', { name: 'Ziehung erneut nachrechnen' }).first().click();
        await page.getByText(/^Nachgerechnet: gleiche Ziehung \(3 Fälle/).waitFor();
        await audit(page, 'Stichprobenprüfung');
      });

      it('travels back in time over the completed review with the revision slider', async () => {
        await page
          .getByRole('table', { name: 'Gezogene Fälle team-mi-1' })
          .getByRole('link', { name: completedReview.slice(-12) })
          .click();
        await page.getByRole('heading', { level: 1, name: `Prüfungsakte ${completedReview.slice(-12)}` }).waitFor();
        // The history in German lines, personal data as placeholders.
        await page.getByText('als Platzhalter (pseudonymisiert)').waitFor();
        // The review's own events (no measure here): drawn, answered, completed at least.
        const history = page.getByRole('list', { name: 'Ereignisse der Prüfung und ihrer Maßnahmen' });
        await history.getByRole('listitem').nth(2).waitFor();
        const events = await history.getByRole('listitem').count();
        expect(events).toBeGreaterThanOrEqual(3);
        // Now: completed.
        const state = page.locator('section', { has: page.getByRole('heading', { name: 'Zeitreise' }) });
        await state.getByText(`Stand nach Revision ${events - 1} von ${events - 1}`).waitFor();
        await expect(state.locator('dd').first().textContent()).resolves.toBe('abgeschlossen');
        await audit(page, 'Prüfungsakte (aktuell)');
        // Back to the first event (KoliBri's range: a slider for the eye, a number field for keyboard and
        // screen readers): the case as drawn, nothing answered yet.
        const revision = page.getByRole('spinbutton', { name: /^Revision/ });
        await revision.fill('0');
        await state.getByText(`Stand nach Revision 0 von ${events - 1}`).waitFor();
        await expect(state.locator('dd').first().textContent()).resolves.toBe('offen');
        await state.getByText('noch keine').waitFor();
        await expect(state.getByRole('table', { name: /^Antworten nach Revision/ }).count()).resolves.toBe(0);
        // One step on by keyboard: the answers are there, the review still open.
        await revision.press('ArrowUp');
        await state.getByText(`Stand nach Revision 1 von ${events - 1}`).waitFor();
        await state
          .getByRole('table', { name: /^Antworten nach Revision 1/ })
          .first()
          .waitFor();
        await expect(state.locator('dd').first().textContent()).resolves.toBe('offen');
        await audit(page, 'Prüfungsakte (Zeitreise)', 'revision-zeitreise');
        // Exports are plain links to the API.
        const json = await page.getByRole('link', { name: 'Akte als JSON herunterladen' }).getAttribute('href');
        expect(json).toBe(`/api/v1/reviews/${completedReview}/audit-export.json`);
      });

      it('verifies the chains, reads the access log and offers the quarter exports', async () => {
        await open(page, 'Kettenprüfung', 'Kettenprüfung');
        await page.getByRole('button', { name: 'Ketten prüfen' }).click();
        await page.getByText(/^Keine Auffälligkeiten: \d+ Ströme/).waitFor();
        await audit(page, 'Kettenprüfung');
        await open(page, 'Zugriffsprotokoll', 'Zugriffsprotokoll');
        await page
          .getByRole('table', { name: 'Zugriffe auf personenbezogene Daten' })
          .or(page.getByText('Keine Zugriffe gefunden.'))
          .waitFor();
        await audit(page, 'Zugriffsprotokoll');
        await open(page, 'Exporte', 'Exporte für die Prüfakte');
        await page.getByRole('textbox', { name: /Einheit/ }).fill('team-mi-1');
        const csv = page.getByRole('link', { name: /^team-mi-1 \d{4}\/Q\d als CSV$/ });
        await csv.waitFor();
        expect(await csv.getAttribute('href')).toMatch(/^\/api\/v1\/audit\/exports\/team-mi-1\/\d{4}\/Q\d\.csv$/);
        await audit(page, 'Exporte');
        await open(page, 'Prüfungsakte', 'Prüfungsakte öffnen');
        await audit(page, 'Prüfungsakte öffnen');
      });
    });

    describe('IT operator (IT-Betrieb)', () => {
      let page: Page;

      it('lists the projections with state and lag', async () => {
        page = await signIn('IT-Betrieb');
        await open(page, 'Projektionen', 'Projektionen');
        const table = page.getByRole('table', { name: 'Projektionen' });
        await table.getByRole('link', { name: 'reviews', exact: true }).waitFor();
        await audit(page, 'Projektionen', 'betrieb-projektionen');
      });

      it('rebuilds a projection with live progress and confirms the switch', async () => {
        await page
          .getByRole('table', { name: 'Projektionen' })
          .getByRole('link', { name: 'reviews', exact: true })
          .click();
        await page.getByRole('heading', { level: 1, name: 'Projektion reviews' }).waitFor();
        await audit(page, 'Projektion');
        await page.getByRole('button', { name: 'Neuaufbau starten' }).click();
        // The page polls the status until the new collection has caught up and switched over.
        await page.getByText('umgeschaltet, Bestätigung offen').waitFor({ timeout: 30_000 });
        await page.getByText('Neuaufbau abgeschlossen und umgeschaltet.').waitFor();
        await audit(page, 'Projektion (umgeschaltet)');
        await page.getByRole('button', { name: 'Umschaltung bestätigen (alte Sammlung löschen)' }).click();
        await page.getByText(/^Umschaltung bestätigt; gelöscht: /).waitFor();
        await page.getByText(/^bestätigt \(Version/).waitFor();
      });

      it('runs the purge dry run and shows health', async () => {
        await open(page, 'Löschlauf', 'Löschlauf');
        await page.getByRole('button', { name: 'Probelauf' }).click();
        await page.getByText(/^0 Prüfungen fällig, \d+ behalten/).waitFor();
        await page.getByText('Heute ist nichts fällig.').waitFor();
        await audit(page, 'Löschlauf (Probelauf)');
        await open(page, 'Systemzustand', 'Systemzustand');
        await page.getByText('Betriebsbereit').waitFor();
        await audit(page, 'Systemzustand');
      });
    });

    describe('legal department (Rechtsstelle)', () => {
      it('submits the quarter’s nil report and sees it with its downloads', async () => {
        const page = await signIn('Rechtsstelle');
        await open(page, 'Quartalsbericht Rechtsstelle', /^Bericht der Rechtsstelle \d{4}\/Q\d$/);
        await page.getByRole('heading', { level: 2, name: 'Bericht abgeben' }).waitFor();
        await audit(page, 'Bericht der Rechtsstelle (offen)');
        await page.getByRole('radio', { name: 'Fehlanzeige: keine Feststellungen in diesem Quartal' }).check();
        await page.getByRole('button', { name: 'Fehlanzeige abgeben' }).click();
        await page.getByRole('heading', { level: 2, name: 'Abgegebener Bericht' }).waitFor();
        await page.getByText('Fehlanzeige (keine Feststellungen)').waitFor();
        const pdf = await page.getByRole('link', { name: 'Bericht als PDF herunterladen' }).getAttribute('href');
        expect(pdf).toMatch(/^\/api\/v1\/legal\/reports\/\d{4}\/Q\d\.pdf$/);
        const download = await page.request.get(`${service.baseUrl}${pdf}`);
        expect(download.status()).toBe(200);
        expect((await download.body()).subarray(0, 5).toString()).toBe('%PDF-');
        await audit(page, 'Bericht der Rechtsstelle (abgegeben)');
      });
    });

    let central: Page;
    let regional: Page;

    describe('central level (Zentrale)', () => {
      it('approves a calibration over the region, after the API named a wrong field at that field', async () => {
        central = await signIn('Zentrale');
        await open(central, 'Fallbetrachtungen', 'Ebenenübergreifende Fallbetrachtungen');
        await central.getByRole('heading', { level: 2, name: 'Betrachtung genehmigen' }).waitFor();
        await audit(central, 'Fallbetrachtungen (Zentrale)');
        await central.getByRole('radio', { name: 'Kalibrierung' }).check();
        await central.getByRole('radio', { name: 'alle Jobcenter einer Region' }).check();
        await central.getByRole('textbox', { name: /^Region/ }).fill(REGION);
        await central.getByRole('textbox', { name: /^Kundenprozess/ }).fill(PROCESS);
        await central.getByLabel('Erster Monat').fill(MONTH);
        await central.getByLabel('Letzter Monat').fill(MONTH);
        // Markup is no decision reference: the API refuses the basis, and says so under that field.
        await central.getByRole('textbox', { name: /^Grundlage/ }).fill(`<b>${BASIS}</b>`);
        await central.getByRole('button', { name: 'Genehmigen' }).click();
        await field(central, 'kol-input-text', /^Grundlage/)
          .getByText('höchstens 200 Zeichen, eine Zeile', { exact: true })
          .waitFor();
        await expect(
          field(central, 'kol-input-text', /^Region/)
            .getByText('höchstens 200 Zeichen, eine Zeile')
            .count(),
        ).resolves.toBe(0);
        await audit(central, 'Genehmigung (Feldfehler)');
        // Corrected, the approval is recorded and its page opens.
        await central.getByRole('textbox', { name: /^Grundlage/ }).fill(BASIS);
        await central.getByRole('button', { name: 'Genehmigen' }).click();
        await central.getByRole('heading', { level: 1, name: `Kalibrierung: ${PROCESS}` }).waitFor();
        await central.getByText(BASIS, { exact: true }).waitFor();
        await central.getByRole('heading', { level: 2, name: 'Betrachtung beenden' }).waitFor();
        await audit(central, 'Fallbetrachtung (Zentrale)');
      });
    });

    describe('regional level (Regionaldirektion)', () => {
      let page: Page;

      it('shows the region’s trends with small cells suppressed', async () => {
        page = await signIn(`Regionaldirektion ${REGION}`);
        regional = page;
        await open(page, 'Ebenenübergreifende Entwicklung', 'Ebenenübergreifende Entwicklung');
        await page.getByText(`Region ${REGION}: 1 Jobcenter.`).waitFor();
        await page.getByText(/^Zellen mit weniger als 3 Prüfungen/).waitFor();
        // This month only (the default year is a paged table, oldest first).
        await page.goto(`${service.baseUrl}/ebenen/trends?von=${MONTH}&bis=${MONTH}&raster=month`);
        await page.getByText(/^Zellen mit weniger als 3 Prüfungen/).waitFor();
        const table = page.getByRole('table', { name: 'Kennzahlen je Jobcenter und Zeitraum' });
        // This month: one review done in the Jobcenter, a small cell: suppressed, not shown.
        const thisMonth = table.getByRole('row').filter({ hasText: MONTH }).filter({ hasText: DEMO_TENANT });
        await thisMonth.getByText('unterdrückt').first().waitFor();
        expect(await page.getByRole('link', { name: 'Kennzahlen als CSV herunterladen' }).getAttribute('href')).toMatch(
          /^\/api\/v1\/cross-level\/trends\.csv\?from=/,
        );
        await audit(page, 'Ebenenübergreifende Entwicklung');
      });

      it('reads the pseudonymised copies of an approved cross-level review', async () => {
        await open(page, 'Fallbetrachtungen', 'Ebenenübergreifende Fallbetrachtungen');
        await page.getByRole('link', { name: BASIS }).click();
        await page.getByRole('heading', { level: 1, name: `Kalibrierung: ${PROCESS}` }).waitFor();
        const cases = page.getByRole('table', { name: 'Fälle (Pseudonym je Genehmigung)' });
        await cases.getByRole('row').nth(1).waitFor();
        expect(await cases.getByRole('row').count()).toBe(2); // header and the one completed review
        await expect(cases.textContent()).resolves.not.toContain(completedReview.slice(-12));
        // Closing is the Zentrale's decision: the regional level has no such form.
        await expect(page.getByRole('heading', { name: 'Betrachtung beenden' }).count()).resolves.toBe(0);
        await audit(page, 'Fallbetrachtung', 'ebenen-fallbetrachtung');
      });

      it('adds a regional extra question to the questionnaire, after a taken question id was named at its field', async () => {
        await open(page, 'Regionale Zusatzfragen', 'Regionale Zusatzfragen');
        await audit(page, 'Regionale Zusatzfragen');
        await page.getByRole('table', { name: 'Fragebögen' }).getByRole('link', { name: questionnaireTitle }).click();
        await page.getByRole('heading', { level: 1, name: `Zusatzfragen: ${questionnaireTitle}` }).waitFor();
        await page.getByText('Noch keine.').waitFor();
        await page.getByRole('textbox', { name: /^Kennung der Frage 1/ }).fill(takenQuestionId);
        await page
          .getByRole('textbox', { name: /^Text der Frage 1/ })
          .fill('Wurde die regionale Arbeitsmarktstrategie im Kooperationsplan berücksichtigt?');
        await page.getByRole('textbox', { name: /^Mängelkategorie der Frage 1/ }).fill('Kooperationsplan');
        await page.getByLabel('Gültig ab').fill(`${NEXT_MONTH}-01`);
        await page.getByLabel('Gültig bis').fill(`${NEXT_MONTH}-28`);
        await page
          .getByRole('textbox', { name: /^Begründung/ })
          .fill('Regionaler Schwerpunkt Arbeitsmarktstrategie im nächsten Monat');
        await page.getByRole('button', { name: 'Zusatzfragen speichern' }).click();
        await field(page, 'kol-input-text', /^Kennung der Frage 1/)
          .getByText(`Frage-ID bereits vergeben`, { exact: false })
          .waitFor();
        await audit(page, 'Zusatzfragen (Feldfehler)');
        // A fresh id: saved, and listed with the region from the sign-in; what was typed stayed.
        await page.getByRole('textbox', { name: /^Kennung der Frage 1/ }).fill('rd-demo-arbeitsmarktstrategie');
        await page.getByRole('button', { name: 'Zusatzfragen speichern' }).click();
        await page.getByText('Zusatzfragen gespeichert.').waitFor();
        const additions = page.getByRole('table', { name: 'Regionale Ergänzungen' });
        const row = additions.getByRole('row').filter({ hasText: REGION });
        await row
          .getByText(/Arbeitsmarktstrategie im Kooperationsplan berücksichtigt\? \(ja \/ nein \/ entfällt, Pflicht\)/)
          .waitFor();
        await row.getByText('Regionaler Schwerpunkt Arbeitsmarktstrategie im nächsten Monat').waitFor();
        await audit(page, 'Zusatzfragen (gespeichert)');
      });
    });

    describe('central level closes the review', () => {
      it('closes the review; from then on the regional level sees it closed, without copies', async () => {
        await central
          .getByRole('textbox', { name: /^Grundlage der Beendigung/ })
          .fill('Maßstäbe gebildet; vorzeitig beendet');
        await central.getByRole('button', { name: 'Betrachtung beenden' }).click();
        await central.getByText('Betrachtung beendet.').waitFor();
        const facts = central.locator('dl.facts');
        await facts.getByText('beendet', { exact: true }).waitFor();
        await facts.getByText(/Maßstäbe gebildet; vorzeitig beendet$/).waitFor();
        await audit(central, 'Fallbetrachtung (beendet)');
        await open(regional, 'Fallbetrachtungen', 'Ebenenübergreifende Fallbetrachtungen');
        await regional.getByRole('table', { name: 'Genehmigte Betrachtungen' }).getByText('beendet').waitFor();
        await regional.getByRole('link', { name: BASIS }).click();
        await regional.getByRole('heading', { level: 1, name: `Kalibrierung: ${PROCESS}` }).waitFor();
        await regional.locator('dl.facts').getByText('beendet', { exact: true }).waitFor();
        await regional.getByText('Keine Abschriften in diesem Umfang.').waitFor();
        await audit(regional, 'Fallbetrachtung (beendet, Regionaldirektion)');
      });
    });

    it('finds no accessibility violations (axe, WCAG 2.1 A/AA) on any page visited', () => {
      expect(findings.filter((finding) => finding.violations.length > 0)).toEqual([]);
      expect(findings.length).toBe(25);
    });
  },
);
