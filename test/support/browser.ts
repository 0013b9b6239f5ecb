/**
 * Browser tests drive Debian's Chromium (`apt-get install chromium`) through playwright-core; nothing
 * downloads a browser. Where no Chromium runs, each browser suite registers one skipped test whose name
 * states why, so Jest counts it as skipped, never as passed. `.ci/run` installs Chromium and sets
 * PRUEFPFAD_REQUIRE_BROWSER=1: there a missing browser is a failing test instead.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

export const REQUIRE_BROWSER_ENV = 'PRUEFPFAD_REQUIRE_BROWSER';
export const CHROMIUM_ENV = 'PRUEFPFAD_CHROMIUM';

export type BrowserProbe =
  { readonly available: true; readonly executable: string } | { readonly available: false; readonly reason: string };

export function chromiumExecutable(env: NodeJS.ProcessEnv = process.env): string {
  return env[CHROMIUM_ENV] ?? '/usr/bin/chromium';
}

/** Chromium is there and starts (`--version`); a present but broken binary counts as unavailable. */
export function probeBrowser(env: NodeJS.ProcessEnv = process.env): BrowserProbe {
  const executable = chromiumExecutable(env);
  if (!fs.existsSync(executable)) {
    return { available: false, reason: `${executable} not found; apt-get install chromium, or set ${CHROMIUM_ENV}` };
  }
  const version = spawnSync(executable, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  if (version.status !== 0) {
    return {
      available: false,
      reason: `${executable} --version failed: ${(version.stderr || String(version.error)).trim().split('\n')[0]}`,
    };
  }
  return { available: true, executable };
}

let cached: BrowserProbe | undefined;

/** `describe` for suites that need Chromium (see the file comment). */
export function describeWithBrowser(name: string, fn: (executable: () => string) => void): void {
  cached ??= probeBrowser();
  const probe = cached;
  if (probe.available) {
    describe(name, () => fn(() => probe.executable));
    return;
  }
  if (process.env[REQUIRE_BROWSER_ENV] === '1') {
    describe(name, () => {
      it(`requires Chromium (${REQUIRE_BROWSER_ENV}=1)`, () => {
        throw new Error(`Chromium is required here but unavailable: ${probe.reason}`);
      });
    });
    return;
  }
  process.stderr.write(`[browser] skipping browser suite "${name}": ${probe.reason}\n`);
  describe(name, () => {
    it.skip(`skipped: no Chromium (${probe.reason})`, () => undefined);
  });
}

export async function launchChromium(executable: string): Promise<Browser> {
  // Root in a container has no user namespace for Chromium's sandbox; the pages are our own.
  return chromium.launch({ executablePath: executable, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

export interface AxeFinding {
  readonly id: string;
  readonly impact: string | null | undefined;
  readonly help: string;
  readonly targets: readonly string[];
}

/** axe-core with the WCAG 2.0/2.1 A and AA rules (BITV 2.0) on the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeFinding[]> {
  await settledTransitions(page);
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(' ')),
  }));
}

/**
 * Waits until the page's finite CSS transitions and animations have ended, inside shadow roots too
 * (`document.getAnimations()` does not reach them). KoliBri's buttons fade their colours over 0.5 s when
 * hovered, so a button that appears under the pointer after a click is checked for contrast half-way
 * through its fade otherwise. A condition, not a sleep: it returns at once when nothing runs; infinite
 * ones (a spinner) are not waited for.
 */
async function settledTransitions(page: Page): Promise<void> {
  await page.evaluate(SETTLED_TRANSITIONS);
}

// Runs in the page (the test code is compiled without the DOM's types, hence a string).
const SETTLED_TRANSITIONS = `(async () => {
  const running = [];
  const visit = (root) => {
    for (const element of root.querySelectorAll('*')) {
      for (const animation of element.getAnimations())
        if (animation.effect && animation.effect.getComputedTiming().endTime !== Infinity) running.push(animation);
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  visit(document);
  await Promise.all(running.map((animation) => animation.finished.catch(() => undefined)));
})()`;

export const SCREENSHOTS_ENV = 'PRUEFPFAD_SCREENSHOTS';

/**
 * With PRUEFPFAD_SCREENSHOTS=1, saves the page as `docs/screenshots/<name>.png` for the README (the
 * committed pictures are made this way); otherwise does nothing, so test runs never rewrite them.
 */
export async function screenshotForReadme(page: Page, name: string): Promise<void> {
  if (process.env[SCREENSHOTS_ENV] !== '1') return;
  const dir = path.resolve(import.meta.dirname, '../../docs/screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: false });
}
