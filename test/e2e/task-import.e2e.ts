import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO, PHONE, expectNoSidewaysScroll, signIn, writeControls } from './support/actions.js';
import { axeCheck } from './support/axe.js';
import { useE2E } from './support/harness.js';

const e2e = useE2E();
const IMPORT = '/acme/projects/ACME/import';

// A Jira export: its headers are placed by the server; "Sometimes" is no status it knows.
const HEADERS = 'Issue key,Summary,Issue Type,Status,Priority,Story Points';
const BAD = [HEADERS, 'OLD-1,Imported calibration check,Task,To Do,High,3', 'OLD-2,Imported dock firmware,Bug,Sometimes,Low,', 'OLD-3,Imported map export,Story,Done,Medium,5'].join('\n');
const GOOD = BAD.replace('Sometimes', 'In Progress');
const TITLES = ['Imported calibration check', 'Imported dock firmware', 'Imported map export'];

const chooseFile = (page: Page, name: string, text: string) =>
  page.getByLabel('CSV file', { exact: true }).setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

describe('CSV import screen', () => {
  it('lets a member check a file, see the bad row in words, then import a good file all at once', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, DEMO.acme.member);
    // Reached from the project's settings.
    await page.goto(`${e2e.baseUrl}/acme/projects/ACME/settings`);
    await page.getByRole('link', { name: 'Import tasks from a CSV file' }).click();
    await page.getByRole('heading', { level: 1, name: 'Import tasks into Fleet Control' }).waitFor();

    // A dry run that finds problems answers 400 validation_failed, which Chromium logs.
    e2e.allowConsoleError(/status of 400/);
    await chooseFile(page, 'jira-bad.csv', BAD);
    const problems = page.getByRole('list', { name: 'Problems found by the dry run' });
    await problems.getByRole('listitem').first().waitFor();
    expect(await problems.getByRole('listitem').allTextContents()).toEqual(['Row 2, Status: "Sometimes" is no status this import knows']);
    expect(await page.getByRole('button', { name: /^Import \d/ }).count()).toBe(0);
    // The selects show the server's placement of Jira's headers although the dry run was refused,
    // and the re-check sends it: Summary stays the title.
    const fieldOf = (header: string) => page.getByRole('combobox', { name: `Field for ${header}` }).inputValue();
    expect([await fieldOf('Issue key'), await fieldOf('Summary'), await fieldOf('Issue Type'), await fieldOf('Status')]).toEqual(['ignore', 'title', 'type', 'status']);
    await page.getByRole('combobox', { name: 'Field for Status' }).selectOption({ label: 'Ignore' });
    await page.getByRole('button', { name: 'Check the file (dry run)' }).click();
    await page.getByRole('button', { name: 'Import 3 tasks' }).waitFor();
    await axeCheck(page, 'task import after a refused dry run and a remap');

    // The fixed file: the server's Jira detection fills the mapping, the preview shows the three.
    await chooseFile(page, 'jira-good.csv', GOOD);
    await page.getByRole('button', { name: 'Import 3 tasks' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Field for Summary' }).inputValue()).toBe('title');
    expect(await page.getByRole('combobox', { name: 'Field for Issue key' }).inputValue()).toBe('ignore');
    const preview = page.getByRole('table', { name: /^Preview/ });
    expect(await preview.getByRole('row').count()).toBe(4);
    expect(await preview.getByRole('row').nth(2).textContent()).toContain('In progress');
    await axeCheck(page, 'task import preview');

    await page.getByRole('button', { name: 'Import 3 tasks' }).click();
    const imported = page.getByRole('list', { name: 'Imported tasks' });
    await imported.getByRole('link').first().waitFor();
    expect(await imported.getByRole('link').allTextContents()).toEqual(TITLES);
    await imported.getByRole('link', { name: TITLES[1] }).click();
    await page.getByRole('heading', { level: 1, name: /^ACME-\d+/ }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Title' }).inputValue()).toBe(TITLES[1]);

    await page.goto(`${e2e.baseUrl}/acme/projects/ACME`);
    for (const title of TITLES) await page.getByText(title, { exact: true }).first().waitFor();
  });

  it('shows a viewer no import controls, at phone width', async () => {
    const page = await e2e.newPage(PHONE);
    await signIn(page, e2e.baseUrl, DEMO.acme.viewer);
    await page.goto(`${e2e.baseUrl}${IMPORT}`);
    await page.getByText('Your role in this project does not let you import tasks.').waitFor();
    expect(await page.getByLabel('CSV file', { exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Import|dry run/ }).count()).toBe(0);
    expect(await writeControls(page)).toEqual([]);
    await page.goto(`${e2e.baseUrl}/acme/projects/ACME/settings`);
    await page.getByRole('heading', { level: 1, name: 'Fleet Control settings' }).waitFor();
    expect(await page.getByRole('link', { name: 'Import tasks from a CSV file' }).count()).toBe(0);
    await expectNoSidewaysScroll(page);
    await axeCheck(page, 'task import for a viewer');
  });

  it('lets a member use it at phone width', async () => {
    const page = await e2e.newPage(PHONE);
    await signIn(page, e2e.baseUrl, DEMO.acme.member);
    await page.goto(`${e2e.baseUrl}${IMPORT}`);
    await chooseFile(page, 'phone.csv', GOOD.replaceAll('Imported', 'Phone'));
    await page.getByRole('button', { name: 'Import 3 tasks' }).waitFor();
    await expectNoSidewaysScroll(page);
  });

  it('shows another tenant nothing at the pasted URL', async () => {
    const outsider = await e2e.newPage();
    await signIn(outsider, e2e.baseUrl, DEMO.globex.owner);
    await outsider.goto(`${e2e.baseUrl}${IMPORT}`);
    await outsider.getByRole('heading', { level: 1, name: /not found/i }).waitFor();
    expect(await outsider.getByLabel('CSV file', { exact: true }).count()).toBe(0);
    expect(await outsider.content()).not.toContain('Fleet Control');

    // The screen decides "not found" from the outsider's own organizations, so the API behind it
    // is asked too, with the project's id by the first's slug and by the outsider's own: nothing
    // is placed, checked or imported.
    const member = await e2e.newPage();
    await signIn(member, e2e.baseUrl, DEMO.acme.member);
    const { items } = (await (await member.request.get(`${e2e.baseUrl}/api/v1/orgs/acme/projects?limit=100`)).json()) as { items: { id: string; key: string }[] };
    const projectId = items.find((project) => project.key === 'ACME')?.id;
    expect(projectId).toBeDefined();
    for (const org of ['acme', 'globex']) {
      const base = `${e2e.baseUrl}/api/v1/orgs/${org}/projects/${projectId}/tasks/import`;
      const placed = await outsider.request.post(`${base}/columns`, { data: { headers: ['Summary'] } });
      const imported = await outsider.request.post(base, { data: { csv: GOOD.replaceAll('Imported', 'Outsider') } });
      expect([placed.status(), imported.status()], org).toEqual([404, 404]);
    }
    const tasks = await member.request.get(`${e2e.baseUrl}/api/v1/orgs/acme/projects/${projectId}/tasks?limit=100&q=Outsider`);
    expect(await tasks.text()).not.toContain('Outsider');
  });
});
