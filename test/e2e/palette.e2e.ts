import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO, PHONE, expectNoSidewaysScroll, signIn, writeControls } from './support/actions.js';
import { axeCheck } from './support/axe.js';
import { useE2E } from './support/harness.js';

const e2e = useE2E();
const BOARD = '/acme/projects/ACME';

const palette = (page: Page) => page.getByRole('dialog', { name: 'Command palette' });
const paletteInput = (page: Page) => palette(page).getByRole('combobox', { name: 'Search tasks, projects and actions' });
const options = (page: Page) => palette(page).getByRole('option');
/** The element that has the keyboard focus, as text (the test project has no DOM types). */
const focusedText = (page: Page) => page.evaluate<string>('document.activeElement?.textContent ?? ""');
const focusedTag = (page: Page) => page.evaluate<string>('document.activeElement?.tagName ?? ""');

async function openBoard(page: Page) {
  await page.goto(`${e2e.baseUrl}${BOARD}`);
  await page.getByRole('list', { name: /^To do\b/ }).getByRole('link').first().waitFor();
}

describe('the command palette and keyboard shortcuts', () => {
  it('finds a task by its exact reference first and opens it with Enter; shortcuts never fire while typing', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, DEMO.acme.member);
    await openBoard(page);

    await page.keyboard.press('Control+k');
    await paletteInput(page).waitFor();
    expect(await page.evaluate<string>('document.activeElement?.getAttribute("role") ?? ""')).toBe('combobox');
    // Before typing: recent tasks, projects and actions are offered.
    await options(page).filter({ hasText: 'Go to settings' }).waitFor();
    expect(await options(page).filter({ hasText: 'Fleet Control (ACME)' }).count()).toBe(1);
    expect(await options(page).filter({ hasText: 'New task in ACME' }).count()).toBe(1);
    await axeCheck(page, 'palette open');

    // An exact reference is the first option (ACME-1 is also a prefix of ACME-10…: still first).
    await paletteInput(page).fill('ACME-1');
    await expect.poll(async () => (await options(page).first().textContent())?.startsWith('ACME-1 ')).toBe(true);
    await paletteInput(page).fill('acme-3');
    await expect.poll(async () => (await options(page).first().textContent())?.startsWith('ACME-3 ')).toBe(true);
    expect(await options(page).first().getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${e2e.baseUrl}/acme/tasks/ACME-3`);
    await page.getByRole('heading', { level: 1, name: /^ACME-3\b/ }).waitFor();
    expect(await palette(page).isVisible()).toBe(false);

    // Projects by name.
    await page.keyboard.press('Control+k');
    await paletteInput(page).fill('Fleet');
    await options(page).filter({ hasText: 'Fleet Control (ACME)' }).click();
    await page.waitForURL(`${e2e.baseUrl}${BOARD}`);

    // `?` lists the shortcuts; Escape closes the list.
    await page.getByRole('list', { name: /^To do\b/ }).getByRole('link').first().waitFor();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    for (const keys of ['Ctrl K / ⌘ K', 'c', '/', 'j / k', '?']) expect(await help.getByRole('cell', { name: keys, exact: true }).count()).toBe(1);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    // `j` / `k` walk the board's cards.
    await page.keyboard.press('j');
    const first = await focusedText(page);
    expect(first).toMatch(/^ACME-\d+/);
    await page.keyboard.press('j');
    const second = await focusedText(page);
    expect(second).toMatch(/^ACME-\d+/);
    expect(second).not.toBe(first);
    await page.keyboard.press('k');
    expect(await focusedText(page)).toBe(first);

    // `/` focuses the board's search; typing there (even "c", "j", "?") stays in the field.
    await page.keyboard.press('/');
    expect(await focusedTag(page)).toBe('INPUT');
    await page.keyboard.type('cj?');
    expect(await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).isVisible()).toBe(false);
    expect(await page.getByRole('textbox', { name: /^Title of a new task/ }).count()).toBe(0);
    await page.getByRole('searchbox').first().fill('');

    // The palette's create action opens the board's new-task box; Escape closes it again.
    await page.getByRole('heading', { level: 1 }).click();
    await page.keyboard.press('Control+k');
    await paletteInput(page).fill('New task');
    await page.keyboard.press('Enter');
    await page.getByRole('textbox', { name: 'Title of a new task in To do' }).press('Escape');
    await page.getByRole('textbox', { name: 'Title of a new task in To do' }).waitFor({ state: 'detached' });

    // `c` outside a field opens the board's new-task box.
    await page.getByRole('heading', { level: 1 }).click();
    await page.keyboard.press('c');
    await page.getByRole('textbox', { name: 'Title of a new task in To do' }).waitFor();
  });

  it('answers a reference that does not exist with no task and no failed request; j/k walk the backlog and a sprint', async () => {
    const page = await e2e.newPage();
    const asked: string[] = [];
    page.on('response', (response) => {
      if (response.url().includes('/tasks')) asked.push(`${response.status()} ${new URL(response.url()).pathname}${new URL(response.url()).search}`);
    });
    await signIn(page, e2e.baseUrl, DEMO.acme.member);
    await page.goto(`${e2e.baseUrl}/acme/projects/ACME/backlog`);
    await page.getByRole('list', { name: 'Backlog', exact: true }).getByRole('link').first().waitFor();

    await page.keyboard.press('Control+k');
    for (const missing of ['ACME-99999', 'zz-1']) {
      await paletteInput(page).fill(missing);
      await expect.poll(() => asked.some((line) => line.includes(`ref=${missing.toUpperCase()}`))).toBe(true);
      expect(await options(page).filter({ hasText: new RegExp(`^${missing}\\b`, 'i') }).count()).toBe(0);
    }
    // The harness fails the test on a console error; this says why there is none.
    expect(asked.filter((line) => !line.startsWith('200 '))).toEqual([]);
    await page.keyboard.press('Escape');
    await palette(page).waitFor({ state: 'hidden' });

    // `j` / `k` walk the sprints' and the backlog's tasks, top to bottom.
    const shown = (await page.getByRole('main').getByRole('link', { name: /^ACME-\d+/ }).allTextContents()).map((text) => /^(ACME-\d+)/.exec(text)?.[1]);
    await page.getByRole('heading', { level: 1 }).click();
    await page.keyboard.press('j');
    expect(/^(ACME-\d+)/.exec(await focusedText(page))?.[1]).toBe(shown[0]);
    await page.keyboard.press('j');
    expect(/^(ACME-\d+)/.exec(await focusedText(page))?.[1]).toBe(shown[1]);
    await page.keyboard.press('k');
    expect(/^(ACME-\d+)/.exec(await focusedText(page))?.[1]).toBe(shown[0]);

    // And a sprint's page: its tasks.
    await page.goto(`${e2e.baseUrl}/acme/projects/ACME/sprints`);
    await page.getByRole('list', { name: 'Sprints' }).getByRole('link', { name: 'ACME Sprint 2' }).click();
    const sprintTasks = page.getByRole('list', { name: /^Tasks of / }).getByRole('link');
    await sprintTasks.first().waitFor();
    await page.getByRole('heading', { level: 1 }).click();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    expect(await focusedText(page)).toBe(await sprintTasks.nth(1).textContent());
  });

  it('offers a viewer no create action, works at phone width, and shows another tenant none of this organization', async () => {
    const page = await e2e.newPage(PHONE);
    await signIn(page, e2e.baseUrl, DEMO.acme.viewer);
    await page.goto(`${e2e.baseUrl}/acme/projects`);
    await page.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();
    await page.keyboard.press('Control+k');
    await paletteInput(page).waitFor();
    await options(page).filter({ hasText: 'Go to settings' }).waitFor();
    expect(await options(page).filter({ hasText: /^New / }).count()).toBe(0);
    expect(await writeControls(page)).toEqual([]);
    await expectNoSidewaysScroll(page);
    await axeCheck(page, 'palette at phone width');
    await page.keyboard.press('Escape');
    // `c` for a viewer creates nothing: it opens the palette (navigation only).
    await page.getByRole('heading', { level: 1 }).click();
    await page.keyboard.press('c');
    await paletteInput(page).waitFor();
    expect(await page.getByRole('textbox', { name: /^Title of a new task/ }).count()).toBe(0);

    // Globex's owner: Acme's tasks are not in their palette, and the reference does not open.
    const outsider = await e2e.newPage();
    await signIn(outsider, e2e.baseUrl, DEMO.globex.owner);
    await outsider.goto(`${e2e.baseUrl}/globex/projects`);
    await outsider.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();
    await outsider.keyboard.press('Control+k');
    await paletteInput(outsider).waitFor();
    await options(outsider).filter({ hasText: 'Go to settings' }).waitFor();
    expect(await options(outsider).filter({ hasText: /ACME-\d+|Fleet Control/ }).count()).toBe(0);
  });
});
