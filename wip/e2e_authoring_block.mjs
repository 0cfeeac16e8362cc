
// ---------------------------------------------------------------------------------------------
// Authoring (issue 7): an editor signs in, creates a draft edition, changes the functional map,
// edits a unit, sees a quality warning appear and go, publishes, and sees the new version and
// the diff; axe finds no violations on any of these pages.

const EDITOR = { email: 'editor@example.org', password: 'e2e-editor-password-Wm4' };

async function checkedPage(page, what, h1) {
  assertNoProblems(page, what);
  if (h1) assert.match(await h1Text(page), h1, what);
  await assertAccessible(page, what);
}

async function submit(page, selector) {
  await Promise.all([page.waitForLoadState('load'), page.click(selector)]);
}

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
      await page.selectOption('#edition-suite', { label: /Management and Leadership \(ML@2024\)/ });
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
      assert.equal(await page.locator('td:has-text("Working with data")').count(), 1, 'new key area');
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
      assert.match(await page.locator('ins.opennos-diff-added').first().innerText(), /2030/);
      assert.ok(await page.locator('del.opennos-diff-removed').count() > 0, 'removed words shown');
    });
    await t.test('the review dates page', async () => {
      await page.goto(`${base}/review-dates?months=120`, { waitUntil: 'load' });
      await checkedPage(page, 'review dates', /^Standards due for review$/);
    });
  } finally {
    await context.close();
  }
});
