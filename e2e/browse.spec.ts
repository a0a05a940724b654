import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { DeleteBucketCommand, ListBucketsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { freshBucket } from '../test/s3-fixtures';
import { expect, test } from './fixtures';
import { filesOf, gridOf, keysIn, openBucket, rowOf, shownNames, sidebarOf, toolbarButton } from './ui';

/** Puts objects of the given sizes (bytes of 'x'), in parallel batches of 100. */
async function seed(client: S3Client, bucket: string, objects: Record<string, number>): Promise<void> {
  const entries = Object.entries(objects);
  for (let i = 0; i < entries.length; i += 100) {
    await Promise.all(
      entries
        .slice(i, i + 100)
        .map(([Key, size]) => client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'x'.repeat(size) }))),
    );
  }
}

test('a new user browses a bucket, sorts, filters, makes a folder, renames, moves and deletes, and sees every change', async ({
  page,
  webApp,
  s3,
  s3Client,
}) => {
  const bucket = await freshBucket(s3);
  const name = bucket.name;
  try {
    await seed(s3Client, name, {
      'notes.txt': 300,
      'photo.jpg': 5_000,
      'report.pdf': 12_000,
      'docs/readme.md': 10,
      'docs/guide.md': 20,
      'archive/2023/old.txt': 5,
    });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(webApp.url);
    const sidebar = sidebarOf(page);
    const grid = gridOf(page);

    // Open the bucket from the tree: folders first, then files, with sizes.
    await openBucket(page, name);
    await expect.poll(() => shownNames(page)).toEqual(['archive', 'docs', 'notes.txt', 'photo.jpg', 'report.pdf']);
    await expect(rowOf(page, 'report.pdf')).toContainText('12 KiB');
    await expect(filesOf(page).getByRole('status')).toHaveText(/5 items/);

    // The tree lists the bucket's folders; choosing one opens it in the list.
    await sidebar.getByRole('treeitem', { name: 'docs', exact: true }).click();
    await expect(filesOf(page).getByRole('heading', { name: 'docs' })).toBeVisible();
    await expect.poll(() => shownNames(page)).toEqual(['guide.md', 'readme.md']);
    await expect(filesOf(page).getByLabel('Path')).toHaveValue(`s3://${name}/docs/`);
    await expect(sidebar.getByRole('treeitem', { name: 'docs', exact: true })).toHaveAttribute('aria-selected', 'true');

    // Back, and forward again; then the breadcrumbs lead up to the bucket.
    await filesOf(page).getByRole('button', { name: 'Back' }).click();
    await expect(filesOf(page).getByRole('heading', { name })).toBeVisible();
    await filesOf(page).getByRole('button', { name: 'Forward' }).click();
    await expect(filesOf(page).getByRole('heading', { name: 'docs' })).toBeVisible();
    await filesOf(page).getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('button', { name }).click();
    await expect(filesOf(page).getByRole('heading', { name })).toBeVisible();

    // Keyboard: Enter opens the focused folder, Backspace goes up.
    await rowOf(page, 'archive').click();
    await page.keyboard.press('Enter');
    await expect(filesOf(page).getByRole('heading', { name: 'archive' })).toBeVisible();
    await expect.poll(() => shownNames(page)).toEqual(['2023']);
    await page.keyboard.press('Backspace');
    await expect(filesOf(page).getByRole('heading', { name })).toBeVisible();

    // Sort by size: folders stay first, files smallest first, then largest first.
    const sizeHeader = grid.getByRole('columnheader', { name: 'Size' });
    await sizeHeader.getByRole('button').click();
    await expect(sizeHeader).toHaveAttribute('aria-sort', 'ascending');
    await expect.poll(() => shownNames(page)).toEqual(['archive', 'docs', 'notes.txt', 'photo.jpg', 'report.pdf']);
    await sizeHeader.getByRole('button').click();
    await expect(sizeHeader).toHaveAttribute('aria-sort', 'descending');
    await expect.poll(() => shownNames(page)).toEqual(['docs', 'archive', 'report.pdf', 'photo.jpg', 'notes.txt']);
    const nameHeader = grid.getByRole('columnheader', { name: 'Name' });
    await expect(nameHeader).not.toHaveAttribute('aria-sort');
    // Back to names (the order kept while sorted by size), reversed, and back again.
    await nameHeader.getByRole('button').click();
    await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending');
    await expect.poll(() => shownNames(page)).toEqual(['archive', 'docs', 'notes.txt', 'photo.jpg', 'report.pdf']);
    await nameHeader.getByRole('button').click();
    await expect(nameHeader).toHaveAttribute('aria-sort', 'descending');
    await expect.poll(() => shownNames(page)).toEqual(['docs', 'archive', 'report.pdf', 'photo.jpg', 'notes.txt']);
    await nameHeader.getByRole('button').click();
    await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending');

    // Filter as you type, over what is loaded.
    const filter = filesOf(page).getByLabel('Filter this folder');
    await filter.fill('re');
    await expect.poll(() => shownNames(page)).toEqual(['report.pdf']);
    await expect(filesOf(page).getByRole('status')).toHaveText(/1 of 5 items/);
    await filter.fill('*.txt');
    await expect.poll(() => shownNames(page)).toEqual(['notes.txt']);
    await filter.fill('');
    await expect.poll(() => shownNames(page)).toHaveLength(5);

    // The context menu from the keyboard (Shift+F10), on the focused row; Ctrl+A selects everything shown.
    await rowOf(page, 'docs').click();
    await page.keyboard.press('Shift+F10');
    const menu = page.getByRole('menu', { name: 'File actions' });
    await expect(menu.getByRole('menuitem', { name: 'Open' })).toBeVisible();
    await expect(menu.getByRole('menuitem', { name: 'New folder…' })).toBeEnabled();
    await mkdir('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/browse-context-menu.png' });
    await page.keyboard.press('Escape');
    await expect(menu).toBeHidden();
    await expect(grid).toBeFocused();
    await page.keyboard.press('ControlOrMeta+a');
    await expect(filesOf(page).getByRole('status')).toContainText('5 selected');
    await page.keyboard.press('Escape');

    // Search the bucket by key prefix (server side): a flat list of full keys.
    await filter.fill('docs/g');
    await filesOf(page).getByRole('button', { name: 'Search bucket' }).click();
    await expect.poll(() => shownNames(page)).toEqual(['docs/guide.md']);
    await filesOf(page).getByRole('button', { name: 'Back to folder' }).click();
    await expect.poll(() => shownNames(page)).toHaveLength(5);

    // New folder, from the toolbar: it appears in the list and the tree, selected, without a refresh.
    await (await toolbarButton(page, 'New folder')).click();
    const newFolder = page.getByRole('dialog', { name: 'New folder' });
    await newFolder.getByLabel('Folder name').fill('projects');
    await newFolder.getByRole('button', { name: 'Create' }).click();
    await expect(newFolder).toBeHidden();
    await expect(rowOf(page, 'projects')).toHaveAttribute('aria-selected', 'true');
    await expect(sidebar.getByRole('treeitem', { name: 'projects', exact: true })).toBeVisible();
    expect(await keysIn(s3Client, name)).toContain('projects/');

    // Rename a file from its context menu.
    await rowOf(page, 'notes.txt').click({ button: 'right' });
    await page.getByRole('menu', { name: 'File actions' }).getByRole('menuitem', { name: 'Rename…' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename file' });
    await expect(rename.getByLabel('New name')).toHaveValue('notes.txt');
    await rename.getByLabel('New name').fill('todo.txt');
    await rename.getByRole('button', { name: 'Rename' }).click();
    await expect(rowOf(page, 'todo.txt')).toBeVisible();
    await expect(rowOf(page, 'notes.txt')).toHaveCount(0);
    await expect(page.getByRole('region', { name: /Notifications/ })).toContainText(/Moved 1 object/);

    // Move two files (click, then Ctrl+click) into the new folder, picked in the dialog's folder list.
    await rowOf(page, 'photo.jpg').click();
    await rowOf(page, 'report.pdf').click({ modifiers: ['ControlOrMeta'] });
    await expect(filesOf(page).getByRole('status')).toContainText('2 selected');
    await (await toolbarButton(page, 'Move to')).click();
    const move = page.getByRole('dialog', { name: 'Move to' });
    await move.getByRole('button', { name: 'projects' }).click();
    await expect(move.getByRole('textbox', { name: 'Folder' })).toHaveValue('projects/');
    await move.getByRole('button', { name: 'Move', exact: true }).click();
    await expect(move).toBeHidden();
    await expect.poll(() => shownNames(page)).toEqual(['archive', 'docs', 'projects', 'todo.txt']);
    await expect(
      page.getByRole('region', { name: 'Transfers' }).getByRole('listitem').filter({ hasText: 'Moving 2 items' }),
    ).toContainText('Done');

    // Into the folder (double-click): both files are there.
    await rowOf(page, 'projects').dblclick();
    await expect(filesOf(page).getByRole('heading', { name: 'projects' })).toBeVisible();
    await expect.poll(() => shownNames(page)).toEqual(['photo.jpg', 'report.pdf']);

    // Delete one after confirming (Delete key).
    await rowOf(page, 'photo.jpg').click();
    await page.keyboard.press('Delete');
    const confirm = page.getByRole('alertdialog', { name: 'Delete' });
    await expect(confirm).toContainText('Delete “photo.jpg”? This cannot be undone.');
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => shownNames(page)).toEqual(['report.pdf']);

    expect(await keysIn(s3Client, name)).toEqual([
      'archive/2023/old.txt',
      'docs/guide.md',
      'docs/readme.md',
      'projects/',
      'projects/report.pdf',
      'todo.txt',
    ]);

    // Screenshots of the list, light and dark, for a look by eye.
    await filesOf(page).getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('button', { name }).click();
    await rowOf(page, 'todo.txt').click();
    await mkdir('test-results', { recursive: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: 'test-results/browse-light.png' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: 'test-results/browse-dark.png' });
    await page.emulateMedia({ colorScheme: 'light' });
  } finally {
    await bucket.cleanup();
  }
});

