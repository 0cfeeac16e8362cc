// End-to-end test of the OpenNOS web site in a real browser (Debian's chromium driven by
// playwright-core): every kind of page, navigation by clicking, the language switch, pages
// without JavaScript, downloads, signing in and out with the account and admin pages, and an
// axe-core accessibility audit of every page.
//
// Runs as `node tests/e2e/site.test.mjs` (CTest: e2e_site). It makes its own data folder and
// server, and removes both at the end. Exits 77 (CTest: skipped) when the browser or the
// browser-test packages are missing. Needs Node 18 or later.
//
// OPENNOS_BINARY  the opennos executable (default /work/main/build/opennos)
// CHROMIUM        the browser (default /usr/bin/chromium)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const BINARY = process.env.OPENNOS_BINARY || '/work/main/build/opennos';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const AXE_PATH = path.join(REPO, 'node_modules', 'axe-core', 'axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
// The test serves axe to the page under this address (see AxeRoute), so that the site's
// Content-Security-Policy (script-src 'self') stays in force while axe runs.
const AXE_URL_PATH = '/__e2e__/axe.min.js';

function skip(why) {
  console.log(`SKIP: ${why}`);
  process.exit(77);
}

if (!fs.existsSync(CHROMIUM)) skip(`no browser at ${CHROMIUM} (apt-get install chromium)`);
if (!fs.existsSync(AXE_PATH)) skip(`no ${AXE_PATH} (run npm ci in ${REPO})`);
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (e) {
  skip(`cannot load playwright-core (run npm ci in ${REPO}): ${e.message}`);
}
if (!fs.existsSync(BINARY)) {
  console.error(`no opennos binary at ${BINARY}: build it, or set OPENNOS_BINARY`);
  process.exit(1);
}

const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

// ---------------------------------------------------------------------------------------------
// The server and its data folder. Cleanup is synchronous so that it also runs from the
// process's 'exit' event and from signal handlers, whatever state the test is in.

let tmpDir = null;
let server = null;
let serverLog = '';
let base = '';
let browser = null;
// Addresses that hold identifiers, looked up through the API once the server runs.
const ids = { item: '', suite: '', job: '' };

function cleanupSync() {
  if (server && server.exitCode === null && server.signalCode === null) {
    try { process.kill(server.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  server = null;
  if (tmpDir) {
    try { fs.rmSync(tmpDir, { recursive: true, force: true }); } catch { /* best effort */ }
    tmpDir = null;
  }
}
process.on('exit', cleanupSync);
// Ends the run, cleaning up, before CTest's TIMEOUT (tests/CMakeLists.txt) would kill it without a chance to.
const DEADLINE_SECONDS = Number(process.env.E2E_DEADLINE_SECONDS || 170);
setTimeout(() => {
  console.error(`FAIL: the browser tests did not finish within ${DEADLINE_SECONDS} s`);
  cleanupSync();
  process.exit(1);
}, DEADLINE_SECONDS * 1000).unref();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    cleanupSync();
    process.exit(128 + os.constants.signals[signal]);
  });
}

function runCli(...args) {
  return runCliWithInput('', ...args);
}

function runCliWithInput(input, ...args) {
  const r = spawnSync(BINARY, ['--data', tmpDir, ...args], { encoding: 'utf8', timeout: 60_000, input });
  if (r.status !== 0) {
    throw new Error(`opennos ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stdout}${r.stderr}`);
  }
  return r.stdout;
}

// The demo's standards body (app/accounts.cc) and its admin, for the sign-in test.
const DEMO_ORG = '5a3c4d8e-0f1b-4c55-9d2e-6f7a8b9c0d1e';
const ADMIN = { email: 'admin@example.org', password: 'e2e-admin-password-Pq7' };
// An editor of the same body, for the authoring walk-through.
const EDITOR = { email: 'editor@example.org', password: 'e2e-editor-password-Wm4' };

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(BINARY, ['--data', tmpDir, 'serve', '--host', '127.0.0.1', '--port', '0'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    server = child;
    const timer = setTimeout(() => reject(new Error(`server did not start in 20 s:\n${serverLog}`)), 20_000);
    const onData = (chunk) => {
      serverLog += chunk.toString();
      const m = /at http:\/\/127\.0\.0\.1:(\d+)\//.exec(serverLog);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before it listened:\n${serverLog}`));
    });
  });
}

async function stopServer() {
  const child = server;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, 'SIGTERM');
  const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 5_000));
  if (await Promise.race([exited, timeout]) === 'timeout') {
    try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ }
    await exited;
  }
}

before(async () => {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opennos-e2e-'));
  runCli('init');
  runCli('demo');
  runCliWithInput(`${ADMIN.password}\n`, 'user', 'add', ADMIN.email, '--org', DEMO_ORG, '--role', 'admin',
    '--password-stdin');
  runCliWithInput(`${EDITOR.password}\n`, 'user', 'add', EDITOR.email, '--org', DEMO_ORG, '--role', 'editor',
    '--password-stdin');
  base = await startServer();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  Object.assign(ids, await findIds());
});

after(async () => {
  try {
    if (browser) await browser.close();
  } finally {
    browser = null;
    await stopServer();
    cleanupSync();
  }
});

// ---------------------------------------------------------------------------------------------
// Helpers.

// Serves axe-core at AXE_URL_PATH on the site's own origin, for addScriptTag({url}).
let axeSource = null;
async function AxeRoute(context) {
  axeSource ??= fs.readFileSync(AXE_PATH);
  await context.route(`**${AXE_URL_PATH}`, (route) =>
    route.fulfill({ body: axeSource, contentType: 'text/javascript; charset=utf-8' }));
}

