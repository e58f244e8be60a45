import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO, PHONE, expectNoSidewaysScroll, signIn, writeControls } from './support/actions.js';
import { axeCheck } from './support/axe.js';
import { useE2E } from './support/harness.js';

const e2e = useE2E();
const EDITED = '/acme/tasks/ACME-2';
const UNTOUCHED = '/acme/tasks/ACME-3';

const saved = (page: Page, method = 'PATCH') =>
  page.waitForResponse((response) => response.url().includes('/api/v1/') && response.request().method() === method);

async function openTask(page: Page, path: string) {
  await page.goto(`${e2e.baseUrl}${path}`);
  await page.getByRole('heading', { level: 1, name: /^ACME-\d+/ }).waitFor();
}

describe('the task page', () => {
  it('lets a member edit every field in place, comment, attach files, and read the history', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, DEMO.acme.member);
    await openTask(page, EDITED);

    // Title: Enter saves, and so does leaving the field.
    const title = page.getByRole('textbox', { name: 'Title' });
    await title.fill('Calibrate the lidar, renamed');
    let done = saved(page);
    await title.press('Enter');
    expect((await done).status()).toBe(200);
    await title.fill('Calibrate the lidar, renamed on blur');
    done = saved(page);
    await title.press('Tab');
    expect((await done).status()).toBe(200);

    // Description in Markdown, with a preview; raw HTML is never rendered.
    await page.getByRole('button', { name: 'Edit description' }).click();
    await page.getByRole('textbox', { name: 'Description' }).fill('## Plan\n\nShip it **carefully**.\n\n<img src=x onerror="alert(1)">');
    await page.getByRole('button', { name: 'Preview' }).click();
    expect(await page.getByRole('region', { name: 'Description preview' }).getByText('carefully').isVisible()).toBe(true);
    done = saved(page);
    await page.getByRole('button', { name: 'Save description' }).click();
    expect((await done).status()).toBe(200);
    await page.getByRole('heading', { name: 'Plan' }).waitFor();
    expect(await page.getByRole('img').count()).toBe(0);

    await page.getByRole('button', { name: 'Edit acceptance criteria' }).click();
    await page.getByRole('textbox', { name: 'Acceptance criteria' }).fill('- The robot docks\n- The LED turns green');
    done = saved(page);
    await page.getByRole('button', { name: 'Save acceptance criteria' }).click();
    expect((await done).status()).toBe(200);
    await page.getByRole('listitem').filter({ hasText: 'The LED turns green' }).waitFor();

    // Each field is set to a value it does not have yet (a select that keeps its value sends nothing).
    const field = (label: string) => page.getByLabel(label, { exact: true }).or(page.getByRole('combobox', { name: label, exact: true }));
    const choose = async (label: string, wanted: string[]) => {
      const select = field(label);
      const current = await select.inputValue();
      for (const name of wanted) {
        const value = await select.getByRole('option', { name, exact: true }).getAttribute('value');
        if (value === null || value === current) continue;
        const response = saved(page);
        await select.selectOption(value);
        expect((await response).status(), label).toBe(200);
        return value;
      }
      throw new Error(`no new value for ${label}`);
    };
    const values = {
      status: await choose('Status', ['In review', 'In progress']),
      priority: await choose('Priority', ['Urgent', 'Low']),
      type: await choose('Type', ['Bug', 'Chore']),
      assignee: await choose('Assignee', ['Chloe Nguyen', 'Ben Hartmann']),
      epic: await choose('Epic', ['Autonomous docking', 'Over-the-air updates']),
      sprint: await choose('Sprint', ['ACME Sprint 2', 'ACME Sprint 3']),
    };
    const points = (await field('Points').inputValue()) === '8' ? '3' : '8';
    done = saved(page);
    await field('Points').fill(points);
    await field('Points').press('Enter');
    expect((await done).status()).toBe(200);
    done = saved(page);
    await field('Due date').fill('2026-12-24');
    expect((await done).status()).toBe(200);

    await page.reload();
    await page.getByRole('textbox', { name: 'Title' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Title' }).inputValue()).toBe('Calibrate the lidar, renamed on blur');
    const value = (label: string) => field(label).inputValue();
    // Epics and sprints arrive after the task: wait for their options before reading the fields.
    await field('Sprint').getByRole('option', { name: 'ACME Sprint 2' }).waitFor({ state: 'attached' });
    await field('Epic').getByRole('option', { name: 'Autonomous docking' }).waitFor({ state: 'attached' });
    expect({
      status: await value('Status'),
      priority: await value('Priority'),
      type: await value('Type'),
      assignee: await value('Assignee'),
      epic: await value('Epic'),
      sprint: await value('Sprint'),
      points: await value('Points'),
      due: await value('Due date'),
    }).toEqual({ ...values, points, due: '2026-12-24' });
    expect(await page.getByRole('heading', { name: 'Plan' }).isVisible()).toBe(true);

    // Comments in Markdown.
    await page.getByRole('textbox', { name: 'Comment' }).fill('Docking works on the rig, **ready** for review.');
    done = saved(page, 'POST');
    await page.getByRole('button', { name: 'Comment' }).click();
    expect((await done).status()).toBe(201);
    const comment = page.getByRole('listitem').filter({ hasText: 'Docking works on the rig' });
    await comment.waitFor();
    expect(await comment.innerHTML()).toContain('<strong>ready</strong>');
    expect(await comment.getByText('Chloe Nguyen').count()).toBeGreaterThan(0);

    // History: who changed what, in words.
    const history = page.getByRole('region', { name: 'History' });
    await expect.poll(() => history.getByRole('listitem').allTextContents()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Chloe Nguyen commented/),
        expect.stringMatching(/^Chloe Nguyen changed the task: status from .+ to In (review|progress)/),
        expect.stringMatching(/^Chloe Nguyen changed the task: priority from .+ to (Urgent|Low)/),
        expect.stringMatching(/^Chloe Nguyen changed the task: title from .+ to “Calibrate the lidar, renamed”/),
      ]),
    );

    // Attachments: upload, download, delete.
    const bytes = Buffer.from('calibration log\nline two\n');
    done = saved(page, 'POST');
    await page.getByLabel('Attach a file').setInputFiles({ name: 'calibration.txt', mimeType: 'text/plain', buffer: bytes });
    const uploaded = await done;
    expect(uploaded.status()).toBe(201);
    const asset = (await uploaded.json()) as { fileName: string; taskId: string | null };
    expect(asset.fileName).toBe('calibration.txt');
    expect(asset.taskId).toMatch(/^[0-9a-f-]{36}$/);
    const link = page.getByRole('link', { name: 'calibration.txt' });
    await link.waitFor();
    const downloading = page.waitForEvent('download');
    await link.click();
    const download = await downloading;
    // Attached through the task column (migration 0013): the file keeps its own name.
    expect(download.suggestedFilename()).toBe('calibration.txt');
    expect(await readFile(await download.path())).toEqual(bytes);
    done = saved(page, 'DELETE');
    await page.getByRole('button', { name: 'Delete calibration.txt' }).click();
    expect((await done).status()).toBe(204);
    await link.waitFor({ state: 'detached' });
    await page.reload();
    await page.getByRole('region', { name: 'Attachments' }).getByText('No files attached.').waitFor();

    await axeCheck(page, 'task page');
  });

  it('shows a viewer no write controls, fits a phone, and shows another tenant nothing', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, DEMO.acme.viewer);
    await openTask(page, UNTOUCHED);
    expect(await page.getByRole('textbox').count()).toBe(0);
    expect(await page.getByRole('complementary', { name: 'Details' }).getByRole('combobox').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Comment' }).count()).toBe(0);
    expect(await writeControls(page)).toEqual([]);
    await page.getByRole('region', { name: 'History' }).getByRole('listitem').first().waitFor();
    await axeCheck(page, 'task page as viewer');

    const phone = await e2e.newPage(PHONE);
    await signIn(phone, e2e.baseUrl, DEMO.acme.member);
    await openTask(phone, UNTOUCHED);
    await expectNoSidewaysScroll(phone);

    const outsider = await e2e.newPage();
    const bodies: string[] = [];
    outsider.on('response', (response) => {
      if (response.url().includes('/api/v1/')) void response.text().then((body) => bodies.push(body)).catch(() => undefined);
    });
    await signIn(outsider, e2e.baseUrl, DEMO.globex.owner);
    for (const path of [UNTOUCHED, '/acme/projects/ACME']) {
      await outsider.goto(`${e2e.baseUrl}${path}`);
      await outsider.getByRole('heading', { name: 'Not found' }).waitFor();
    }
    expect(bodies.filter((body) => body.includes('ACME-'))).toEqual([]);

    const shot = await e2e.newPage({ viewport: { width: 1440, height: 1000 } });
    await signIn(shot, e2e.baseUrl, DEMO.acme.owner);
    await openTask(shot, UNTOUCHED);
    await shot.getByRole('region', { name: 'History' }).getByRole('listitem').first().waitFor();
    await e2e.screenshot(shot, 'task');
  });
});