test('bad input shows clear errors and changes nothing', async ({ page, webApp, s3, s3Client }) => {
  const bucket = await freshBucket(s3);
  const name = bucket.name;
  try {
    await seed(s3Client, name, { 'notes.txt': 3, 'report.pdf': 4, 'docs/a.md': 1 });
    const before = await keysIn(s3Client, name);
    await page.goto(webApp.url);
    const sidebar = sidebarOf(page);

    // Invalid bucket names: inline errors as they are typed, and nothing is created.
    await sidebar.getByRole('treeitem', { name: 'Local MinIO' }).click();
    await sidebar.getByRole('button', { name: 'Create bucket' }).click();
    const create = page.getByRole('dialog', { name: 'Create bucket' });
    const bucketName = create.getByLabel('Bucket name');
    for (const [typed, message] of [
      ['MyBucket', /Use only lowercase letters/],
      ['ab', /at least 3 characters/],
      ['192.168.1.1', /cannot look like an IP address/],
    ] as const) {
      await bucketName.fill(typed);
      await expect(bucketName).toHaveAttribute('aria-invalid', 'true');
      await expect(create).toContainText(message);
      await create.getByRole('button', { name: 'Create bucket' }).click();
      await expect(create).toBeVisible();
    }
    await mkdir('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/browse-create-bucket-errors.png' });
    const buckets = (await s3Client.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name) ?? [];
    for (const typed of ['MyBucket', 'ab', '192.168.1.1', 'mybucket']) expect(buckets).not.toContain(typed);
    await create.getByRole('button', { name: 'Cancel' }).click();
    await expect(create).toBeHidden();

    // A folder name with '/' is refused before anything is sent.
    await openBucket(page, name);
    await expect(rowOf(page, 'notes.txt')).toBeVisible();
    await (await toolbarButton(page, 'New folder')).click();
    const newFolder = page.getByRole('dialog', { name: 'New folder' });
    await newFolder.getByLabel('Folder name').fill('a/b');
    await expect(newFolder).toContainText("A folder name cannot contain '/'");
    await newFolder.getByRole('button', { name: 'Create' }).click();
    await expect(newFolder).toBeVisible();
    // A folder that exists is refused by the service, and the dialog says so.
    await newFolder.getByLabel('Folder name').fill('docs');
    await newFolder.getByRole('button', { name: 'Create' }).click();
    await expect(newFolder.getByRole('alert')).toContainText('already exists');
    await newFolder.getByRole('button', { name: 'Cancel' }).click();

    // Renaming onto a name that exists: the service's error in the dialog, both files unchanged.
    await rowOf(page, 'notes.txt').click();
    await page.keyboard.press('F2');
    const rename = page.getByRole('dialog', { name: 'Rename file' });
    await rename.getByLabel('New name').fill('report.pdf');
    await rename.getByRole('button', { name: 'Rename' }).click();
    await expect(rename.getByRole('alert')).toContainText('already exists');
    await rename.getByLabel('New name').fill('x/y');
    await expect(rename).toContainText("A name cannot contain '/'");
    await rename.getByRole('button', { name: 'Cancel' }).click();
    await expect(rowOf(page, 'notes.txt')).toBeVisible();

    // A path the path bar cannot read says why, and goes nowhere.
    const path = filesOf(page).getByLabel('Path');
    await path.fill('https://example.com/some/file');
    await path.press('Enter');
    await expect(filesOf(page).getByRole('alert')).toContainText('Only AWS console addresses');
    await expect(filesOf(page).getByRole('heading', { name })).toBeVisible();
    await path.press('Escape');
    await expect(path).toHaveValue(`s3://${name}/`);

    // Toolbar buttons that cannot act say why.
    await gridOf(page).focus();
    await page.keyboard.press('Escape');
    await expect(await toolbarButton(page, 'Delete')).toHaveAttribute('aria-disabled', 'true');
    await expect(await toolbarButton(page, 'Delete')).toHaveAccessibleDescription('Select files or folders first.');

    // Deleting a bucket that is not empty: explained, and nothing happens without the typed name.
    await sidebar.getByRole('treeitem', { name, exact: true }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Delete bucket…' }).click();
    const deleteBucket = page.getByRole('alertdialog', { name: 'Delete bucket' });
    await expect(deleteBucket).toContainText('is not empty');
    const deleteEverything = deleteBucket.getByRole('button', { name: 'Delete everything in it' });
    const typedName = deleteBucket.getByLabel(`Type ${name} to confirm`);
    await expect(deleteEverything).toBeDisabled();
    await typedName.press('Enter');
    await expect(deleteBucket).toContainText(`Type ${name} exactly to confirm.`);
    await page.screenshot({ path: 'test-results/browse-delete-bucket.png' });
    await typedName.fill(`${name}-typo`);
    await expect(deleteEverything).toBeDisabled();
    await typedName.press('Enter');
    await expect(deleteBucket).toBeVisible();
    await expect(deleteBucket).toContainText(`Type ${name} exactly to confirm.`);
    await deleteBucket.getByRole('button', { name: 'Cancel' }).click();
    await expect(deleteBucket).toBeHidden();

    expect(await keysIn(s3Client, name)).toEqual(before);
    const after = (await s3Client.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name) ?? [];
    expect(after).toContain(name);
  } finally {
    await bucket.cleanup();
  }
});

