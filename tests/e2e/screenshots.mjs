// Writes the screenshots in docs/screenshots/ from a fresh demo server:
//   home.png   the home page, 1200 px wide, whole page
//   suite.png  the Management and Leadership suite, 1200 px wide, cut to its first 1600 px
//   unit.png   the unit ODSMLC3, 1200 px wide, whole page
//   draft.png  an editor's draft edition of ML: its task list, cut to its first 1600 px
//   draft-unit.png  a unit of that draft with a quality warning beside a criterion
//   duplicates.png  ML's duplicated statements at 0.5: summary and the units that share most
//   suggestions.png crosswalk suggestions CM -> ML kept for review, two accepted, cut likewise
//
// Usage: node tests/e2e/screenshots.mjs [OUTPUT_DIR]
// OPENNOS_BINARY  the opennos executable (default /work/main/build/opennos)
// CHROMIUM        the browser (default /usr/bin/chromium)

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const BINARY = process.env.OPENNOS_BINARY || '/work/main/build/opennos';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const OUT = path.resolve(process.argv[2] || path.join(REPO, 'docs', 'screenshots'));
const WIDTH = 1200;

const SHOTS = [
  { file: 'home.png', path: '/', fullPage: true },
  { file: 'suite.png', path: '/suites/ML', fullPage: true, maxHeight: 1600 },
  { file: 'unit.png', path: '/nos/ODSMLC3', fullPage: true },
  { file: 'duplicates.png', path: '/suites/ML/duplicates?threshold=0.5', fullPage: true, maxHeight: 1600 },
];

const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opennos-shots-'));
let server = null;

function cleanup() {
  if (server && server.exitCode === null && server.signalCode === null) {
    try { process.kill(server.pid, 'SIGKILL'); } catch { /* gone */ }
  }
  server = null;
  fs.rmSync(tmpDir, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => process.exit(128 + os.constants.signals[signal]));
}

function runCli(...args) {
  runCliWithInput(undefined, ...args);
}

function runCliWithInput(input, ...args) {
  const r = spawnSync(BINARY, ['--data', tmpDir, ...args], { encoding: 'utf8', timeout: 60_000, input });
  if (r.status !== 0) throw new Error(`opennos ${args.join(' ')} failed: ${r.stdout}${r.stderr}`);
}

function startServer() {
  return new Promise((resolve, reject) => {
    let log = '';
    server = spawn(BINARY, ['--data', tmpDir, 'serve', '--host', '127.0.0.1', '--port', '0'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 20_000);
    const onData = (chunk) => {
      log += chunk.toString();
      const m = /at http:\/\/127\.0\.0\.1:(\d+)\//.exec(log);
      if (m) { clearTimeout(timer); resolve(`http://127.0.0.1:${m[1]}`); }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('error', reject);
    server.on('exit', (code) => reject(new Error(`server exited (${code}):\n${log}`)));
  });
}

const EDITOR = { email: 'editor@example.org', password: 'screenshot-editor-password' };
runCli('init');
runCli('demo');
runCliWithInput(`${EDITOR.password}\n`, 'user', 'add', EDITOR.email, '--org', 'OpenNOS Demo Standards Body',
  '--role', 'editor', '--password-stdin');
const base = await startServer();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const context = await browser.newContext({ viewport: { width: WIDTH, height: 900 }, deviceScaleFactor: 1 });
  fs.mkdirSync(OUT, { recursive: true });
  async function take(page, shot) {
    await page.evaluate(() => document.fonts.ready);
    const file = path.join(OUT, shot.file);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    const options = { path: file, fullPage: shot.fullPage, animations: 'disabled', caret: 'hide' };
    if (shot.maxHeight && height > shot.maxHeight) {
      options.clip = { x: 0, y: 0, width: WIDTH, height: shot.maxHeight };
    }
    await page.screenshot(options);
    console.log(`${file} (${new URL(page.url()).pathname}, ${WIDTH}x${Math.min(height, shot.maxHeight ?? height)})`);
  }
  for (const shot of SHOTS) {
    const page = await context.newPage();
    const response = await page.goto(base + shot.path, { waitUntil: 'load' });
    if (response.status() !== 200) throw new Error(`${shot.path} answered ${response.status()}`);
    await take(page, shot);
    await page.close();
  }
  // Authoring: the editor signs in, starts a draft edition and leaves a criterion that does not
  // start with a verb, so its warning shows.
  const page = await context.newPage();
  await page.goto(`${base}/sign-in?next=%2Fdrafts`, { waitUntil: 'load' });
  await page.fill('#email', EDITOR.email);
  await page.fill('#password', EDITOR.password);
  await Promise.all([page.waitForURL('**/drafts'), page.click('form[action="/sign-in"] button')]);
  await page.selectOption('#edition-suite', { label: 'Management and Leadership (ML@2024)' });
  await page.fill('#edition-edition', '2030');
  await Promise.all([page.waitForLoadState('load'), page.click('form[action="/drafts/editions"] button')]);
  await take(page, { file: 'draft.png', fullPage: true, maxHeight: 1600 });
  await Promise.all([page.waitForLoadState('load'),
    page.click('.govuk-task-list a:has-text("Develop the people in your team")')]);
  await Promise.all([page.waitForLoadState('load'),
    page.click('#group-performance-criterion ~ ol li:first-child a:has-text("Edit")')]);
  await page.fill('#field-text', 'The development needs of each team member are identified.');
  await Promise.all([page.waitForLoadState('load'), page.click('form:has(#field-text) button[type="submit"]')]);
  await take(page, { file: 'draft-unit.png', fullPage: true, maxHeight: 1600 });
  // Analysis: the editor keeps a crosswalk's suggestions and accepts the first two.
  await page.goto(`${base}/suites/CM/crosswalk?against=ML@2024&threshold=0.3`, { waitUntil: 'load' });
  await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("suggestions for review")')]);
  await page.locator('input[name=id]').nth(0).check();
  await page.locator('input[name=id]').nth(1).check();
  await Promise.all([page.waitForLoadState('load'), page.click('button[value=accept]')]);
  await take(page, { file: 'suggestions.png', fullPage: true, maxHeight: 1600 });
  await page.close();
} finally {
  await browser.close();
  if (server && server.exitCode === null && server.signalCode === null) {
    server.removeAllListeners('exit');
    const exited = new Promise((resolve) => server.once('exit', resolve));
    process.kill(server.pid, 'SIGTERM');
    await exited;
  }
  cleanup();
}
