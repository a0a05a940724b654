import { expect, test } from '@playwright/test';

/**
 * Pages that take a secret in a password field, for scripts/trace-typed-input.test.ts. Each test
 * types the secret (TRACE_FIXTURE_SECRET) as a person would and then fails on purpose, so its
 * trace is kept: one page forgets the secret once the form is submitted, the other shows it.
 */
const secret = process.env.TRACE_FIXTURE_SECRET ?? '';

/** A form whose Save button runs `onSave` (the page's own code) with the password field. */
const form = (onSave: string) => `
  <form onsubmit="event.preventDefault(); const field = document.getElementById('secret'); ${onSave}">
    <label>Name <input id="name"></label>
    <label>Secret key <input id="secret" type="password"></label>
    <button>Save</button>
  </form>
  <p id="status"></p>`;

test('a form that forgets the secret once saved', async ({ page }) => {
  await page.setContent(form("field.value = ''; document.getElementById('status').textContent = 'Saved';"));
  await page.getByLabel('Name').fill('work account');
  await page.getByLabel('Secret key').fill(secret);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved')).toBeVisible();
  await expect(page.getByText('never shown')).toBeVisible({ timeout: 500 });
});

test('a form that shows the secret once saved', async ({ page }) => {
  await page.setContent(
    form("document.getElementById('status').textContent = 'Saved ' + field.value; console.log('key', field.value);"),
  );
  await page.getByLabel('Secret key').fill(secret);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved')).toBeVisible();
  await expect(page.getByText('never shown')).toBeVisible({ timeout: 500 });
});