test('a folder of 3,000 keys shows its first rows at once, loads in the background and scrolls to the end', async ({
  page,
  webApp,
  s3,
  s3Client,
}) => {
  test.setTimeout(120_000);
  const bucket = await freshBucket(s3);
  const name = bucket.name;
  try {
    const objects: Record<string, number> = {};
    for (let i = 1; i <= 3000; i++) objects[`big/file-${String(i).padStart(4, '0')}.txt`] = 1;
    await seed(s3Client, name, objects);
    // Every page of big/ the app asks main for (web mode's requests, as the page sends them).
    const bigPages: Array<string | null> = [];
    page.on('websocket', (socket) =>
      socket.on('framesent', ({ payload }) => {
        const frame = typeof payload === 'string' ? (JSON.parse(payload) as { channel?: string; input?: unknown }) : {};
        const input = frame.input as { prefix?: string; continuationToken?: string } | undefined;
        if (frame.channel === 'objects.list' && input?.prefix === 'big/')
          bigPages.push(input.continuationToken ?? null);
      }),
    );
    await page.goto(webApp.url);
    await expect(sidebarOf(page).getByRole('treeitem', { name, exact: true })).toBeVisible();

    // Pasted as an AWS console address into the path bar.
    await openBucket(page, name);
    const path = filesOf(page).getByLabel('Path');
    await path.fill(`https://us-east-1.console.aws.amazon.com/s3/buckets/${name}?region=us-east-1&prefix=big/`);
    await path.press('Enter');
    await expect(filesOf(page).getByRole('heading', { name: 'big' })).toBeVisible();
    await expect(rowOf(page, 'file-0001.txt')).toBeVisible({ timeout: 5_000 });
    await expect(filesOf(page).getByRole('status')).toHaveText(/3,000 items/);
    await expect(filesOf(page).getByRole('button', { name: 'Stop loading' })).toHaveCount(0);
    // The folder is listed once: the sidebar tree, expanded down to it, takes the list's pages
    // (a first page of 100, then pages of 1,000) instead of listing it a second time.
    expect(bigPages).toHaveLength(4);
    expect(bigPages.filter((token) => token === null)).toHaveLength(1);
    // And the tree knows from those pages that big/ has no subfolders: nothing to expand, nothing loading.
    const bigInTree = sidebarOf(page).getByRole('treeitem', { name: 'big', exact: true });
    await expect(bigInTree).not.toHaveAttribute('aria-busy', 'true');
    await expect(bigInTree).not.toHaveAttribute('aria-expanded');
    await expect(gridOf(page)).toHaveAttribute('aria-rowcount', '3001');

    // Virtualized: only the rows in view (and a few more) are in the page.
    expect(await gridOf(page).getByRole('row').count()).toBeLessThan(100);

    // To the end with the keyboard: the last file is shown and selected.
    await rowOf(page, 'file-0001.txt').click();
    await page.keyboard.press('End');
    await expect(rowOf(page, 'file-3000.txt')).toBeVisible();
    await expect(rowOf(page, 'file-3000.txt')).toHaveAttribute('aria-selected', 'true');
    await expect(rowOf(page, 'file-3000.txt')).toHaveAttribute('aria-rowindex', '3001');
    expect(await gridOf(page).getByRole('row').count()).toBeLessThan(100);

    // Shift+Home selects everything from there up; Ctrl+A selects all.
    await page.keyboard.press('Shift+Home');
    await expect(filesOf(page).getByRole('status')).toContainText('3,000 selected');
    await page.keyboard.press('End');
    await mkdir('test-results', { recursive: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: 'test-results/browse-large-dark.png' });
    await page.emulateMedia({ colorScheme: 'light' });
  } finally {
    await bucket.cleanup();
  }
});

