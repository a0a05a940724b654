import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectNoSeriousAxeViolations } from './axe';
import { expect, test } from './fixtures';

/**
 * The update setting (issue #14): "Check for updates once a day" in the settings dialog, kept in
 * updates-settings.json. Web mode never updates itself and says so; the installed app's checks
 * and its notice are covered by src/main/services/updates/ and e2e/electron.spec.ts.
 */
test('the daily update check can be turned off, and stays off', async ({ page, webApp }) => {
  await page.goto(webApp.url);
  const openSettings = async () => {
    await page.getByRole('region', { name: 'Transfers' }).getByRole('button', { name: 'Settings…' }).click();
    return page.getByRole('dialog', { name: 'Transfer settings' });
  };
  let settings = await openSettings();
  const check = settings.getByRole('checkbox', { name: 'Check for updates once a day' });
  await expect(check).toBeChecked();
  await expect(check).toHaveAccessibleDescription(/does not update itself/);
  await expectNoSeriousAxeViolations(page, '[role="dialog"]');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectNoSeriousAxeViolations(page, '[role="dialog"]');
  await page.emulateMedia({ colorScheme: 'light' });

  await check.uncheck();
  // The file appears once main has saved the change: until then the poll reads "no file yet"
  // (a read that throws would end the poll at once), with room for a busy machine.
  const savedSettings = () =>
    readFile(join(webApp.dataDir, 'updates-settings.json'), 'utf8').then(
      (text) => JSON.parse(text) as unknown,
      () => null,
    );
  await expect.poll(savedSettings, { timeout: 15_000 }).toMatchObject({ enabled: false });
  await settings.getByRole('button', { name: 'Cancel' }).click();

  await page.reload();
  settings = await openSettings();
  await expect(settings.getByRole('checkbox', { name: 'Check for updates once a day' })).not.toBeChecked();
});