async function newContext(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, ...options });
  await AxeRoute(context);
  return context;
}

// Opens a page that records console errors, uncaught exceptions and failed sub-resources.
async function watchedPage(context) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location()?.url || '';
    // Chromium reports a document served with an error status as a failed resource; the
    // test checks the status itself, so that one message is expected.
    if (/Failed to load resource/.test(msg.text()) && page.expectedErrorDocument &&
        where === page.expectedErrorDocument) return;
    problems.push(`console error: ${msg.text()}${where ? ` (${where})` : ''}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught exception: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.request().isNavigationRequest()) {
      problems.push(`sub-resource ${r.url()} answered ${r.status()}`);
    }
  });
  page.problems = problems;
  return page;
}

// Text outside the diagram and code uses the GOV.UK font stack (not the browser's serif default).
async function assertGovukFont(page, what) {
  const stray = await page.evaluate(() => {
    const out = new Set();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!n.textContent.trim() || el.closest('svg, code, pre, script, style')) continue;
      const family = getComputedStyle(el).fontFamily;
      if (!/GDS Transport|arial|sans-serif/i.test(family)) {
        out.add(`<${el.tagName.toLowerCase()} class="${el.className}"> in ${family}: "${n.textContent.trim().slice(0, 40)}"`);
      }
    }
    return [...out].slice(0, 10);
  });
  assert.deepEqual(stray, [], `${what}: text not in the GOV.UK font:\n  ${stray.join('\n  ')}`);
}

// WCAG 1.4.10 (reflow): at 320 CSS px the page does not scroll sideways; wide tables and the
// diagram scroll inside their own focusable regions instead.
async function assertReflows(page, what) {
  const wide = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    return [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5 &&
        !el.closest('.opennos-map-wrapper, .opennos-table-wrapper'))
      .slice(0, 8)
      .map((el) => `<${el.tagName.toLowerCase()} class="${el.className}"> right edge ${Math.round(el.getBoundingClientRect().right)}px`);
  });
  assert.deepEqual(wide, [], `${what}: the page is wider than the screen:\n  ${wide.join('\n  ')}`);
}

// On a Welsh page, the site's English-only parts say they are English (WCAG 3.1.2).
async function assertEnglishPartsMarked(page, what) {
  const unmarked = await page.evaluate(() => {
    const selectors = ['.govuk-skip-link', 'header', '.govuk-service-navigation', '.opennos-header-search',
      'footer', '#overview', '#performance', '#knowledge', '#links', '.govuk-breadcrumbs__list-item:first-child',
      'main .govuk-caption-l', '.govuk-grid-column-one-third dt'];
    const out = [];
    for (const selector of selectors) {
      for (const el of document.querySelectorAll(selector)) {
        if (el.closest('[lang]').getAttribute('lang') !== 'en') out.push(`${selector}: "${el.textContent.trim().slice(0, 30)}"`);
      }
    }
    return out;
  });
  assert.deepEqual(unmarked, [], `${what}: English text not marked lang="en":\n  ${unmarked.join('\n  ')}`);
}

function assertNoProblems(page, what) {
  assert.deepEqual(page.problems, [], `${what}: problems in the browser:\n  ${page.problems.join('\n  ')}`);
}

function formatViolations(violations) {
  const lines = [];
  for (const v of violations) {
    lines.push(`- [${v.impact}] ${v.id}: ${v.help}`);
    lines.push(`  ${v.helpUrl}`);
    for (const node of v.nodes) {
      lines.push(`    at ${node.target.join(' ')}`);
      lines.push(`      ${node.html.replace(/\s+/g, ' ').slice(0, 200)}`);
      for (const line of (node.failureSummary || '').split('\n')) {
        if (line.trim()) lines.push(`      ${line.trim()}`);
      }
    }
  }
  return lines.join('\n');
}

async function assertAccessible(page, what) {
  await page.addScriptTag({ url: new URL(AXE_URL_PATH, page.url()).href });
  const results = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return { violations: r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String), html: n.html, failureSummary: n.failureSummary })),
    })) };
  }, AXE_TAGS);
  if (results.violations.length) {
    console.log(`\naxe violations on ${what} (${page.url()}):\n${formatViolations(results.violations)}\n`);
  }
  assert.equal(results.violations.length, 0,
    `${what}: ${results.violations.length} axe violation(s): ${results.violations.map((v) => v.id).join(', ')}` +
    `\n${formatViolations(results.violations)}`);
}

async function h1Text(page) {
  const h1 = page.locator('h1');
  assert.equal(await h1.count(), 1, 'a page has exactly one <h1>');
  return (await h1.innerText()).trim();
}

// ---------------------------------------------------------------------------------------------
// Every kind of page: status, <h1>, <title>, language, no browser errors, zero axe violations.
// sameTemplate: another page of a template listed before; at 320px it gets the reflow check only.

const PAGES = [
  { name: 'home', path: '/', h1: 'Occupational standards, open to everyone',
    check: async (page) => assert.equal(await page.locator('.opennos-card a[href^="/suites/ML"]').count(), 1) },
  { name: 'suites list', path: '/suites', h1: 'Suites of standards',
    check: async (page) => assert.equal(await page.locator('table.govuk-table tbody tr').count(), 3) },
  { name: 'suite (current edition)', path: '/suites/ML', h1: 'Management and Leadership',
    caption: /ML · 2024 edition/,
    check: async (page) => {
      assert.ok(await page.locator('.opennos-tree a[href="/nos/ODSMLC3"]').count() === 1, 'map lists ODSMLC3');
      assert.equal(await page.locator('svg.opennos-map').count(), 1, 'map diagram');
    } },
  { name: 'suite (older edition)', sameTemplate: true, path: '/suites/ML@2012', h1: 'Management and Leadership',
    caption: /ML · 2012 edition · superseded/,
    check: async (page) => assert.ok(await page.locator('.opennos-tree a[href="/nos/ODSML12B1"]').count() === 1) },
  { name: 'suite (by identifier)', sameTemplate: true, path: () => `/suites/${ids.suite}`,
    h1: 'Management and Leadership', caption: /ML · 2012 edition/ },
  { name: 'suite (another)', sameTemplate: true, path: '/suites/CM', h1: 'Coaching and Mentoring', caption: /CM · 2023 edition/ },
  { name: 'editions', path: '/suites/ML/editions',
    h1: 'Management and Leadership: how the units changed between editions',
    check: async (page) => assert.ok(await page.locator('table.govuk-table tbody tr').count() > 10) },
  { name: 'duplicates', path: '/suites/ML/duplicates?threshold=0.5', h1: 'Duplicated statements',
    caption: /Management and Leadership \(ML@2024\)/,
    check: async (page) => {
      assert.ok(await page.locator('.opennos-pair').count() > 0, 'pairs listed');
      assert.equal(await page.locator('.opennos-pair').first().locator('.opennos-pair__side').count(), 2, 'side by side');
      assert.ok(await page.locator('.opennos-pair mark.opennos-common').count() > 0, 'shared words marked');
      assert.ok(await page.locator('#units + .opennos-table-wrapper tbody tr').count() > 0, 'units that share most');
    } },
  { name: 'coverage form', path: '/suites/ML/coverage', h1: 'Coverage by another framework',
    check: async (page) => assert.equal(await page.locator('select#against option').count(), 4) },
  { name: 'coverage', path: '/suites/ML/coverage?against=CM&threshold=0.3', h1: 'Coverage by another framework',
    check: async (page) => {
      assert.equal(await page.locator('svg.opennos-chart[role=img]').count(), 1, 'chart');
      assert.ok(await page.locator('.opennos-gaps li').count() > 0, 'gaps');
      assert.ok(await page.locator('.opennos-pair mark.opennos-common').count() > 0, 'best matches with shared words');
    } },
  { name: 'crosswalk', path: '/suites/ML/crosswalk?against=CM&threshold=0.4', h1: 'Crosswalk suggestions',
    check: async (page) => {
      assert.ok(await page.locator('.opennos-pair').count() > 0, 'suggestions');
      assert.equal(await page.locator('main form[method=post]').count(), 0, 'read-only');
    } },
  { name: 'analysis form with an error', path: '/suites/ML/duplicates?threshold=1.5', status: 400,
    h1: 'Duplicated statements', title: /^Error: /,
    check: async (page) => {
      assert.match(await page.locator('.govuk-error-summary').innerText(), /must be a number above 0 and at most 1/);
      await page.locator('.govuk-error-summary a[href="#threshold"]').click();
      assert.equal(await page.evaluate(() => document.activeElement.id), 'threshold');
    } },
  { name: 'analysis job', path: () => `/analysis/jobs/${ids.job}`, h1: 'Duplicated statements',
    check: async (page) => {
      assert.equal(await page.locator('meta[http-equiv=refresh]').count(), 0, 'never reloads');
      assert.match(await page.locator('main [role=status]').innerText(), /Finished|Analysing|Waiting/);
    } },
  { name: 'unit', path: '/nos/ODSMLC3', h1: 'Develop the people in your team', caption: /ODSMLC3/,
    title: /^ODSMLC3 Develop the people in your team – OpenNOS$/,
    check: async (page) => {
      assert.ok(await page.locator('#performance + p + ol li').count() > 0, 'performance criteria');
      assert.equal(await page.locator('.opennos-language a[hreflang="cy"]').count(), 1, 'link to Welsh');
    } },
  { name: 'unit (lower-case URN)', sameTemplate: true, path: '/nos/odsmlc3', h1: 'Develop the people in your team' },
  { name: 'unit (older edition)', sameTemplate: true, path: '/nos/ODSMLA1?edition=2012', h1: 'Manage your own time',
    check: async (page) => assert.match(
      await page.getByRole('navigation', { name: 'Breadcrumb' }).innerText(), /Management and Leadership \(2012\)/) },
  { name: 'unit in Welsh', path: '/nos/ODSMLC3?lang=cy', h1: "Datblygu'r bobl yn eich tîm", lang: 'cy',
    check: async (page) =>
      assert.equal(await page.locator('.opennos-language a[hreflang="en"]').count(), 1, 'link to English') },
  { name: 'unit in Welsh (A1)', sameTemplate: true, path: '/nos/ODSMLA1?lang=cy', lang: 'cy' },
  { name: 'unit in Welsh (F3)', sameTemplate: true, path: '/nos/ODSMLF3?lang=cy', lang: 'cy' },
  { name: 'legacy 2012 unit', path: '/nos/ODSML12B1', h1: 'Develop a strategic business plan',
    check: async (page) => assert.match(await page.locator('.govuk-warning-text').innerText(), /legacy standard/) },
  { name: 'item', path: () => `/items/${ids.item}`, h1: /^A Managing yourself$/ },
  { name: 'search with results', path: '/search?q=team', h1: 'Search the standards', title: /^Search: team/,
    check: async (page) => {
      const listed = await page.locator('.opennos-results > li').count();
      assert.ok(listed > 0, 'results listed');
      const status = await page.locator('main [role=status]').innerText();
      const total = Number(/^(\d+) /.exec(status)?.[1]);
      assert.ok(total >= listed, `the count "${status}" covers the ${listed} results listed`);
      assert.match(status, /team/);
      assert.equal(await page.locator('.opennos-results a[href^="/nos/"]').count() > 0, true, 'results link to units');
    } },
  { name: 'search without results', sameTemplate: true, path: '/search?q=zzqqxx', h1: 'Search the standards',
    check: async (page) => {
      assert.match(await page.locator('main [role=status]').innerText(), /^0 /);
      assert.equal(await page.locator('.opennos-results > li').count(), 0);
    } },
  { name: 'search form', sameTemplate: true, path: '/search', h1: 'Search the standards' },
  { name: 'about', path: '/about', h1: 'About OpenNOS' },
  { name: '404 with did-you-mean', path: '/nos/ODSMLC33', status: 404, h1: 'Page not found',
    check: async (page) => {
      const link = page.locator('main a[href="/nos/ODSMLC3"]');
      assert.equal(await link.count(), 1, 'suggests ODSMLC3');
      await Promise.all([page.waitForURL('**/nos/ODSMLC3'), link.click()]);
      assert.equal(await h1Text(page), 'Develop the people in your team');
    } },
  { name: '404 of an unknown address', sameTemplate: true, path: '/no/such/page', status: 404, h1: 'Page not found' },
];

// The identifiers of key area A of ML (an item page) and of ML@2012 (a suite by UUID).
async function findIds() {
  const context = await browser.newContext();
  try {
    const treeResponse = await context.request.get(`${base}/api/v1/frameworks/ML/tree`);
    assert.equal(treeResponse.status(), 200);
    const keyArea = (await treeResponse.json()).items.find((i) => i.type === 'key-area' && i.code === 'A');
    assert.ok(keyArea, 'key area A in the ML tree');
    const listResponse = await context.request.get(`${base}/api/v1/frameworks`);
    assert.equal(listResponse.status(), 200);
    const suite = (await listResponse.json()).frameworks.find((f) => f.code === 'ML' && f.edition === '2012');
    assert.ok(suite, 'ML@2012 in the list of frameworks');
    const jobResponse = await context.request.get(`${base}/api/v1/frameworks/CM/duplicates?threshold=0.58&wait=0`);
    assert.equal(jobResponse.status(), 202);
    return { item: keyArea.uuid, suite: suite.uuid, job: (await jobResponse.json()).job.id };
  } finally {
    await context.close();
  }
}

test('every kind of page opens, is sound and has no axe violations', async (t) => {
  const context = await newContext();
  try {
    for (const spec of PAGES) {
      await t.test(spec.name, async () => {
        const urlPath = typeof spec.path === 'function' ? spec.path() : spec.path;
        const page = await watchedPage(context);
        try {
          const url = base + urlPath;
          if ((spec.status ?? 200) >= 400) page.expectedErrorDocument = url;
          const response = await page.goto(url, { waitUntil: 'load' });
          assert.equal(response.status(), spec.status ?? 200, `status of ${urlPath}`);
          assert.match(response.headers()['content-type'], /^text\/html; charset=utf-8/);
          const h1 = await h1Text(page);
          if (spec.h1 instanceof RegExp) assert.match(h1, spec.h1);
          else if (spec.h1) assert.equal(h1, spec.h1);
          else assert.ok(h1.length > 3, `a sensible <h1>: "${h1}"`);
          const title = await page.title();
          assert.match(title, spec.title ?? / – OpenNOS$/, 'page <title>');
          assert.equal(await page.getAttribute('html', 'lang'), spec.lang ?? 'en');
          if (spec.caption) assert.match(await page.locator('main .govuk-caption-l').innerText(), spec.caption);
          // The page's own module script ran (GOV.UK Frontend initialised).
          assert.ok(await page.evaluate(() => document.body.classList.contains('govuk-frontend-supported')),
            'app.js ran');
          await assertAccessible(page, spec.name);
          await assertGovukFont(page, spec.name);
          if (spec.lang === 'cy') await assertEnglishPartsMarked(page, spec.name);
          if (spec.check) await spec.check(page);
          assertNoProblems(page, spec.name);
        } finally {
          await page.close();
        }
      });
    }
  } finally {
    await context.close();
  }
});

test('every page reflows and stays accessible on a 320px screen', async (t) => {
  const context = await newContext({ viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true });
  try {
    for (const spec of PAGES) {
      await t.test(spec.name, async () => {
        const urlPath = typeof spec.path === 'function' ? spec.path() : spec.path;
        const page = await watchedPage(context);
        try {
          const url = base + urlPath;
          if ((spec.status ?? 200) >= 400) page.expectedErrorDocument = url;
          await page.goto(url);
          await assertReflows(page, `${spec.name} at 320px`);
          if (spec.sameTemplate) {
            assertNoProblems(page, `${spec.name} at 320px`);
            return;
          }
          // The service navigation collapses behind a Menu button that opens it.
          const toggle = page.locator('.govuk-service-navigation__toggle');
          await toggle.waitFor({ state: 'visible' });
          assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
          assert.equal(await page.locator('#navigation a[href="/suites"]').isVisible(), false);
          await toggle.click();
          assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
          assert.ok(await page.locator('#navigation a[href="/suites"]').isVisible(), 'menu opened');
          await assertAccessible(page, `${spec.name} at 320px`);
          assertNoProblems(page, `${spec.name} at 320px`);
        } finally {
          await page.close();
        }
      });
    }
  } finally {
    await context.close();
  }
});

test('a long analysis shows a progress page that turns into the report by itself', async () => {
  const context = await newContext();
  try {
    // wait=0: the server never waits for a job this request starts, so the progress page is
    // certain; its script follows the job through the API and then shows the finished report.
    const page = await watchedPage(context);
    const response = await page.goto(`${base}/suites/ML/duplicates?threshold=0.56&wait=0`);
    assert.equal(response.status(), 202);
    assert.equal(await h1Text(page), 'Duplicated statements');
    assert.match(await page.locator('main [role=status]').innerText(), /Analysing|Waiting|Finished/);
    assert.equal(await page.locator('meta[http-equiv=refresh]').count(), 0, 'the page never reloads itself');
    await page.locator('#pairs').waitFor({ timeout: 30000 });
    assert.match(await page.title(), /^Duplicated statements: ML@2024/);
    assert.equal(new URL(page.url()).search, '?threshold=0.56');
    assertNoProblems(page, 'progress to report');
  } finally {
    await context.close();
  }
});

test('the progress page passes axe, shows the progress, and stops checking when asked', async () => {
  // The job is held at 40% by answering the page's checks here, so that nothing moves while
  // axe runs; the report's own address still goes to the server.
  const context = await newContext();
  try {
    const page = await watchedPage(context);
    let checks = 0;
    await page.route(/\/api\/v1\/analysis\/jobs\/[0-9a-f]{32}$/, (route) => {
      checks += 1;
      route.fulfill({ status: 200, contentType: 'application/json',
        body: JSON.stringify({ state: 'running', percent: 40 }) });
    });
    const response = await page.goto(`${base}/suites/ML/coverage?against=CM&threshold=0.57&wait=0`);
    assert.equal(response.status(), 202);
    await page.locator('main', { hasText: '40% done' }).waitFor({ timeout: 10000 });
    assert.equal(await page.locator('progress.opennos-progress').getAttribute('value'), '40');
    assert.match(await page.locator('main [role=status]').innerText(), /^Analysing\.$/);
    await assertAccessible(page, 'analysis progress');

    const stop = page.getByRole('button', { name: 'Stop checking automatically' });
    await stop.click();
    const stopped = page.locator('main', { hasText: 'This page no longer checks by itself' });
    await stopped.waitFor();
    assert.equal(await stop.isVisible(), false);
    const before = checks;
    await page.waitForTimeout(4500);
    assert.equal(checks, before, 'no check after stopping');
    assert.match(new URL(page.url()).search, /wait=0/, 'still the progress page');

    await Promise.all([page.waitForURL(/\/coverage\?threshold=0\.57&against=[^&]+$/),
      page.getByRole('link', { name: 'Check progress' }).click()]);
    await page.locator('#summary').waitFor({ timeout: 30000 });
    assertNoProblems(page, 'progress page');
  } finally {
    await context.close();
  }
});

test('the accessibility check finds a planted problem', async () => {
  // Guards the harness: axe must really run and report, or "zero violations" means nothing.
  const context = await newContext();
  try {
    const page = await watchedPage(context);
    await page.goto(`${base}/about`);
    await page.evaluate(() => {
      const img = document.createElement('img');
      img.src = '/assets/images/favicon.ico';
      document.querySelector('main').append(img);
    });
    await assert.rejects(assertAccessible(page, 'planted image without alt'), /image-alt/);
  } finally {
    await context.close();
  }
});

test('clicking from home to a unit, and switching language', async () => {
  const context = await newContext();
  try {
    const page = await watchedPage(context);
    await page.goto(`${base}/`);
    // The first Tab reaches the skip link, which moves focus to the main content.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Skip to main content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main-content');

    await Promise.all([page.waitForURL(/\/suites\/ML(@2024)?$/),
      page.locator('.opennos-card').getByRole('link', { name: 'Management and Leadership' }).click()]);
    assert.equal(await h1Text(page), 'Management and Leadership');

    const unitLink = page.locator('.opennos-tree').getByRole('link', { name: /^ODSMLC3 / });
    await Promise.all([page.waitForURL(`${base}/nos/ODSMLC3`), unitLink.click()]);
    assert.equal(await h1Text(page), 'Develop the people in your team');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');

    const language = page.getByRole('navigation', { name: 'Language' });
    await Promise.all([page.waitForURL(/\/nos\/ODSMLC3\?lang=cy$/), language.getByRole('link', { name: 'Cymraeg' }).click()]);
    assert.equal(await page.getAttribute('html', 'lang'), 'cy');
    assert.equal(await h1Text(page), "Datblygu'r bobl yn eich tîm");
    assert.equal(await language.locator('[aria-current]').innerText(), 'Cymraeg');

    await Promise.all([page.waitForURL(`${base}/nos/ODSMLC3`), language.getByRole('link', { name: 'English' }).click()]);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await h1Text(page), 'Develop the people in your team');

    // The breadcrumb leads back to the suite.
    await Promise.all([page.waitForURL(/\/suites\/ML(@2024)?$/),
      page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: /Management and Leadership/ }).click()]);
    assertNoProblems(page, 'click-through');
  } finally {
    await context.close();
  }
});

test('the site works without JavaScript', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1200, height: 900 } });
  try {
    const page = await watchedPage(context);
    const response = await page.goto(`${base}/nos/ODSMLC3`);
    assert.equal(response.status(), 200);
    assert.equal(await h1Text(page), 'Develop the people in your team');
    // Without the script, the menu is a plain list of links, and no toggle button shows.
    assert.ok(await page.locator('#navigation a[href="/suites"]').isVisible());
    assert.equal(await page.locator('.govuk-service-navigation__toggle').isVisible(), false);

    const search = page.getByRole('search').first();
    await search.getByLabel('Search the standards').fill('wellbeing');
    await Promise.all([page.waitForURL(/\/search\?q=wellbeing$/), search.getByRole('button', { name: 'Search' }).click()]);
    assert.equal(await h1Text(page), 'Search the standards');
    const results = page.locator('.opennos-results a');
    assert.ok(await results.count() > 0, 'search found something');
    await Promise.all([page.waitForURL(/\/nos\//), results.first().click()]);
    assert.ok((await h1Text(page)).length > 3);

    // A long analysis: the progress page says it does not change by itself, and "Check
    // progress" asks again until the report is there.
    const progress = await page.goto(`${base}/suites/ML/duplicates?threshold=0.61&wait=0`);
    assert.equal(progress.status(), 202);
    assert.equal(await page.getByRole('button', { name: 'Stop checking automatically' }).isVisible(), false);
    assert.ok(await page.locator('main', { hasText: 'This page does not change by itself' }).isVisible());
    for (let i = 0; i < 30 && await page.locator('#summary').count() === 0; i++) {
      await page.getByRole('link', { name: 'Check progress' }).click();
      await page.waitForLoadState('load');
    }
    assert.equal(await page.locator('#summary').count(), 1, 'the report after checking');

    // The language switch is a plain link.
    await page.goto(`${base}/nos/ODSMLF3`);
    await Promise.all([page.waitForURL(/lang=cy/), page.getByRole('link', { name: 'Cymraeg' }).click()]);
    assert.equal(await page.getAttribute('html', 'lang'), 'cy');
    assertNoProblems(page, 'no JavaScript');
  } finally {
    await context.close();
  }
});

test('downloads answer with the right type and file name', async (t) => {
  const context = await newContext();
  try {
    const cases = [
      ['/suites/ML/download.json', /^application\/json/, 'ML@2024.json'],
      ['/suites/ML/download.csv', /^text\/csv/, 'ML@2024.csv'],
      ['/suites/ML@2012/download.json', /^application\/json/, 'ML@2012.json'],
      ['/nos/ODSMLC3/download.json', /^application\/json/, 'ODSMLC3.json'],
      ['/nos/ODSMLC3/download.csv', /^text\/csv/, 'ODSMLC3.csv'],
    ];
    for (const [p, type, filename] of cases) {
      await t.test(p, async () => {
        const r = await context.request.get(base + p);
        assert.equal(r.status(), 200);
        assert.match(r.headers()['content-type'], type);
        assert.equal(r.headers()['content-disposition'], `attachment; filename="${filename}"`);
        const body = await r.text();
        if (filename.endsWith('.json')) assert.equal(typeof JSON.parse(body), 'object');
        else assert.ok(body.split('\n').length > 2, 'CSV has a header and rows');
      });
    }
    await t.test('clicking a download link downloads the file', async () => {
      const page = await watchedPage(context);
      await page.goto(`${base}/nos/ODSMLC3`);
      const [download] = await Promise.all([page.waitForEvent('download'),
        page.getByRole('link', { name: 'ODSMLC3 as CSV' }).click()]);
      assert.equal(download.suggestedFilename(), 'ODSMLC3.csv');
      assert.equal(await download.failure(), null);
      assertNoProblems(page, 'download');
    });
  } finally {
    await context.close();
  }
});

test('signing in and out, and the account and admin pages, with no axe violations', async (t) => {
  const context = await newContext();
  const page = await watchedPage(context);
  try {
    await t.test('a page that needs sign-in leads to the sign-in form', async () => {
      await page.goto(`${base}/account`, { waitUntil: 'load' });
      assert.equal(new URL(page.url()).pathname, '/sign-in');
      assert.equal(await h1Text(page), 'Sign in');
      await assertAccessible(page, 'sign-in form');
    });
    await t.test('a wrong password shows the error summary, and is accessible', async () => {
      page.expectedErrorDocument = `${base}/sign-in`;
      await page.fill('#email', ADMIN.email);
      await page.fill('#password', 'not the password at all');
      await Promise.all([page.waitForLoadState('load'), page.click('form[action="/sign-in"] button')]);
      assert.match(await page.title(), /^Error: Sign in/);
      assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter a correct email address and password/);
      assert.equal(await page.inputValue('#password'), '', 'the password is not sent back');
      await assertAccessible(page, 'sign-in form with an error');
    });
    await t.test('the right password signs in and goes back to the page asked for', async () => {
      page.expectedErrorDocument = undefined;
      await page.fill('#email', ADMIN.email);
      await page.fill('#password', ADMIN.password);
      await Promise.all([page.waitForURL('**/account'), page.click('form[action="/sign-in"] button')]);
      assert.equal(await h1Text(page), 'Your account');
      assert.match(await page.locator('.govuk-service-navigation').innerText(), /admin@example\.org/);
      assert.equal(await page.locator('form[action="/sign-out"] button').count(), 1);
      const cookies = await context.cookies();
      const session = cookies.find((c) => c.name === 'opennos_session');
      assert.ok(session, 'a session cookie');
      assert.equal(session.httpOnly, true);
      assert.equal(session.sameSite, 'Lax');
      await assertAccessible(page, 'account page');
    });
    for (const [name, suffix, h1] of [
      ['members page', '', 'Members and roles'],
      ['audit log', '/audit', 'Audit log'],
      ['import page', '/import', 'Import a framework file'],
      ['export page', '/export', 'Export frameworks'],
    ]) {
      await t.test(`the admin ${name} is accessible`, async () => {
        const response = await page.goto(`${base}/admin/organisations/${DEMO_ORG}${suffix}`, { waitUntil: 'load' });
        assert.equal(response.status(), 200);
        assert.equal(response.headers()['cache-control'], 'private, no-store');
        assert.equal(await h1Text(page), h1);
        await assertAccessible(page, name);
      });
    }
    await t.test('an API token is made once, and the change of password page is accessible', async () => {
      await page.goto(`${base}/account`, { waitUntil: 'load' });
      await page.fill('#token-name', 'e2e');
      await Promise.all([page.waitForLoadState('load'), page.click('form[action="/account/tokens"] button')]);
      assert.equal(await h1Text(page), 'Your new API token');
      assert.match(await page.locator('#new-token').innerText(), /^opennos_/);
      await assertAccessible(page, 'new token');
      await page.goto(`${base}/account/password`, { waitUntil: 'load' });
      await assertAccessible(page, 'change of password');
    });
    await t.test('signing out ends the session', async () => {
      await page.goto(`${base}/`, { waitUntil: 'load' });
      await Promise.all([page.waitForURL(`${base}/`), page.click('form[action="/sign-out"] button')]);
      assert.equal(await page.locator('.govuk-service-navigation a[href="/sign-in"]').count(), 1);
      assert.equal((await context.cookies()).some((c) => c.name === 'opennos_session'), false);
      await page.goto(`${base}/account`, { waitUntil: 'load' });
      assert.equal(new URL(page.url()).pathname, '/sign-in');
      assertNoProblems(page, 'signing in and out');
    });
  } finally {
    await context.close();
  }
});


// ---------------------------------------------------------------------------------------------
// Authoring (issue 7): an editor signs in, creates a draft edition, changes the functional map,
// edits a unit, sees a quality warning appear and go, publishes, and sees the new version and
// the diff; axe finds no violations on any of these pages.


async function checkedPage(page, what, h1) {
  assertNoProblems(page, what);
  if (h1) assert.match(await h1Text(page), h1, what);
  await assertAccessible(page, what);
}

async function submit(page, selector) {
  await Promise.all([page.waitForLoadState('load'), page.click(selector)]);
}

test('an editor keeps crosswalk suggestions and accepts some, with no axe violations', async () => {
  const context = await newContext();
  const page = await watchedPage(context);
  try {
    await page.goto(`${base}/sign-in`, { waitUntil: 'load' });
    await page.fill('#email', EDITOR.email);
    await page.fill('#password', EDITOR.password);
    await submit(page, 'form[action="/sign-in"] button');
    await page.goto(`${base}/suites/CM/crosswalk?against=ML@2024&threshold=0.3`, { waitUntil: 'load' });
    await checkedPage(page, 'crosswalk, signed in as an editor', /^Crosswalk suggestions$/);
    const keep = page.getByRole('button', { name: /^Keep \d+ suggestions for review$/ });
    const count = Number((await keep.innerText()).match(/\d+/)[0]);
    assert.ok(count >= 2, `some suggestions to keep (${count})`);
    await Promise.all([page.waitForURL(/\/suites\/CM\/suggestions\?added=/), keep.click()]);
    await checkedPage(page, 'suggestions kept', /^Crosswalk suggestions kept for review$/);
    assert.match(await page.locator('.govuk-notification-banner').innerText(), new RegExp(`Kept ${count} new suggestion`));
    assert.equal(await page.locator('input[name=id]').count(), Math.min(count, 50));

    // Nothing selected: the error summary leads to the list.
    page.expectedErrorDocument = `${base}/suites/CM/suggestions/decisions`;
    await submit(page, 'button[value=accept]');
    assert.equal(await page.title(), 'Error: Crosswalk suggestions kept for review: CM@2023 – OpenNOS');
    await checkedPage(page, 'suggestions, nothing selected', /^Crosswalk suggestions kept for review$/);
    await page.locator('.govuk-error-summary a[href="#suggestions"]').click();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'suggestions');

    const boxes = page.locator('input[name=id]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await Promise.all([page.waitForURL(/decided=accepted&count=2$/), page.click('button[value=accept]')]);
    await checkedPage(page, 'suggestions decided', /^Crosswalk suggestions kept for review$/);
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /2 suggestions accepted/);
    await page.getByRole('link', { name: 'Accepted (2)' }).click();
    await page.waitForLoadState('load');
    assert.equal(await page.locator('.opennos-pair').count(), 2);
    assert.equal(await page.locator('.opennos-pair .govuk-tag--green').count(), 2);
    await checkedPage(page, 'accepted suggestions', /^Crosswalk suggestions kept for review$/);
  } finally {
    await context.close();
  }
});

test('an editor drafts, checks and publishes a new edition, with no axe violations', async (t) => {
  const context = await newContext();
  const page = await watchedPage(context);
  let draftUrl = '';
  try {
    await t.test('signs in and creates a draft edition', async () => {
      await page.goto(`${base}/drafts`, { waitUntil: 'load' });
      assert.equal(new URL(page.url()).pathname, '/sign-in');
      await page.fill('#email', EDITOR.email);
      await page.fill('#password', EDITOR.password);
      await Promise.all([page.waitForURL('**/drafts'), page.click('form[action="/sign-in"] button')]);
      await checkedPage(page, 'drafts', /^Drafts$/);
      await page.selectOption('#edition-suite', { label: 'Management and Leadership (ML@2024)' });
      await page.fill('#edition-edition', '2030');
      await submit(page, 'form[action="/drafts/editions"] button');
      draftUrl = page.url();
      assert.match(new URL(draftUrl).pathname, /^\/drafts\/[0-9a-f-]{36}$/);
      await checkedPage(page, 'draft task list', /^Management and Leadership$/);
      assert.ok(await page.locator('.govuk-task-list__item').count() > 20, 'a task per unit');
    });
    await t.test('changes the functional map', async () => {
      await page.click('a:has-text("Functional map")');
      await page.waitForLoadState('load');
      await checkedPage(page, 'functional map', /^Functional map$/);
      await page.fill('#add-area-title', 'Working with data');
      await submit(page, 'form:has(#add-area-title) button');
      assert.equal(await page.locator('tbody td:first-child a').filter({ hasText: /Working with data$/ }).count(),
        1, 'new key area');
      const first = (await page.locator('tbody tr').first().locator('td').first().innerText()).trim();
      await submit(page, 'tbody tr:first-child form:has(input[value="down"]) button');
      const now = (await page.locator('tbody tr').first().locator('td').first().innerText()).trim();
      assert.notEqual(now, first, 'the first key area moved down');
      await checkedPage(page, 'functional map after changes', /^Functional map$/);
    });
    await t.test('edits a unit and sees a quality warning appear and go', async () => {
      await page.goto(draftUrl, { waitUntil: 'load' });
      await page.click('.govuk-task-list a:has-text("Develop the people in your team")');
      await page.waitForLoadState('load');
      await checkedPage(page, 'draft unit', /Develop the people in your team/);
      assert.equal(await page.locator('.opennos-field-warning').count(), 0, 'no warnings yet');
      await page.fill('#field-overview', 'This standard is about developing the people in your team, revised in 2030.');
      await submit(page, 'form:has(#field-overview) button[type="submit"]');
      assert.equal(await page.inputValue('#field-overview'), 'This standard is about developing the people in your team, revised in 2030.');
      // A performance criterion that does not start with a verb.
      await page.click('#group-performance-criterion ~ ol li:first-child a:has-text("Edit")');
      await page.waitForLoadState('load');
      await checkedPage(page, 'statement editor', /^Edit /);
      const original = await page.inputValue('#field-text');
      await page.fill('#field-text', 'The development needs of each team member are identified.');
      await submit(page, 'form:has(#field-text) button[type="submit"]');
      const warning = page.locator('.opennos-field-warning');
      assert.equal(await warning.count(), 1, 'the warning appears');
      assert.match(await warning.innerText(), /Start the performance criterion with a verb/);
      assert.match(await page.locator('.govuk-error-summary').innerText(), /Warning: Start the performance criterion/);
      assert.match(await page.locator('.govuk-error-summary__title').innerText(), /0 to fix, 1 to consider/);
      await checkedPage(page, 'draft unit with a quality warning', /Develop the people in your team/);
      await page.click('#group-performance-criterion ~ ol li:first-child a:has-text("Edit")');
      await page.waitForLoadState('load');
      assert.equal(await page.locator('.opennos-field-warning').count(), 1, 'beside the field too');
      await checkedPage(page, 'statement editor with a warning', /^Edit /);
      await page.fill('#field-text', `${original} Review them every quarter.`);
      await submit(page, 'form:has(#field-text) button[type="submit"]');
      assert.equal(await page.locator('.opennos-field-warning').count(), 0, 'the warning goes');
    });
    await t.test('checks the answers and publishes', async () => {
      await page.goto(`${draftUrl}/publish`, { waitUntil: 'load' });
      await checkedPage(page, 'check answers', /^Check your answers before publishing$/);
      assert.equal(await page.locator('.govuk-error-summary').count(), 0, 'nothing blocks publishing');
      await page.check('#as-edition');
      await Promise.all([page.waitForURL('**/suites/ML@2030*'), page.click('form[action$="/publish"] button')]);
      await checkedPage(page, 'published suite', /^Management and Leadership$/);
      assert.match(await page.locator('main .govuk-caption-l').innerText(), /2030 edition/);
    });
    await t.test('sees the new version of the unit and the diff', async () => {
      await page.goto(`${base}/nos/ODSMLC3`, { waitUntil: 'load' });
      assert.match(await page.locator('main .govuk-caption-l').innerText(), /version 2/);
      assert.match(await page.locator('.govuk-grid-column-one-third').innerText(), /2024 edition/);
      await checkedPage(page, 'unit, new version', /Develop the people in your team/);
      await page.click('a:has-text("History of this standard")');
      await page.waitForLoadState('load');
      await checkedPage(page, 'unit history', /^History of /);
      await page.fill('#diff-from', '1');
      await submit(page, 'form.opennos-compare button');
      await checkedPage(page, 'unit diff', /^Changes to /);
      const added = await page.locator('.govuk-summary-list ins.opennos-diff-added').allInnerTexts();
      assert.match(added.join(' '), /2030/);
      assert.ok(await page.locator('.govuk-summary-list del.opennos-diff-removed').count() > 0,
        'removed words shown');
    });
    await t.test('the review dates page', async () => {
      await page.goto(`${base}/review-dates?months=120`, { waitUntil: 'load' });
      await checkedPage(page, 'review dates', /^Standards due for review$/);
    });
  } finally {
    await context.close();
  }
});