test('creates a bucket, deletes it while empty, and deletes a full one after its name is typed', async ({
  page,
  webApp,
  s3,
  s3Client,
}) => {
  const created = `e2e-${randomBytes(4).toString('hex')}`;
  const full = await freshBucket(s3);
  const bucketNames = async () => (await s3Client.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name) ?? [];
  try {
    await seed(s3Client, full.name, { 'a.txt': 1, 'deep/er/b.txt': 1, 'c/': 0 });
    await page.goto(webApp.url);
    const sidebar = sidebarOf(page);

    // Create: the new bucket is listed and opened.
    await sidebar.getByRole('treeitem', { name: 'Local MinIO' }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Create bucket…' }).click();
    const create = page.getByRole('dialog', { name: 'Create bucket' });
    await create.getByLabel('Bucket name').fill(created);
    await create.getByRole('button', { name: 'Create bucket' }).click();
    await expect(create).toBeHidden();
    await expect(filesOf(page).getByRole('heading', { name: created })).toBeVisible();
    await expect(sidebar.getByRole('treeitem', { name: created })).toHaveAttribute('aria-selected', 'true');
    expect(await bucketNames()).toContain(created);

    // Delete it while empty: a plain confirmation.
    await sidebar.getByRole('treeitem', { name: created }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Delete bucket…' }).click();
    const confirmEmpty = page.getByRole('alertdialog', { name: 'Delete bucket' });
    await expect(confirmEmpty).toContainText('It is empty.');
    await confirmEmpty.getByRole('button', { name: 'Delete bucket' }).click();
    await expect(confirmEmpty).toBeHidden();
    await expect(sidebar.getByRole('treeitem', { name: created })).toHaveCount(0);
    expect(await bucketNames()).not.toContain(created);

    // A full one: everything in it goes (shown in the transfers panel), then the bucket.
    await sidebar.getByRole('treeitem', { name: full.name }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Delete bucket…' }).click();
    const confirmFull = page.getByRole('alertdialog', { name: 'Delete bucket' });
    await confirmFull.getByLabel(`Type ${full.name} to confirm`).fill(full.name);
    await confirmFull.getByRole('button', { name: 'Delete everything in it' }).click();
    await expect(confirmFull).toBeHidden();
    await expect(page.getByRole('region', { name: /Notifications/ })).toContainText(`Bucket “${full.name}” deleted`);
    await expect(sidebar.getByRole('treeitem', { name: full.name })).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Transfers' })).toContainText(
      `Deleted the bucket ${full.name} and 3 objects and versions in it.`,
    );
    expect(await bucketNames()).not.toContain(full.name);
  } finally {
    if ((await bucketNames()).includes(created)) await s3Client.send(new DeleteBucketCommand({ Bucket: created }));
    if ((await bucketNames()).includes(full.name)) await full.cleanup();
  }
});

test('copying onto names that exist asks whether to replace, skip or keep both', async ({
  page,
  webApp,
  s3,
  s3Client,
}) => {
  const bucket = await freshBucket(s3);
  const name = bucket.name;
  try {
    await seed(s3Client, name, { 'a.txt': 1, 'b.txt': 2, 'dest/a.txt': 3 });
    await page.goto(webApp.url);
    await openBucket(page, name);
    await rowOf(page, 'a.txt').click();
    await rowOf(page, 'b.txt').click({ modifiers: ['Shift'] });
    await expect(filesOf(page).getByRole('status')).toContainText('2 selected');
    await rowOf(page, 'b.txt').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Copy to…' }).click();
    const copy = page.getByRole('dialog', { name: 'Copy to' });
    await copy.getByRole('textbox', { name: 'Folder' }).fill('dest');
    await copy.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(copy.getByRole('alert')).toContainText('1 of 2 items already exists in s3://');
    await expect(copy.getByRole('button', { name: 'Skip' })).toBeFocused();
    await copy.getByRole('button', { name: 'Keep both' }).click();
    await expect(copy).toBeHidden();
    await expect
      .poll(() => keysIn(s3Client, name))
      .toEqual(['a.txt', 'b.txt', 'dest/a (1).txt', 'dest/a.txt', 'dest/b.txt']);
    await rowOf(page, 'dest').dblclick();
    await expect.poll(() => shownNames(page)).toEqual(['a (1).txt', 'a.txt', 'b.txt']);
  } finally {
    await bucket.cleanup();
  }
});
