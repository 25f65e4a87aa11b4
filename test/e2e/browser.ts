/** Playwright-core driving Debian's chromium (never a downloaded browser), plus the web build the server serves. */
import { after, before } from 'node:test';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { execSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { startTestServer, type TestServer, type TestServerOptions } from '../helpers/server.ts';

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

/**
 * A long-polling request the server answered 400: the socket fell back to polling (tryAllTransports) after a missed
 * heartbeat on a starved machine and polled a session engine.io had already closed ("Session ID unknown"); the
 * client then reconnects by itself. That is the transport's own recovery, not an error of the app (CI once failed
 * the example apps' test on one while the Angular example was being built beside a page).
 */
const SOCKET_POLL_RECOVERY = /status of 400 .*\/socket\.io\/\?[^ ]*transport=polling/;

/**
 * Collects console errors and uncaught exceptions of every page of a context, as `[name] console: <text> (<url>)`
 * (a failed load's text does not say which resource: its url does). SOCKET_POLL_RECOVERY is not collected.
 */
export function watchConsole(context: BrowserContext, name: string, errors: string[]): void {
  const watch = (page: Page) => {
    page.on('console', (msg: ConsoleMessage) => {
      if (msg.type() !== 'error') return;
      const url = msg.location().url;
      const entry = `${msg.text()}${url ? ` (${url})` : ''}`;
      if (!SOCKET_POLL_RECOVERY.test(entry)) errors.push(`[${name}] console: ${entry}`);
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

/**
 * Where the element is (viewport px) and what the browser finds at its middle: `covered` is '' when that is the
 * element itself (or inside it), else the covering element as `TAG.class` (a sticky bar, a form scrolled over it).
 * `scroll`: bring it into view first as a browser does (`scrollIntoView({ block: 'nearest' })`); without it, as it is.
 */
export function placeOf(page: Page, selector: string, opts: { scroll?: boolean } = {}): Promise<{ top: number; bottom: number; viewportHeight: number; covered: string }> {
  return page.$eval(
    selector,
    (el, scroll) => {
      if (scroll) el.scrollIntoView({ block: 'nearest' });
      const r = el.getBoundingClientRect();
      const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return { top: r.top, bottom: r.bottom, viewportHeight: innerHeight, covered: hit === el || el.contains(hit) ? '' : `${hit?.tagName}.${hit?.className}` };
    },
    Boolean(opts.scroll),
  );
}

/** axe-core's serious and critical violations on the page as it is now, one line each (rule, impact, first nodes). */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  // once per document: the SPA's routes change the hash, not the document, and axe.min.js is ~0.5 MB to parse
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8') });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

type ContextOptions = Parameters<Browser['newContext']>[0];

/** One server and one browser shared by the tests of an e2e file (see e2eSuite). */
export interface E2eSuite {
  readonly server: TestServer;
  /** Launched before the first test, or at the first open() when `browserArgs` is given. */
  readonly browser: Browser;
  /** Console errors and uncaught exceptions of every context opened or tracked, `[name] …` each. */
  readonly consoleErrors: string[];
  /** A new context signed in with `token` (or anonymous, 1280×800 en-GB), watched and closed after the file, and a page of it. */
  open(name: string, token?: string, opts?: ContextOptions): Promise<{ context: BrowserContext; page: Page }>;
  /** Watches a context made otherwise and closes it after the file. */
  track(context: BrowserContext, name: string): BrowserContext;
  /** The console errors that match none of `expected` (e.g. the 409 a conflict test causes on purpose). */
  unexpectedConsoleErrors(expected?: RegExp[]): string[];
}

/**
 * The setup every e2e file shares, registered as the file's first before/after hooks (call it first inside
 * describe): builds the web app if stale, makes test-results/, starts a test server (`server` options, or a function
 * returning them, e.g. after starting a stand-in the server points at) and launches chromium (with `browserArgs()`,
 * asked at the first open() so a file's own before() can prepare them, e.g. a fake camera's video). After the
 * file: every context, the browser and the server are closed.
 */
export function e2eSuite(opts: { server?: TestServerOptions | (() => Promise<TestServerOptions>); browserArgs?: () => string[] } = {}): E2eSuite {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const consoleErrors: string[] = [];
  const launch = async () => (browser ??= await launchBrowser(opts.browserArgs?.()));
  const suite: E2eSuite = {
    get server() {
      if (!server) throw new Error('e2eSuite: the server starts in before()');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('e2eSuite: the browser is launched in before() or at the first open()');
      return browser;
    },
    consoleErrors,
    track(context, name) {
      contexts.push(context);
      watchConsole(context, name, consoleErrors);
      return context;
    },
    async open(name, token, contextOpts = {}) {
      const b = await launch();
      const context = token ? await signedInContext(b, token, contextOpts) : await b.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', ...contextOpts });
      suite.track(context, name);
      return { context, page: await context.newPage() };
    },
    unexpectedConsoleErrors(expected = []) {
      return consoleErrors.filter((e) => !expected.some((re) => re.test(e)));
    },
  };
  before(async () => {
    ensureWebBuild();
    mkdirSync(RESULTS_DIR, { recursive: true });
    server = await startTestServer(typeof opts.server === 'function' ? await opts.server() : opts.server);
    if (!opts.browserArgs) await launch(); // throws when chromium is missing: the test fails, never skips
  });
  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });
  return suite;
}
