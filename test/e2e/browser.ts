/** Playwright-core driving Debian's chromium (never a downloaded browser), plus the web build the server serves. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { execSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS_DIR = path.join(ROOT, 'test-results');

/** Launches chromium (with `extraArgs`, e.g. a fake camera); throws (so the test fails, never skips) when it is not installed. */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`chromium not found at ${CHROMIUM_PATH}: install it (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds web/dist when it is missing or older than the sources it is made of, so the browser tests the current code. */
export function ensureWebBuild(): void {
  const index = path.join(ROOT, 'web', 'dist', 'index.html');
  const sources = Math.max(
    ...['web/src', 'web/public', 'src/client', 'src/contract'].map((d) => newestMtime(path.join(ROOT, d))),
    statSync(path.join(ROOT, 'web', 'index.html')).mtimeMs,
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execSync('npm run build:web', { cwd: ROOT, stdio: 'pipe' });
}

/** Collects console errors and uncaught exceptions of every page of a context. */
export function watchConsole(context: BrowserContext, name: string, errors: string[]): void {
  const watch = (page: Page) => {
    page.on('console', (msg: ConsoleMessage) => {
      if (msg.type() === 'error') errors.push(`[${name}] console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => errors.push(`[${name}] pageerror: ${err.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
}

/** A context already signed in with the token (the SPA reads it from localStorage). */
export async function signedInContext(browser: Browser, token: string, opts: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', ...opts });
  await context.addInitScript((t) => {
    // Once per tab (so a reload keeps what the user changed), and only on the app's pages (not about:blank).
    if (location.protocol.startsWith('http') && !sessionStorage.getItem('boxoffice.e2e')) {
      localStorage.setItem('boxoffice.token', t);
      localStorage.setItem('boxoffice.lang', 'en');
      sessionStorage.setItem('boxoffice.e2e', '1');
    }
  }, token);
  return context;
}

/**
 * Signs in through the app's own form (the sign-in page, or the form inside `within`, e.g. the show page's
 * sign-in dialog). With `name` it switches the form to "Create account" first and registers a customer.
 * Waits until the form is gone or hidden (signed in); a refused sign-in fails with the form's error message.
 */
export async function signInThroughForm(
  page: Page,
  account: { email: string; password: string; name?: string },
  within = '',
): Promise<void> {
  const field = (id: string) => `${within} [data-testid="${id}"]`.trim();
  if (account.name !== undefined) {
    await page.click(field('login-mode-toggle'));
    await page.fill(field('login-name'), account.name);
  }
  await page.fill(field('login-email'), account.email);
  await page.fill(field('login-password'), account.password);
  await page.click(field('login-submit'));
  const outcome = await Promise.race([
    page.waitForSelector(field('login-form'), { state: 'hidden' }).then(() => undefined),
    page.waitForSelector(field('login-error')).then((el) => el.textContent()),
  ]);
  if (outcome) throw new Error(`sign-in refused: ${outcome}`);
}

export const seat = (id: string) => `[data-seat-id="${id}"]`;

/** axe-core's serious and critical violations on the page as it is now, one line each (rule, impact, first nodes). */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8') });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}
